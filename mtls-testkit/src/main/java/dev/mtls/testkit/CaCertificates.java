package dev.mtls.testkit;

import java.io.IOException;
import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;

/**
 * The certificate of a {@link TestCa}: critical {@code BasicConstraints(cA=true)}, with a
 * path length limit when one is given, critical {@code keyCertSign | cRLSign} key usage, and
 * key identifiers.
 */
final class CaCertificates {
  private CaCertificates() {}

  /** No {@code pathLenConstraint} in the certificate. */
  static final int NO_PATH_LENGTH = -1;

  /** Checks a {@code pathLenConstraint} given to a builder. */
  static int checkPathLength(int pathLength) {
    if (pathLength < 0) {
      throw new IllegalArgumentException("pathLength < 0: " + pathLength);
    }
    return pathLength;
  }

  /**
   * Signs a CA certificate; a root passes its own name, key identifier and key as the issuer's.
   * {@code pathLength} is {@link #NO_PATH_LENGTH} or the {@code pathLenConstraint}.
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
      int pathLength) {
    X509v3CertificateBuilder builder =
        new X509v3CertificateBuilder(
            issuer, serial, Signing.date(notBefore), Signing.date(notAfter), subject, publicKey);
    try {
      builder
          .addExtension(Extension.basicConstraints, true,
              pathLength == NO_PATH_LENGTH ? new BasicConstraints(true) : new BasicConstraints(pathLength))
          .addExtension(
              Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(
              Extension.subjectKeyIdentifier, false, Signing.subjectKeyIdentifier(publicKey))
          .addExtension(
              Extension.authorityKeyIdentifier, false,
              Signing.authorityKeyIdentifier(issuerKeyId));
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode extensions of CA " + subject, e);
    }
    return Signing.sign(builder, issuerKey, "CA " + subject);
  }
}
