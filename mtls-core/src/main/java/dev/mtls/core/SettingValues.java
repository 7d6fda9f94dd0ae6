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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The raw settings under one prefix, and typed values read from them: paths, durations
 * ({@code 30s}, {@code 5m}, ISO-8601) within their bounds, comma-separated lists, enum names.
 * Keys are normalised ({@code tls.cert-file} is {@code TLS_CERT_FILE}); every malformed
 * value, an empty one included, is an {@link MtlsSettingsException} naming its key as the
 * prefix spells it and quoting the value ({@link SafeText#quote}), never the password's.
 * What the keys mean, and which combinations are allowed, is {@link SettingsReader}'s
 * business.
 */
final class SettingValues {
  /** A longer value is not a setting but an accident, or an attack. */
  static final int MAX_VALUE_CHARS = 65_536;
  private static final String NOT_A_DURATION = " is not a duration (say 30s, 5m, 1h, 2d or PT30S)";
  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");
  private static final int MAX_DURATION_DIGITS = 18;

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

  /**
   * The value of a key, or {@code null} when it is not set.
   *
   * @throws MtlsSettingsException when the value is empty (or only spaces) or absurdly long
   */
  @Nullable String get(SettingKey key) {
    String value = values.get(key(key));
    if (value == null) {
      return null;
    }
    if (value.isEmpty()) {
      throw error(key, "is empty: give it a value, or leave it out");
    }
    if (value.length() > MAX_VALUE_CHARS) {
      throw error(key, show(key, value) + " is longer than " + MAX_VALUE_CHARS + " characters");
    }
    return value;
  }

  /** The value quoted for a message; a password is never shown. */
  static String show(SettingKey key, String value) {
    return key == SettingKey.KEY_PASSWORD ? "the password" : SafeText.quote(value);
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

  <E extends Enum<E>> E enumValue(SettingKey key, Class<E> type, E fallback) {
    String value = get(key);
    if (value == null) {
      return fallback;
    }
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equals(value.toUpperCase(Locale.ROOT))) {
        return constant;
      }
    }
    throw error(key, SafeText.quote(value) + " is not one of " + Arrays.stream(type.getEnumConstants())
        .map(Enum::name).collect(Collectors.joining(", ")));
  }

  @Nullable Path path(SettingKey key) {
    String value = get(key);
    return value == null ? null : toPath(key, value);
  }

  Path toPath(SettingKey key, String value) {
    try {
      return Path.of(value);
    } catch (InvalidPathException e) {
      // The exception's own message repeats the value unescaped: only its reason is kept.
      throw error(key, SafeText.quote(value) + " is not a path: " + e.getReason());
    }
  }

  /**
   * A duration within the bounds its setting allows, or {@code null} when the key is not
   * set. A value too long to count in milliseconds is out of bounds, like any other too long.
   */
  @Nullable Duration duration(SettingKey key, DurationBounds bounds) {
    String value = get(key);
    if (value == null) {
      return null;
    }
    Duration parsed = parseDuration(value);
    if (parsed == null) {
      throw error(key, SafeText.quote(value) + (isOverflow(value) ? " is out of range: must be " + bounds.range()
          : NOT_A_DURATION));
    }
    if (parsed.isNegative()) {
      throw error(key, SafeText.quote(value) + " is negative: must be " + bounds.range());
    }
    if (!bounds.contains(parsed)) {
      throw error(key, SafeText.quote(value) + " is out of range: must be " + bounds.range());
    }
    return parsed;
  }

  /**
   * A comma-separated list, or {@code null} when the key is not set; an empty entry, or one
   * given twice, is an error.
   */
  @Nullable List<String> list(SettingKey key) {
    String value = get(key);
    return value == null ? null : list(key, value);
  }

  List<String> list(SettingKey key, String value) {
    List<String> items = new ArrayList<>();
    for (String item : value.split(",", -1)) {
      String trimmed = item.trim();
      if (trimmed.isEmpty()) {
        throw error(key, "has an empty entry in " + SafeText.quote(value));
      }
      if (items.contains(trimmed)) {
        throw error(key, "has " + SafeText.quote(trimmed) + " twice");
      }
      items.add(trimmed);
    }
    return items;
  }

  /**
   * A duration as settings spell it: {@code 0}, a whole number with a unit ({@code 250ms},
   * {@code 30s}, {@code 5m}, {@code 1h}, {@code 2d}) or ISO-8601 ({@code PT30S}).
   *
   * @return the duration, or {@code null} when the text is none, or one too long to count in
   *     milliseconds (which every user of a duration does, sooner or later)
   */
  static @Nullable Duration parseDuration(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (v.equals("0")) {
      return Duration.ZERO;
    }
    try {
      Duration parsed;
      if (v.startsWith("p")) {
        parsed = Duration.parse(v.toUpperCase(Locale.ROOT));
      } else {
        Matcher matcher = SHORT_DURATION.matcher(v);
        if (!matcher.matches() || matcher.group(1).length() > MAX_DURATION_DIGITS) {
          return null;
        }
        long amount = Long.parseLong(matcher.group(1));
        parsed = Duration.ofMillis(Math.multiplyExact(amount, unitMillis(matcher.group(2))));
      }
      parsed.toMillis(); // throws for durations too long to count in milliseconds
      return parsed;
    } catch (DateTimeParseException | ArithmeticException e) {
      return null;
    }
  }

  /** Whether text that is not a duration looks like one whose number is too large. */
  private static boolean isOverflow(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (v.startsWith("p")) {
      try {
        Duration.parse(v.toUpperCase(Locale.ROOT));
        return true; // it parsed, so only toMillis() refused it
      } catch (DateTimeParseException | ArithmeticException e) {
        return e instanceof ArithmeticException || e.getCause() instanceof ArithmeticException;
      }
    }
    return SHORT_DURATION.matcher(v).matches();
  }

  private static long unitMillis(String unit) {
    switch (unit) {
      case "ms":
        return 1;
      case "s":
        return 1_000;
      case "m":
        return 60_000;
      case "h":
        return 3_600_000;
      default:
        return 86_400_000;
    }
  }

  /** {@code tls.cert-file} and {@code TLS_CERT_FILE} are the same key. */
  static String normalise(String key) {
    return key.trim().toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }
}
