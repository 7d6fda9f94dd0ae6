package dev.mtls.core;

import java.time.Duration;
import java.util.Objects;

/**
 * The range a duration setting must fall in, both ends included, checked the same way by the
 * builder method that takes it and by {@link MtlsSettings} for its key. Durations are shown
 * the way settings spell them ({@code 1m}, {@code 7d}, {@code 250ms}), or in ISO-8601 when no
 * single unit says them exactly.
 *
 * @param name the builder method, such as {@code refreshInterval}
 * @param min the shortest allowed
 * @param max the longest allowed
 */
record DurationBounds(String name, Duration min, Duration max) {
  DurationBounds {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(min, "min");
    Objects.requireNonNull(max, "max");
  }

  boolean contains(Duration duration) {
    return duration.compareTo(min) >= 0 && duration.compareTo(max) <= 0;
  }

  /**
   * The duration, when it is within the bounds.
   *
   * @throws IllegalArgumentException naming the method, the bounds and the duration, when not
   */
  Duration check(Duration duration) {
    Objects.requireNonNull(duration, name);
    if (!contains(duration)) {
      throw new IllegalArgumentException(name + " must be " + range() + ": " + format(duration));
    }
    return duration;
  }

  /** Such as {@code between 1m and 7d}. */
  String range() {
    return "between " + format(min) + " and " + format(max);
  }

  /** The duration in the largest unit that says it exactly, such as {@code 90s} or {@code 7d}. */
  static String format(Duration duration) {
    if (duration.getNano() % 1_000_000 != 0) {
      return duration.toString();
    }
    if (duration.getNano() != 0) {
      try {
        return duration.toMillis() + "ms";
      } catch (ArithmeticException e) {
        return duration.toString();
      }
    }
    long seconds = duration.getSeconds();
    if (seconds == 0) {
      return "0s";
    }
    if (seconds % 86_400 == 0) {
      return seconds / 86_400 + "d";
    }
    if (seconds % 3_600 == 0) {
      return seconds / 3_600 + "h";
    }
    if (seconds % 60 == 0) {
      return seconds / 60 + "m";
    }
    return seconds + "s";
  }
}
