package dev.mtls.core.internal.crl;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One certificate found on a CRL.
 *
 * @param serial the revoked serial number
 * @param revocationDate when it was revoked
 * @param reason the RFC 5280 reason name such as {@code keyCompromise}, or {@code null} when
 *     the CRL entry gives none
 */
public record RevokedEntry(BigInteger serial, Instant revocationDate, @Nullable String reason) {
  /** Checks the fields. */
  public RevokedEntry {
    Objects.requireNonNull(serial, "serial");
    Objects.requireNonNull(revocationDate, "revocationDate");
  }
}
