package dev.mtls.testkit;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Signs certificates and CRLs with Bouncy Castle and returns the JDK's own parsed objects,
 * so that tests see exactly what a JDK peer would see.
 */
final class Signing {
  private Signing() {}

  static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key, String what) {
    try {
      byte[] der = builder.build(signer(key)).getEncoded();
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(der));
    } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot sign certificate for " + what + ": " + e, e);
    }
  }

  static X509CRL sign(X509v2CRLBuilder builder, PrivateKey key, String what) {
    try {
      byte[] der = builder.build(signer(key)).getEncoded();
      return (X509CRL)
          CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
    } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot sign CRL of " + what + ": " + e, e);
    }
  }

  private static ContentSigner signer(PrivateKey key) throws OperatorCreationException {
    return new JcaContentSignerBuilder(Keys.signatureAlgorithm(key))
        .setProvider(Keys.PROVIDER)
        .setSecureRandom(Keys.RANDOM)
        .build(key);
  }

  /** Whether a private key belongs to a public key: a probe signed with one verifies with the other. */
  static boolean belongTogether(PrivateKey privateKey, PublicKey publicKey) {
    byte[] probe = new byte[32];
    Keys.RANDOM.nextBytes(probe);
    String algorithm = Keys.signatureAlgorithm(privateKey);
    try {
      Signature signer = Signature.getInstance(algorithm, Keys.PROVIDER);
      signer.initSign(privateKey);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm, Keys.PROVIDER);
      verifier.initVerify(publicKey);
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** The key identifier of RFC 5280 section 4.2.1.2, method (1): SHA-1 of the key's bits. */
  static byte[] keyIdentifier(SubjectPublicKeyInfo publicKey) {
    try {
      return MessageDigest.getInstance("SHA-1").digest(publicKey.getPublicKeyData().getBytes());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is missing from this JDK", e);
    }
  }

  static SubjectKeyIdentifier subjectKeyIdentifier(SubjectPublicKeyInfo publicKey) {
    return new SubjectKeyIdentifier(keyIdentifier(publicKey));
  }

  static AuthorityKeyIdentifier authorityKeyIdentifier(byte[] issuerKeyIdentifier) {
    return new AuthorityKeyIdentifier(issuerKeyIdentifier);
  }

  /** A positive random serial of 64 random bits (65 bits long, so never negative or zero). */
  static BigInteger randomSerial() {
    return new BigInteger(64, Keys.RANDOM).setBit(64);
  }

  static Date date(Instant instant) {
    return Date.from(instant);
  }
}
