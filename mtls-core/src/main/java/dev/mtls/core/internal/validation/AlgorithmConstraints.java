package dev.mtls.core.internal.validation;

import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.jspecify.annotations.Nullable;

/**
 * The signature algorithms and key sizes a peer's chain may use. Written out here rather than
 * taken from the JDK's {@code jdk.certpath.disabledAlgorithms}, because chains are validated
 * with Bouncy Castle's PKIX (four times faster than the JDK 17's for certificates not seen
 * before), which does not read that property: SHA-256 or better with ECDSA, RSA (PKCS#1 v1.5
 * or PSS) or EdDSA; RSA keys of 2048 bits or more, EC keys of 256 bits or more.
 */
public final class AlgorithmConstraints {
  private static final String RSASSA_PSS = "1.2.840.113549.1.1.10";
  private static final Set<String> SIGNATURE_ALGORITHMS = Set.of(
      "1.2.840.10045.4.3.2", "1.2.840.10045.4.3.3", "1.2.840.10045.4.3.4", // ECDSA with SHA-256/384/512
      "1.2.840.113549.1.1.11", "1.2.840.113549.1.1.12", "1.2.840.113549.1.1.13", // RSA PKCS#1 v1.5, SHA-2
      RSASSA_PSS, // with its hash checked below
      "1.3.101.112", "1.3.101.113"); // Ed25519, Ed448
  private static final Set<String> PSS_HASHES = Set.of(
      "2.16.840.1.101.3.4.2.1", "2.16.840.1.101.3.4.2.2", "2.16.840.1.101.3.4.2.3"); // SHA-256/384/512
  private static final int MIN_RSA_BITS = 2048;
  private static final int MIN_EC_BITS = 256;

  private AlgorithmConstraints() {}

  /**
   * Checks how a certificate is signed.
   *
   * @param certificate a certificate of the peer's path (not the anchor)
   * @return {@code null} when acceptable, otherwise what is wrong
   */
  public static @Nullable String signatureProblem(X509Certificate certificate) {
    String problem = signatureProblem(certificate.getSigAlgOID(), certificate.getSigAlgParams());
    return problem == null ? null
        : "certificate " + certificate.getSubjectX500Principal() + " is signed with "
            + certificate.getSigAlgName() + ": " + problem;
  }

  /**
   * Checks a signature algorithm by its OID and parameters, for certificates and CRLs alike.
   *
   * @param oid the signature algorithm's OID
   * @param parameters its DER-encoded parameters, or {@code null}
   * @return {@code null} when acceptable, otherwise what is wrong
   */
  public static @Nullable String signatureProblem(String oid, byte @Nullable [] parameters) {
    if (!SIGNATURE_ALGORITHMS.contains(oid)) {
      return "not accepted (SHA-256 or better with ECDSA, RSA or EdDSA)";
    }
    if (!oid.equals(RSASSA_PSS)) {
      return null;
    }
    // RSASSA-PSS names its hash in its parameters, and absent parameters mean SHA-1.
    try {
      RSASSAPSSparams pss = RSASSAPSSparams.getInstance(
          parameters == null ? null : ASN1Primitive.fromByteArray(parameters));
      String hash = pss.getHashAlgorithm().getAlgorithm().getId();
      AlgorithmIdentifier mgf = pss.getMaskGenAlgorithm();
      String mgfHash = AlgorithmIdentifier.getInstance(mgf.getParameters()).getAlgorithm().getId();
      if (!PSS_HASHES.contains(hash) || !PSS_HASHES.contains(mgfHash)) {
        return "RSASSA-PSS with hash " + hash + " and MGF1 hash " + mgfHash + " is not accepted (SHA-256 or better)";
      }
      return null;
    } catch (IOException | RuntimeException e) {
      return "RSASSA-PSS parameters cannot be read: " + e.getMessage();
    }
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
