package dev.mtls.core.internal.validation;

import dev.mtls.core.RejectionReason;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The one validity check, with clock skew, for a peer's certificates (a verdict reason) and
 * for the context's own identity (a load error naming the file): a certificate is valid from
 * {@code notBefore - skew} to {@code notAfter + skew}, both ends included.
 */
public final class Validity {
  private Validity() {}

  /**
   * Why a certificate is not valid at {@code now}, give or take {@code skew}.
   *
   * @param certificate the certificate
   * @param now the time to judge at
   * @param skew the clock skew tolerated at both ends of the validity period
   * @return {@code null} when it is valid; otherwise {@link RejectionReason#EXPIRED} or {@link
   *     RejectionReason#NOT_YET_VALID} with both dates
   */
  public static @Nullable Problem problem(X509Certificate certificate, Instant now, Duration skew) {
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(skew, "skew");
    Instant notAfter = certificate.getNotAfter().toInstant();
    if (now.isAfter(notAfter.plus(skew))) {
      return new Problem(RejectionReason.EXPIRED, "expired at " + notAfter + " (now " + now + ")");
    }
    Instant notBefore = certificate.getNotBefore().toInstant();
    if (now.isBefore(notBefore.minus(skew))) {
      return new Problem(RejectionReason.NOT_YET_VALID,
          "is not yet valid: valid from " + notBefore + " (now " + now + ")");
    }
    return null;
  }

  /**
   * A certificate outside its validity period.
   *
   * @param reason {@link RejectionReason#EXPIRED} or {@link RejectionReason#NOT_YET_VALID}
   * @param text the problem with both dates, to follow the certificate's name, such as {@code
   *     expired at 2026-11-24T03:00:00Z (now 2026-11-25T10:00:00Z)}
   */
  public record Problem(RejectionReason reason, String text) {
    /** Checks the fields. */
    public Problem {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(text, "text");
    }
  }
}
