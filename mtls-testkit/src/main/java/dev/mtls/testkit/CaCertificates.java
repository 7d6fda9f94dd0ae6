package dev.mtls.testkit;

import java.io.IOException;
import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;

/**
 * The certificate of a {@link TestCa}: critical {@code BasicConstraints(cA=true)} without a
 * path length limit, critical {@code keyCertSign | cRLSign} key usage, and key identifiers,
 * then what its {@link CaExtensions} add or replace.
 */
final class CaCertificates {
  private CaCertificates() {}

  /**
   * Signs a CA certificate; a root passes its own name, key identifier and key as the issuer's.
   */
  static X509Certificate sign(
      X500Name issuer,
      byte[] issuerKeyId,
      PrivateKey issuerKey,
      BigInteger serial,
      X500Name subject,
      SubjectPublicKeyInfo publicKey,
      Instant notBefore,
      Instant notAfter,
      CaExtensions extensions) {
    X509v3CertificateBuilder builder =
        new X509v3CertificateBuilder(
            issuer, serial, Signing.date(notBefore), Signing.date(notAfter), subject, publicKey);
    try {
      builder
          .addExtension(Extension.basicConstraints, true, CaExtensions.basicConstraints(extensions.pathLength()))
          .addExtension(
              Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(
              Extension.subjectKeyIdentifier, false, Signing.subjectKeyIdentifier(publicKey))
          .addExtension(
              Extension.authorityKeyIdentifier, false,
              Signing.authorityKeyIdentifier(issuerKeyId));
      extensions.apply(builder);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode extensions of CA " + subject, e);
    }
    return Signing.sign(builder, issuerKey, "CA " + subject);
  }
}
