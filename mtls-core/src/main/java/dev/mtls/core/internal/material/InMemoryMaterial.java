package dev.mtls.core.internal.material;

import dev.mtls.core.MtlsLoadException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks key and certificate objects handed in by callers, as files are checked on load, and
 * re-creates them as the JDK's own objects.
 */
public final class InMemoryMaterial {
  private InMemoryMaterial() {}

  /**
   * A checked identity from in-memory objects.
   *
   * @param key the private key
   * @param chain the chain, leaf first, not empty
   * @param what what is being loaded, for messages
   * @return the identity, with JDK key and certificate objects
   * @throws MtlsLoadException if the key does not match the leaf, the chain is out of order or
   *     longer than peers accept, or the leaf is a CA certificate
   */
  public static IdentityMaterial identity(
      PrivateKey key, List<X509Certificate> chain, String what) {
    List<X509Certificate> jdkChain = certificates(chain, what);
    PrivateKey jdkKey;
    try {
      jdkKey = JdkObjects.privateKey(key);
    } catch (GeneralSecurityException e) {
      throw new MtlsLoadException(what, null, "unusable private key: " + e.getMessage(), e);
    }
    IdentityChecks.checkKeyMatches(jdkKey, jdkChain.get(0), what, null);
    IdentityChecks.checkChainOrder(jdkChain, what, null);
    IdentityChecks.checkIdentityChain(jdkChain, what, null);
    return new IdentityMaterial(jdkKey, jdkChain, what);
  }

  /**
   * Checked trust anchors from in-memory certificates.
   *
   * @param anchors the CA certificates
   * @param what what is being loaded, for messages
   * @return the JDK's objects, in the same order
   * @throws MtlsLoadException if one is not a CA certificate or cannot be re-created
   */
  public static List<X509Certificate> anchors(List<X509Certificate> anchors, String what) {
    for (X509Certificate anchor : anchors) {
      IdentityChecks.checkTrustAnchor(anchor, what, null);
    }
    return certificates(anchors, what);
  }

  /**
   * Re-creates certificates as the JDK's own objects.
   *
   * @param certificates any X.509 certificates
   * @param what what is being loaded, for messages
   * @return the JDK's objects, in the same order
   * @throws MtlsLoadException if one cannot be re-created
   */
  public static List<X509Certificate> certificates(
      List<X509Certificate> certificates, String what) {
    List<X509Certificate> jdk = new ArrayList<>(certificates.size());
    for (int i = 0; i < certificates.size(); i++) {
      try {
        jdk.add(JdkObjects.certificate(certificates.get(i)));
      } catch (GeneralSecurityException e) {
        throw new MtlsLoadException(what, null,
            "certificate " + (i + 1) + " cannot be re-read: " + e.getMessage(), e);
      }
    }
    return jdk;
  }
}
