package dev.mtls.core.internal.material;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A loaded, checked identity: a private key and the certificate chain it belongs to (leaf
 * first). Immutable; swapped whole on reload.
 *
 * @param privateKey the key, which matches {@code chain.get(0)}
 * @param chain the leaf certificate followed by its intermediates
 * @param origin where it came from, for messages (file names, never content)
 */
public record IdentityMaterial(PrivateKey privateKey, List<X509Certificate> chain, String origin) {
  /** Copies the chain and checks that it is not empty. */
  public IdentityMaterial {
    Objects.requireNonNull(privateKey, "privateKey");
    chain = List.copyOf(chain);
    Objects.requireNonNull(origin, "origin");
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("identity chain is empty: " + origin);
    }
  }

  /**
   * The end-entity certificate.
   *
   * @return the first certificate of the chain
   */
  public X509Certificate leaf() {
    return chain.get(0);
  }

  @Override
  public String toString() {
    // Never print the key.
    return "IdentityMaterial{" + leaf().getSubjectX500Principal() + ", serial "
        + leaf().getSerialNumber().toString(16) + ", from " + origin + "}";
  }
}
