package dev.mtls.core;

import dev.mtls.core.internal.RevocationChecker;
import java.time.Clock;

/**
 * How a context learns which peer certificates are revoked. (SKELETON: implemented by the
 * revocation work.)
 */
public final class Revocation {
  private Revocation() {}

  /**
   * No revocation checking.
   *
   * @return the setting
   */
  public static Revocation none() {
    throw new UnsupportedOperationException("skeleton");
  }

  /**
   * Starts this revocation setting for one context: loads the CRLs (failing on unreadable or
   * forged ones) and starts background refreshing.
   *
   * @param clock the context's clock
   * @param listener where refresh events go
   * @return the running checker, closed with the context
   */
  RevocationChecker start(Clock clock, MtlsListener listener) {
    throw new UnsupportedOperationException("skeleton");
  }
}
