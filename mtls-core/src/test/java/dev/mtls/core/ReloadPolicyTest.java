package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReloadPolicyTest {

  @Test
  void interval_isBetweenASecondAndADay() {
    assertThat(ReloadPolicy.builder().interval(Duration.ofSeconds(1)).build().interval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(ReloadPolicy.builder().interval(Duration.ofDays(1)).build().interval()).isEqualTo(Duration.ofDays(1));
    assertThatThrownBy(() -> ReloadPolicy.builder().interval(Duration.ofMillis(999)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("interval must be between 1s and 1d: 999ms");
    assertThatThrownBy(() -> ReloadPolicy.builder().interval(Duration.ZERO))
        .hasMessage("interval must be between 1s and 1d: 0s");
    assertThatThrownBy(() -> ReloadPolicy.builder().interval(Duration.ofHours(25)))
        .hasMessage("interval must be between 1s and 1d: 25h");
  }

  @Test
  void interval_tooLongToCountInMilliseconds_isRefusedAtOnce_notWhenTheContextStarts() {
    assertThatThrownBy(() -> ReloadPolicy.builder().interval(Duration.ofDays(99_999_999_999_999L)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("interval must be between 1s and 1d: 99999999999999d");
    assertThatThrownBy(() -> ReloadPolicy.builder().interval(Duration.ofSeconds(Long.MAX_VALUE)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("interval must be between 1s and 1d: ");
  }

  @Test
  void expiryWarning_isBetweenZeroAndAYear() {
    assertThat(ReloadPolicy.builder().expiryWarning(Duration.ZERO).build().expiryWarning()).isZero();
    assertThat(ReloadPolicy.builder().expiryWarning(Duration.ofDays(365)).build().expiryWarning())
        .isEqualTo(Duration.ofDays(365));
    assertThatThrownBy(() -> ReloadPolicy.builder().expiryWarning(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("expiryWarning must be between 0s and 365d: -1s");
    assertThatThrownBy(() -> ReloadPolicy.builder().expiryWarning(Duration.ofDays(Long.MAX_VALUE / 86_400)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("expiryWarning must be between 0s and 365d: ");
  }
}
