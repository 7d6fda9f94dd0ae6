package dev.mtls.core.internal.crl;

import java.util.Objects;

/**
 * The answer of a {@link RevocationChecker}.
 *
 * @param state good, revoked or unknown
 * @param detail for revoked: reason and date; for unknown: why (no CRL for the issuer, CRL
 *     stale since a date, CRL signature invalid); empty for good
 */
public record RevocationStatus(State state, String detail) {
  /** The certificate is not on a current CRL of its issuer. */
  public static final RevocationStatus GOOD = new RevocationStatus(State.GOOD, "");

  /** Checks the fields are present. */
  public RevocationStatus {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(detail, "detail");
  }

  /**
   * A revoked status.
   *
   * @param detail reason and revocation date
   * @return the status
   */
  public static RevocationStatus revoked(String detail) {
    return new RevocationStatus(State.REVOKED, detail);
  }

  /**
   * An undecidable status.
   *
   * @param detail why it cannot be decided
   * @return the status
   */
  public static RevocationStatus unknown(String detail) {
    return new RevocationStatus(State.UNKNOWN, detail);
  }

  /** The three answers. */
  public enum State {
    /** Not revoked. */
    GOOD,
    /** Revoked. */
    REVOKED,
    /** Cannot be decided. */
    UNKNOWN
  }
}
