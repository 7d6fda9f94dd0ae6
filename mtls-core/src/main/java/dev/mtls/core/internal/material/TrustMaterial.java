package dev.mtls.core.internal.material;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * Loaded trust anchors: the CA certificates a peer's chain must lead to. Immutable;
 * swapped whole on reload.
 *
 * @param anchors the trust anchor certificates, never empty
 * @param origin where they came from, for messages
 */
public record TrustMaterial(List<X509Certificate> anchors, String origin) {
  /** Copies the anchors and checks that there is at least one. */
  public TrustMaterial {
    anchors = List.copyOf(anchors);
    Objects.requireNonNull(origin, "origin");
    if (anchors.isEmpty()) {
      throw new IllegalArgumentException("no trust anchors in " + origin);
    }
  }
}
