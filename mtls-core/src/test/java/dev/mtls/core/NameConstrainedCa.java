package dev.mtls.core;

import dev.mtls.testkit.CaExtensions;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A CA whose certificate carries dNSName name constraints: either an intermediate issued by a
 * testkit root (its constraints are judged by PKIX) or a root used as the trust anchor itself
 * (its constraints are judged by {@code AnchorNameConstraints}). It issues client leaves with
 * one DNS subject alternative name written exactly as given, trailing dot included (an
 * IA5String; nothing normalises it).
 */
final class NameConstrainedCa {
  private final TestCa ca;

  private NameConstrainedCa(TestCa ca) {
    this.ca = ca;
  }

  /** An intermediate CA under {@code root}, with these permitted and excluded DNS subtrees. */
  static NameConstrainedCa intermediate(TestCa root, String commonName, List<String> permitted, List<String> excluded) {
    return new NameConstrainedCa(root.newIntermediate(commonName, constraints(permitted, excluded)));
  }

  /** A root, to be the trust anchor, with these permitted and excluded DNS subtrees. */
  static NameConstrainedCa root(String commonName, List<String> permitted, List<String> excluded) {
    return new NameConstrainedCa(
        TestCa.builder().commonName(commonName).extensions(constraints(permitted, excluded)).build());
  }

  X509Certificate certificate() {
    return ca.certificate();
  }

  /** A client certificate with one DNS SAN, and its key and chain (leaf first, up to the root). */
  Leaf clientWithDnsName(String dnsName) {
    IssuedCertificate leaf = ca.leaf("client").dnsNames(dnsName).clientAuth().issue();
    return new Leaf(leaf.certificate(), leaf.privateKey(), leaf.fullChain());
  }

  /** An issued client certificate. */
  record Leaf(X509Certificate certificate, PrivateKey privateKey, List<X509Certificate> chain) {}

  private static CaExtensions constraints(List<String> permitted, List<String> excluded) {
    return CaExtensions.builder()
        .permittedDnsNames(permitted.toArray(String[]::new))
        .excludedDnsNames(excluded.toArray(String[]::new))
        .build();
  }
}
