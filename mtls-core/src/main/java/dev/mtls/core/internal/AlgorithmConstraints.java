package dev.mtls.core.internal;

import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The signature algorithms and key sizes a peer's chain may use. Written out here rather than
 * taken from the JDK's {@code jdk.certpath.disabledAlgorithms}, because chains are validated
 * with Bouncy Castle's PKIX (four times faster than the JDK 17's for certificates not seen
 * before), which does not read that property: SHA-256 or better with ECDSA, RSA (PKCS#1 v1.5
 * or PSS) or EdDSA; RSA keys of 2048 bits or more, EC keys of 256 bits or more.
 */
final class AlgorithmConstraints {
  private static final Set<String> SIGNATURE_ALGORITHMS = Set.of(
      "SHA256WITHECDSA", "SHA384WITHECDSA", "SHA512WITHECDSA",
      "SHA256WITHRSA", "SHA384WITHRSA", "SHA512WITHRSA",
      "RSASSA-PSS", "SHA256WITHRSAANDMGF1", "SHA384WITHRSAANDMGF1", "SHA512WITHRSAANDMGF1",
      "ED25519", "ED448", "EDDSA");
  private static final int MIN_RSA_BITS = 2048;
  private static final int MIN_EC_BITS = 256;

  private AlgorithmConstraints() {}

  /**
   * Checks how a certificate is signed.
   *
   * @param certificate a certificate of the peer's path (not the anchor)
   * @return {@code null} when acceptable, otherwise what is wrong
   */
  static @Nullable String signatureProblem(X509Certificate certificate) {
    String algorithm = certificate.getSigAlgName().toUpperCase(Locale.ROOT);
    if (!SIGNATURE_ALGORITHMS.contains(algorithm)) {
      return "certificate " + certificate.getSubjectX500Principal() + " is signed with "
          + certificate.getSigAlgName() + ", which is not accepted (SHA-256 or better with ECDSA, RSA or EdDSA)";
    }
    return null;
  }

  /**
   * Checks a certificate's public key.
   *
   * @param certificate a certificate of the peer's path
   * @return {@code null} when acceptable, otherwise what is wrong
   */
  static @Nullable String keyProblem(X509Certificate certificate) {
    PublicKey key = certificate.getPublicKey();
    if (key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < MIN_RSA_BITS) {
      return "certificate " + certificate.getSubjectX500Principal() + " has a " + rsa.getModulus().bitLength()
          + "-bit RSA key; at least " + MIN_RSA_BITS + " bits are required";
    }
    if (key instanceof ECPublicKey ec && ec.getParams().getCurve().getField().getFieldSize() < MIN_EC_BITS) {
      return "certificate " + certificate.getSubjectX500Principal() + " has a "
          + ec.getParams().getCurve().getField().getFieldSize() + "-bit EC key; at least " + MIN_EC_BITS
          + " bits are required";
    }
    String algorithm = key.getAlgorithm().toUpperCase(Locale.ROOT);
    if (algorithm.equals("DSA") || algorithm.equals("DH")) {
      return "certificate " + certificate.getSubjectX500Principal() + " has a " + key.getAlgorithm()
          + " key, which is not accepted";
    }
    return null;
  }
}
