package dev.mtls.core.internal.crl;

import dev.mtls.core.ContextStatus;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * Answers whether a certificate is revoked, from data already in memory: a lookup costs
 * nanoseconds and never does I/O (fetching and refreshing happen elsewhere, in the
 * background). Thread-safe.
 */
public interface RevocationChecker extends AutoCloseable {

  /** A checker for contexts without revocation: every certificate is {@link RevocationStatus#GOOD}. */
  RevocationChecker NONE = new RevocationChecker() {
    @Override
    public RevocationStatus check(List<X509Certificate> path, Instant now) {
      return RevocationStatus.GOOD;
    }

    @Override
    public long generation() {
      return 0;
    }

    @Override
    public void close() {}
  };

  /**
   * Looks the certificates of a validated path up in their issuers' revocation data. The
   * checker decides which certificates must be covered (the leaf always; intermediates as
   * configured) and answers for the first one that is revoked or undecidable.
   *
   * @param path a validated certification path: the peer's certificate first, each
   *     certificate issued by the next, the trust anchor's certificate last (so every
   *     certificate but the last has its issuer, whose key a CRL must be signed with)
   * @param now the time to judge staleness at
   * @return good, revoked (with reason and date) or unknown (with why)
   */
  RevocationStatus check(List<X509Certificate> path, Instant now);

  /**
   * A number that changes whenever the revocation data change (a CRL loaded, refreshed,
   * dropped or found stale), so that cached verdicts can be recomputed.
   *
   * @return the current generation
   */
  long generation();

  /**
   * Asks to be told after every change of the revocation data, whichever thread notices it:
   * the context then drops sessions the change would refuse. One action per checker.
   *
   * @param action what to run; quick, and must not throw
   */
  default void onChange(Runnable action) {}

  /**
   * The CRLs in use and how fresh they are, for a context's {@code status()}.
   *
   * @param now the time to judge freshness at
   * @return one entry per CRL in use; empty without revocation
   */
  default List<ContextStatus.Crl> crls(Instant now) {
    return List.of();
  }

  /** Stops background refreshing. */
  @Override
  void close();
}
