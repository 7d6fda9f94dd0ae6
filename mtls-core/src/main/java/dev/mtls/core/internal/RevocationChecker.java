package dev.mtls.core.internal;

import java.security.cert.X509Certificate;
import java.time.Instant;

/**
 * Answers whether a certificate is revoked, from data already in memory: a lookup costs
 * nanoseconds and never does I/O (fetching and refreshing happen elsewhere, in the
 * background). Thread-safe.
 */
public interface RevocationChecker extends AutoCloseable {

  /** A checker for contexts without revocation: every certificate is {@link RevocationStatus#GOOD}. */
  RevocationChecker NONE = new RevocationChecker() {
    @Override
    public RevocationStatus check(X509Certificate certificate, X509Certificate issuer, Instant now) {
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
   * Looks a certificate up in its issuer's revocation data.
   *
   * @param certificate the certificate to check (leaf or intermediate)
   * @param issuer the certificate of its issuer, already validated as such; its key is the
   *     one a CRL for {@code certificate} must be signed with
   * @param now the time to judge staleness at
   * @return good, revoked (with reason and date) or unknown (with why)
   */
  RevocationStatus check(X509Certificate certificate, X509Certificate issuer, Instant now);

  /**
   * A number that changes whenever the revocation data change (a CRL loaded, refreshed,
   * dropped or found stale), so that cached verdicts can be recomputed.
   *
   * @return the current generation
   */
  long generation();

  /** Stops background refreshing. */
  @Override
  void close();
}
