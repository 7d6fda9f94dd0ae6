package dev.mtls.testkit;

/**
 * The bits of the X.509 key usage extension
 * (<a href="https://www.rfc-editor.org/rfc/rfc5280#section-4.2.1.3">RFC 5280, section
 * 4.2.1.3</a>), for {@link CertificateBuilder#keyUsage(KeyUsage, KeyUsage...)}.
 */
public enum KeyUsage {
  /** Signing, as in a TLS handshake; the default of every leaf. */
  DIGITAL_SIGNATURE(org.bouncycastle.asn1.x509.KeyUsage.digitalSignature),
  /** Content commitment (formerly non-repudiation). */
  NON_REPUDIATION(org.bouncycastle.asn1.x509.KeyUsage.nonRepudiation),
  /** Key transport, as in RSA key exchange; a default of RSA leaves. */
  KEY_ENCIPHERMENT(org.bouncycastle.asn1.x509.KeyUsage.keyEncipherment),
  /** Encrypting data directly with the public key. */
  DATA_ENCIPHERMENT(org.bouncycastle.asn1.x509.KeyUsage.dataEncipherment),
  /** Key agreement, as in static (EC)DH. */
  KEY_AGREEMENT(org.bouncycastle.asn1.x509.KeyUsage.keyAgreement),
  /** Signing certificates: for CAs. */
  KEY_CERT_SIGN(org.bouncycastle.asn1.x509.KeyUsage.keyCertSign),
  /** Signing CRLs: for CAs. */
  CRL_SIGN(org.bouncycastle.asn1.x509.KeyUsage.cRLSign),
  /** With key agreement: only for enciphering. */
  ENCIPHER_ONLY(org.bouncycastle.asn1.x509.KeyUsage.encipherOnly),
  /** With key agreement: only for deciphering. */
  DECIPHER_ONLY(org.bouncycastle.asn1.x509.KeyUsage.decipherOnly);

  private final int bit;

  KeyUsage(int bit) {
    this.bit = bit;
  }

  int bit() {
    return bit;
  }
}
