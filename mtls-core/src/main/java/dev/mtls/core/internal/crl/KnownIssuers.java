package dev.mtls.core.internal.crl;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The CA certificates a context knows, which each CRL's signature is verified against when
 * the CRL is loaded (at build, and on the refresh thread), so that a refused CRL never replaces
 * a good one and no handshake pays for a verification.
 *
 * <p>Two kinds, because they prove different things. A trust anchor is configured: a CRL
 * naming it as issuer must verify with its key, or the CRL is refused. A CA certificate of the
 * context's own chain (an intermediate) may be older or newer than the one peers present
 * (re-keying keeps the name): a CRL that verifies with it is verified at load, and one that
 * does not is left to be verified against each peer's path, like the CRL of an issuer the
 * context does not know at all.
 *
 * @param anchors the trust anchors in use, read at each load
 * @param others other CA certificates the context holds (its own chain's), read at each load
 */
public record KnownIssuers(
    Supplier<List<X509Certificate>> anchors, Supplier<List<X509Certificate>> others) {
  /** Knows no certificate: every CRL is verified against the peers' paths. */
  public static final KnownIssuers NONE = new KnownIssuers(List::of, List::of);

  /** Checks the fields are present. */
  public KnownIssuers {
    Objects.requireNonNull(anchors, "anchors");
    Objects.requireNonNull(others, "others");
  }

  /**
   * Fixed anchors and nothing else, for tests and checkers without a context.
   *
   * @param anchors the trust anchors
   * @return the known issuers
   */
  public static KnownIssuers anchors(List<X509Certificate> anchors) {
    List<X509Certificate> copy = List.copyOf(anchors);
    return new KnownIssuers(() -> copy, List::of);
  }
}
