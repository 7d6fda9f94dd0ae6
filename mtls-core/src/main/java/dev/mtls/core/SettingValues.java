package dev.mtls.core;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The raw settings under one prefix, and typed values read from them: paths, durations
 * ({@code 30s}, {@code 5m}, ISO-8601), comma-separated lists, enum names. Keys are
 * normalised ({@code tls.cert-file} is {@code TLS_CERT_FILE}); every malformed value is an
 * {@link MtlsSettingsException} naming its key as the prefix spells it. What the keys mean,
 * and which combinations are allowed, is {@link SettingsReader}'s business.
 */
final class SettingValues {
  private final String prefix;
  private final Map<String, String> values;
  private final List<String> duplicates;

  private SettingValues(String prefix, Map<String, String> values, List<String> duplicates) {
    this.prefix = prefix;
    this.values = values;
    this.duplicates = duplicates;
  }

  /**
   * Takes the settings whose normalised key starts with the prefix; the others are ignored,
   * so a whole environment can be passed.
   *
   * @param settings keys and values, such as {@link System#getenv()}
   * @param prefix such as {@code TLS_} or {@code kas.tls.}, normalised the same way as keys
   */
  static SettingValues collect(Map<String, String> settings, String prefix) {
    Objects.requireNonNull(settings, "settings");
    String normalisedPrefix = normalise(Objects.requireNonNull(prefix, "prefix"));
    if (normalisedPrefix.isEmpty() || !normalisedPrefix.endsWith("_") || !normalisedPrefix.matches("[A-Z0-9_]+")) {
      throw new IllegalArgumentException("the settings prefix must be letters, digits and '_', ending"
          + " in '_' (such as TLS_ or KAS_TLS_): " + SafeText.quote(prefix));
    }
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, String> spellings = new LinkedHashMap<>();
    List<String> duplicates = new ArrayList<>();
    settings.forEach((key, value) -> {
      String normalised = normalise(Objects.requireNonNull(key, "key"));
      if (!normalised.startsWith(normalisedPrefix)) {
        return;
      }
      if (value == null) {
        throw new MtlsSettingsException(normalised, "has no value (null)", null);
      }
      String earlier = spellings.putIfAbsent(normalised, key);
      if (earlier != null) {
        duplicates.add(normalised);
        return;
      }
      // A password is taken as given: spaces may be part of it.
      boolean password = normalised.equals(normalisedPrefix + SettingKey.KEY_PASSWORD.name());
      values.put(normalised, password ? value : value.trim());
    });
    return new SettingValues(normalisedPrefix, values, duplicates);
  }

  String prefix() {
    return prefix;
  }

  /** The key as it is spelled under this prefix, such as {@code KAS_TLS_CERT_FILE}. */
  String key(SettingKey key) {
    return prefix + key.name();
  }

  boolean isEmpty() {
    return values.isEmpty();
  }

  /** The keys set, sorted; never their values. */
  Set<String> keys() {
    return new TreeSet<>(values.keySet());
  }

  boolean has(SettingKey key) {
    return values.containsKey(key(key));
  }

  @Nullable String get(SettingKey key) {
    return values.get(key(key));
  }

  /** The first of these keys that is set, or {@code null}. */
  @Nullable SettingKey firstSet(List<SettingKey> keys) {
    for (SettingKey key : keys) {
      if (has(key)) {
        return key;
      }
    }
    return null;
  }

  /**
   * Fails on the first key under the prefix that is not a known setting, naming the nearest
   * known one, and on a key given twice in different spellings.
   */
  void checkKeys() {
    for (String key : values.keySet()) {
      String name = key.substring(prefix.length());
      if (!isKnown(name)) {
        throw new MtlsSettingsException(key, "unknown setting; did you mean "
            + prefix + SettingKey.closest(name).name() + "?", null);
      }
    }
    if (!duplicates.isEmpty()) {
      throw new MtlsSettingsException(duplicates.get(0), "given twice, in two spellings", null);
    }
  }

  private static boolean isKnown(String name) {
    for (SettingKey key : SettingKey.values()) {
      if (key.name().equals(name)) {
        return true;
      }
    }
    return false;
  }

  MtlsSettingsException error(SettingKey key, String message) {
    return new MtlsSettingsException(key(key), message, null);
  }

  MtlsSettingsException error(SettingKey key, String message, Throwable cause) {
    return new MtlsSettingsException(key(key), message, cause);
  }

  <E extends Enum<E>> E enumValue(SettingKey key, Class<E> type, E fallback) {
    String value = get(key);
    if (value == null) {
      return fallback;
    }
    try {
      return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw error(key, "'" + value + "' is not one of " + Arrays.toString(type.getEnumConstants()), e);
    }
  }

  @Nullable Path path(SettingKey key) {
    String value = get(key);
    return value == null ? null : toPath(key, value);
  }

  Path toPath(SettingKey key, String value) {
    if (value.isEmpty()) {
      throw error(key, "is empty");
    }
    try {
      return Path.of(value);
    } catch (InvalidPathException e) {
      throw error(key, "'" + value + "' is not a path: " + e.getMessage(), e);
    }
  }

  @Nullable Duration duration(SettingKey key) {
    String value = get(key);
    if (value == null) {
      return null;
    }
    Duration parsed = parseDuration(value);
    if (parsed == null || parsed.isNegative()) {
      throw error(key, "'" + value + "' is not a duration (say 30s, 5m, 1h, 2d or PT30S)");
    }
    return parsed;
  }

  /** A comma-separated list, or {@code null} when the key is not set; an empty entry is an error. */
  @Nullable List<String> list(SettingKey key) {
    String value = get(key);
    return value == null ? null : list(key, value);
  }

  List<String> list(SettingKey key, String value) {
    List<String> items = new ArrayList<>();
    for (String item : value.split(",", -1)) {
      String trimmed = item.trim();
      if (trimmed.isEmpty()) {
        throw error(key, "has an empty entry in '" + value + "'");
      }
      items.add(trimmed);
    }
    return items;
  }

  static @Nullable Duration parseDuration(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    try {
      if (v.startsWith("p")) {
        return Duration.parse(v.toUpperCase(Locale.ROOT));
      }
      if (v.matches("\\d{1,18}(ms|s|m|h|d)")) {
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

  /** {@code tls.cert-file} and {@code TLS_CERT_FILE} are the same key. */
  static String normalise(String key) {
    return key.trim().toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }
}
