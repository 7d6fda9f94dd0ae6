package dev.mtls.core.internal.material;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;

/**
 * Re-creates keys and certificates handed in by callers as the JDK's own objects. SunJSSE
 * only signs with key objects of its own providers, and a certificate made by another provider
 * (Bouncy Castle's, say) may behave differently in the JDK's trust manager.
 */
final class JdkObjects {
  private JdkObjects() {}

  /**
   * The JDK's own certificate object for a certificate's encoding.
   *
   * @param certificate any X.509 certificate
   * @return the JDK's object, or the same one when the JDK made it
   * @throws GeneralSecurityException if it cannot be re-encoded or parsed
   */
  static X509Certificate certificate(X509Certificate certificate) throws GeneralSecurityException {
    if (certificate.getClass().getName().startsWith("sun.security.")) {
      return certificate;
    }
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(certificate.getEncoded()));
  }

  /**
   * The JDK's own key object for a private key's PKCS#8 encoding.
   *
   * @param key any private key that has a PKCS#8 encoding
   * @return the JDK's object, or the same one when a JDK provider made it
   * @throws GeneralSecurityException if the key has no PKCS#8 encoding or the JDK cannot read it
   */
  static PrivateKey privateKey(PrivateKey key) throws GeneralSecurityException {
    if (key.getClass().getName().startsWith("sun.security.")) {
      return key;
    }
    byte[] encoded = key.getEncoded();
    if (encoded == null || !"PKCS#8".equals(key.getFormat())) {
      throw new GeneralSecurityException("the " + key.getAlgorithm()
          + " private key has no PKCS#8 encoding (a hardware or non-extractable key?)");
    }
    String algorithm = key.getAlgorithm().equals("ECDSA") ? "EC" : key.getAlgorithm();
    return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(encoded));
  }
}
