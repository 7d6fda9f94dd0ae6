package dev.mtls.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that stands still until a test moves it. A {@link TestCa} reads it to date the
 * certificates and CRLs it makes, and code under test can be handed the same clock, so that
 * "one day later" is a method call rather than a wait.
 *
 * <pre>{@code
 * TestClock clock = new TestClock();
 * TestCa ca = TestCa.builder().clock(clock).build();
 * IssuedCertificate server = ca.server("localhost");   // valid for one day from now
 * clock.advance(Duration.ofDays(2));                    // now it has expired, for the clock
 * }</pre>
 *
 * <p>Thread-safe. The zone is {@link ZoneOffset#UTC}.
 */
public final class TestClock extends Clock {
  private final AtomicReference<Instant> now;

  /** Creates a clock frozen at the current time, truncated to whole seconds. */
  public TestClock() {
    this(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  }

  /**
   * Creates a clock frozen at {@code start}.
   *
   * @param start the instant the clock shows until it is moved
   */
  public TestClock(Instant start) {
    this.now = new AtomicReference<>(Objects.requireNonNull(start, "start"));
  }

  /**
   * Returns the instant the clock shows.
   *
   * @return the current instant of this clock
   */
  @Override
  public Instant instant() {
    return now.get();
  }

  /**
   * Moves the clock by {@code duration}; a negative duration moves it back.
   *
   * @param duration how far to move the clock
   */
  public void advance(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    now.updateAndGet(t -> t.plus(duration));
  }

  /**
   * Sets the clock to {@code instant}.
   *
   * @param instant the instant the clock shows from now on
   */
  public void set(Instant instant) {
    now.set(Objects.requireNonNull(instant, "instant"));
  }

  /**
   * Returns {@link ZoneOffset#UTC}.
   *
   * @return the zone of this clock
   */
  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  /**
   * Returns a clock that shows the same (moving) instant as this one, in another zone.
   *
   * @param zone the zone of the returned clock
   * @return this clock for UTC, otherwise a view of this clock in {@code zone}
   */
  @Override
  public Clock withZone(ZoneId zone) {
    Objects.requireNonNull(zone, "zone");
    return zone.equals(ZoneOffset.UTC) ? this : new ZonedView(this, zone);
  }

  /**
   * Describes the clock and the instant it shows.
   *
   * @return for example {@code TestClock[2026-11-25T03:10:00Z]}
   */
  @Override
  public String toString() {
    return "TestClock[" + instant() + "]";
  }

  /** This clock seen from another zone: it moves when the test clock moves. */
  private static final class ZonedView extends Clock {
    private final TestClock clock;
    private final ZoneId zone;

    ZonedView(TestClock clock, ZoneId zone) {
      this.clock = clock;
      this.zone = zone;
    }

    @Override
    public ZoneId getZone() {
      return zone;
    }

    @Override
    public Clock withZone(ZoneId other) {
      return clock.withZone(other);
    }

    @Override
    public Instant instant() {
      return clock.instant();
    }

    @Override
    public String toString() {
      return clock + " in " + zone;
    }
  }
}
