package dev.mtls.core;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads typed values out of raw {@code TLS_*} settings: paths, durations ({@code 30s},
 * {@code 5m}, ISO-8601), comma-separated lists, enum names. Every malformed value is an
 * {@link MtlsSettingsException} naming its key. What the keys mean, and which combinations
 * are allowed, is {@link MtlsSettings}'s business.
 */
final class SettingValues {
  private final Map<String, String> values;

  SettingValues(Map<String, String> values) {
    this.values = values;
  }

  @Nullable String get(String key) {
    return values.get(key);
  }

  boolean has(String key) {
    return values.containsKey(key);
  }

  <E extends Enum<E>> E enumValue(String key, Class<E> type, E fallback) {
    String value = values.get(key);
    if (value == null) {
      return fallback;
    }
    try {
      return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new MtlsSettingsException(key, "'" + value + "' is not one of "
          + Arrays.toString(type.getEnumConstants()), e);
    }
  }

  @Nullable Path path(String key) {
    String value = values.get(key);
    return value == null ? null : toPath(key, value);
  }

  static Path toPath(String key, String value) {
    if (value.isEmpty()) {
      throw new MtlsSettingsException(key, "is empty", null);
    }
    try {
      return Path.of(value);
    } catch (InvalidPathException e) {
      throw new MtlsSettingsException(key, "'" + value + "' is not a path: " + e.getMessage(), e);
    }
  }

  @Nullable Duration duration(String key) {
    String value = values.get(key);
    if (value == null) {
      return null;
    }
    Duration parsed = parseDuration(value);
    if (parsed == null || parsed.isNegative()) {
      throw new MtlsSettingsException(key, "'" + value + "' is not a duration (say 30s, 5m, 1h, 2d or PT30S)", null);
    }
    return parsed;
  }

  static @Nullable Duration parseDuration(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    try {
      if (v.startsWith("p")) {
        return Duration.parse(v.toUpperCase(Locale.ROOT));
      }
      if (v.matches("\\d+(ms|s|m|h|d)")) {
        String unit = v.replaceAll("\\d+", "");
        long amount = Long.parseLong(v.substring(0, v.length() - unit.length()));
        switch (unit) {
          case "ms":
            return Duration.ofMillis(amount);
          case "s":
            return Duration.ofSeconds(amount);
          case "m":
            return Duration.ofMinutes(amount);
          case "h":
            return Duration.ofHours(amount);
          default:
            return Duration.ofDays(amount);
        }
      }
    } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
      return null;
    }
    return null;
  }

  /** A comma-separated list; an empty entry is an error, not a wildcard. */
  static List<String> list(String key, String value) {
    List<String> items = new ArrayList<>();
    for (String item : value.split(",")) {
      String trimmed = item.trim();
      if (trimmed.isEmpty()) {
        throw new MtlsSettingsException(key, "has an empty entry in '" + value + "'", null);
      }
      items.add(trimmed);
    }
    return items;
  }

  String firstPresent(List<String> keys) {
    return keys.stream().filter(values::containsKey).findFirst().orElse(keys.get(0));
  }
}
