package dev.mtls.core;

/**
 * Makes text that came from a peer's certificate or from configuration safe to put in an
 * exception message or a log line. The API package's name for
 * {@link dev.mtls.core.internal.SafeText}, where the escaping is implemented once for every
 * package of the library.
 */
final class SafeText {
  private SafeText() {}

  /**
   * The text between double quotes, escaped and cut.
   *
   * @param text any text
   * @return {@code "text"} with {@code "} and {@code \} escaped as well
   */
  static String quote(String text) {
    return dev.mtls.core.internal.SafeText.quote(text);
  }

  /**
   * The text escaped and cut, without quotes: for names shown in lists.
   *
   * @param text any text
   * @return the text, safe to print on one line
   */
  static String printable(String text) {
    return dev.mtls.core.internal.SafeText.printable(text);
  }

  /**
   * A whole message line escaped like {@link #printable}, but cut only when it is absurdly long.
   *
   * @param text any text
   * @return the text, safe to print on one line
   */
  static String line(String text) {
    return dev.mtls.core.internal.SafeText.line(text);
  }

  /**
   * One character named so that a reader can see it.
   *
   * @param c the character
   * @return {@code 'x'} when printable, else its code point, such as {@code U+0000}
   */
  static String describeChar(char c) {
    return dev.mtls.core.internal.SafeText.describeChar(c);
  }
}
