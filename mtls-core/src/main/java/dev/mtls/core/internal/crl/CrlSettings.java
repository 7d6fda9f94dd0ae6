package dev.mtls.core.internal.crl;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link CrlRevocationChecker} refreshes and judges its CRLs.
 *
 * @param refreshInterval how often each source is fetched again (also right after a CRL's
 *     nextUpdate passes)
 * @param fetchTimeout the limit for one HTTP fetch
 * @param maxStaleness how long past its nextUpdate a CRL is still used, or {@code null} to
 *     fail closed as soon as it passes
 * @param checkIntermediates whether intermediate certificates must be covered by a CRL (when
 *     false they are still checked wherever a CRL for their issuer is loaded)
 * @param maxBytes the most bytes read from one source (a file, or an HTTP body)
 * @param clockSkew how far in the future a CRL's thisUpdate may lie (the context's clock skew)
 */
public record CrlSettings(
    Duration refreshInterval,
    Duration fetchTimeout,
    @Nullable Duration maxStaleness,
    boolean checkIntermediates,
    long maxBytes,
    Duration clockSkew) {
  private static final Duration MAX_RETRY_DELAY = Duration.ofMinutes(1);

  /** Checks the fields. */
  public CrlSettings {
    Objects.requireNonNull(refreshInterval, "refreshInterval");
    Objects.requireNonNull(fetchTimeout, "fetchTimeout");
    Objects.requireNonNull(clockSkew, "clockSkew");
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
    }
  }

  /**
   * How soon a failed fetch is tried again: the refresh interval, but at most a minute.
   *
   * @return the retry delay
   */
  public Duration retryDelay() {
    return refreshInterval.compareTo(MAX_RETRY_DELAY) < 0 ? refreshInterval : MAX_RETRY_DELAY;
  }

  /**
   * How long after it was fetched a CRL without nextUpdate counts as current: two refresh
   * intervals, so that one failed refresh does not yet make it stale.
   *
   * @return the assumed validity
   */
  public Duration validityWithoutNextUpdate() {
    return refreshInterval.multipliedBy(2);
  }
}
