package dev.mtls.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TestClockTest {

  @Test
  void newClock_isFrozenAtNow_truncatedToSeconds() {
    Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    TestClock clock = new TestClock();
    Instant after = Instant.now();

    assertThat(clock.instant()).isBetween(before, after);
    assertThat(clock.instant().getNano()).isZero();
    assertThat(clock.instant()).isEqualTo(clock.instant());
    assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
  }

  @Test
  void advance_andSet_moveTheClock() {
    Instant start = Instant.parse("2026-11-25T03:10:00Z");
    TestClock clock = new TestClock(start);

    clock.advance(Duration.ofDays(2));
    assertThat(clock.instant()).isEqualTo(start.plus(Duration.ofDays(2)));
    assertThat(clock.millis()).isEqualTo(start.plus(Duration.ofDays(2)).toEpochMilli());

    clock.advance(Duration.ofHours(-1));
    assertThat(clock.instant()).isEqualTo(start.plus(Duration.ofDays(2)).minusSeconds(3600));

    clock.set(start);
    assertThat(clock.instant()).isEqualTo(start);
  }

  @Test
  void withZone_isAViewThatFollowsTheClock() {
    TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
    ZoneId paris = ZoneId.of("Europe/Paris");

    var view = clock.withZone(paris);
    clock.advance(Duration.ofMinutes(5));

    assertThat(view.getZone()).isEqualTo(paris);
    assertThat(view.instant()).isEqualTo(clock.instant());
    assertThat(clock.withZone(ZoneOffset.UTC)).isSameAs(clock);
  }

  @Test
  void advance_fromManyThreads_losesNoUpdate() throws Exception {
    TestClock clock = new TestClock(Instant.EPOCH);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      for (int i = 0; i < 1000; i++) {
        pool.execute(() -> clock.advance(Duration.ofSeconds(1)));
      }
    } finally {
      pool.shutdown();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(clock.instant()).isEqualTo(Instant.EPOCH.plusSeconds(1000));
  }

  @Test
  void nullArguments_areRejectedWithTheirName() {
    TestClock clock = new TestClock();
    assertThatNullPointerException().isThrownBy(() -> clock.advance(null)).withMessage("duration");
    assertThatNullPointerException().isThrownBy(() -> clock.set(null)).withMessage("instant");
  }
}
