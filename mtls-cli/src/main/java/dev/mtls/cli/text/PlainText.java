package dev.mtls.cli.text;

import java.util.Collection;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Text from certificates, servers and files made safe for a terminal line: control, format
 * (bidirectional overrides among them) and line-separator characters escaped as {@code \}{@code
 * uXXXX}, and long text cut, so that nothing a peer wrote can forge an output line or move the
 * cursor. The plain-text counterpart of {@link Json}.
 */
public final class PlainText {
  /** The most characters of one value printed; longer values end with {@code ...}. */
  public static final int MAX_LENGTH = 500;

  private PlainText() {}

  /**
   * A value on one line: a collection as its items joined by {@code ", "} ({@code none} when
   * empty), anything else as its string, escaped and cut.
   *
   * @param value the value
   * @return the printable text
   */
  public static String printable(Object value) {
    if (value instanceof Collection<?> items) {
      return items.isEmpty() ? "none" : items.stream().map(PlainText::printable).collect(Collectors.joining(", "));
    }
    return printable(String.valueOf(value), MAX_LENGTH);
  }

  /**
   * Text on one line, escaped as {@link #printable(Object)} does, cut after {@code maxLength}
   * characters: for messages longer than one value, such as a failure explained.
   *
   * @param text the text
   * @param maxLength the most characters printed
   * @return the printable text
   */
  public static String printable(String text, int maxLength) {
    StringBuilder out = new StringBuilder(Math.min(text.length(), maxLength) + 8);
    int i = 0;
    for (; i < text.length() && out.length() < maxLength; i++) {
      char c = text.charAt(i);
      int type = Character.getType(c);
      if (Character.isISOControl(c) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
          || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE && !validSurrogate(text, i)) {
        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return i < text.length() ? out.append("...").toString() : out.toString();
  }

  private static boolean validSurrogate(String text, int i) {
    char c = text.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
  }
}
