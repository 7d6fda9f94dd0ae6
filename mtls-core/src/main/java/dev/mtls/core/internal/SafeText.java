package dev.mtls.core.internal;

/**
 * Makes text that came from a peer's certificate or from configuration safe to put in an
 * exception message or a log line: control and invisible format characters are escaped (a
 * certificate name must not be able to forge a second log line or hide a character), and very
 * long values are cut.
 *
 * <p>The one implementation of that escaping: the public API's classes reach it through the
 * package-private {@code dev.mtls.core.SafeText}, the internal packages directly.
 */
public final class SafeText {
  /** Longer values are cut: a name in a message is for recognising, not for copying. */
  private static final int MAX_CHARS = 256;
  /** A whole detail line is cut only when absurd: it may list many names. */
  private static final int MAX_LINE_CHARS = 4096;

  private SafeText() {}

  /**
   * The text between double quotes, escaped and cut.
   *
   * @param text any text
   * @return {@code "text"} with {@code "} and {@code \} escaped as well
   */
  public static String quote(String text) {
    return '"' + escape(text, true) + '"';
  }

  /**
   * The text escaped and cut, without quotes: for names shown in lists.
   *
   * @param text any text
   * @return the text, safe to print on one line
   */
  public static String printable(String text) {
    return escape(text, false);
  }

  /**
   * A whole message line escaped like {@link #printable}, but cut only when it is absurdly long:
   * for details that put several names side by side.
   *
   * @param text any text
   * @return the text, safe to print on one line
   */
  public static String line(String text) {
    return escape(text, false, MAX_LINE_CHARS);
  }

  /**
   * One character named so that a reader can see it: {@code 'x'} when printable, else its
   * code point, such as {@code U+0000}.
   *
   * @param c the character
   * @return the character quoted, or its code point
   */
  public static String describeChar(char c) {
    if (needsEscape(c) || c == ' ') {
      return String.format("U+%04X", (int) c);
    }
    return "'" + c + "'";
  }

  private static String escape(String text, boolean quoted) {
    return escape(text, quoted, MAX_CHARS);
  }

  private static String escape(String text, boolean quoted, int maxChars) {
    int limit = Math.min(text.length(), maxChars);
    StringBuilder out = null;
    for (int i = 0; i < limit; i++) {
      char c = text.charAt(i);
      boolean escape = needsEscape(c) || (quoted && (c == '"' || c == '\\'));
      if (escape && out == null) {
        out = new StringBuilder(limit + 16).append(text, 0, i);
      }
      if (out != null) {
        if (!escape) {
          out.append(c);
        } else if (c == '"' || c == '\\') {
          out.append('\\').append(c);
        } else {
          out.append(String.format("\\u%04x", (int) c));
        }
      }
    }
    String result = out != null ? out.toString() : text.substring(0, limit);
    return limit < text.length()
        ? result + "...(" + text.length() + " chars)"
        : result;
  }

  private static boolean needsEscape(char c) {
    int type = Character.getType(c);
    return Character.isISOControl(c)
        || type == Character.FORMAT
        || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR
        || type == Character.SURROGATE
        || type == Character.UNASSIGNED;
  }
}
