package dev.mtls.cli.probe;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads {@code --timeout}: {@code 500ms}, {@code 10s}, {@code 2m}, or ISO-8601 ({@code PT10S});
 * between 1 ms and 10 minutes, so that a typo cannot make a probe wait for ever.
 */
final class TimeoutConverter implements ITypeConverter<Duration> {
  static final Duration MAX = Duration.ofMinutes(10);
  private static final Pattern SHORT = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

  @Override
  public Duration convert(String value) {
    Duration duration = parse(value.trim().toLowerCase(Locale.ROOT));
    if (duration.isNegative() || duration.isZero() || duration.compareTo(MAX) > 0) {
      throw new TypeConversionException("'" + value + "' is not between 1ms and 10m");
    }
    return duration;
  }

  private static Duration parse(String value) {
    Matcher shortForm = SHORT.matcher(value);
    if (shortForm.matches()) {
      long amount = Long.parseLong(shortForm.group(1));
      return switch (shortForm.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        default -> Duration.ofHours(amount);
      };
    }
    try {
      return Duration.parse(value.toUpperCase(Locale.ROOT));
    } catch (DateTimeParseException e) {
      throw new TypeConversionException("'" + value + "' is not a duration: write 500ms, 10s, 2m or PT10S");
    }
  }
}
