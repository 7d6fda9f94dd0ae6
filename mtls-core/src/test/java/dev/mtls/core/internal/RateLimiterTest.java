package dev.mtls.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  private final AtomicLong nanos = new AtomicLong();
  private final RateLimiter limiter = new RateLimiter(3, TimeUnit.MINUTES.toNanos(1), nanos::get);

  @Test
  void letsAFewThrough_thenCountsWhatItDrops_andReportsThemWithTheNextOneLetThrough() {
    assertThat(limiter.tryAcquire()).isZero();
    assertThat(limiter.tryAcquire()).isZero();
    assertThat(limiter.tryAcquire()).isZero();
    for (int i = 0; i < 1000; i++) {
      assertThat(limiter.tryAcquire()).isEqualTo(-1);
    }

    nanos.addAndGet(TimeUnit.MINUTES.toNanos(1));
    assertThat(limiter.tryAcquire()).isEqualTo(1000);
    assertThat(limiter.tryAcquire()).isZero();
  }
}
