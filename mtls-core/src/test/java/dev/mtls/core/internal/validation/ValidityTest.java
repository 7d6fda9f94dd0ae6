package dev.mtls.core.internal.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.core.RejectionReason;
import dev.mtls.testkit.TestCa;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ValidityTest {
  private static final Instant NOT_BEFORE = Instant.parse("2026-11-20T00:00:00Z");
  private static final Instant NOT_AFTER = Instant.parse("2026-11-24T00:00:00Z");
  private static final Duration SKEW = Duration.ofMinutes(1);

  private final X509Certificate certificate = TestCa.create().leaf("x")
      .notBefore(NOT_BEFORE).notAfter(NOT_AFTER).issue().certificate();

  @Test
  void problem_isNull_insideThePeriod_andAtBothEdgesOfTheSkew() {
    assertThat(Validity.problem(certificate, NOT_BEFORE.plusSeconds(3600), SKEW)).isNull();
    assertThat(Validity.problem(certificate, NOT_BEFORE.minus(SKEW), SKEW)).isNull();
    assertThat(Validity.problem(certificate, NOT_AFTER.plus(SKEW), SKEW)).isNull();
  }

  @Test
  void problem_isExpired_withBothDates_justBeyondTheSkew() {
    Instant now = NOT_AFTER.plus(SKEW).plusMillis(1);
    assertThat(Validity.problem(certificate, now, SKEW)).isEqualTo(new Validity.Problem(
        RejectionReason.EXPIRED, "expired at " + NOT_AFTER + " (now " + now + ")"));
  }

  @Test
  void problem_isNotYetValid_withBothDates_justBeforeTheSkew() {
    Instant now = NOT_BEFORE.minus(SKEW).minusMillis(1);
    assertThat(Validity.problem(certificate, now, SKEW)).isEqualTo(new Validity.Problem(
        RejectionReason.NOT_YET_VALID, "is not yet valid: valid from " + NOT_BEFORE + " (now " + now + ")"));
  }
}
