package dev.mtls.servlet;

/** JSON string literals, for problem bodies and for messages that quote configuration. */
final class Json {
  /** Texts longer than this are cut: a message names a value, it does not reproduce a file. */
  private static final int MAX_QUOTED = 200;

  private Json() {}

  /**
   * The text as a JSON string literal, quotes included: {@code "} and {@code \} escaped,
   * control characters and everything outside printable ASCII as {@code \}{@code uXXXX}, so
   * it is safe in a JSON body, an HTML-sniffing browser and a log line alike. Cut after 200
   * characters.
   */
  static String quote(String text) {
    StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_QUOTED) + 8).append('"');
    int end = Math.min(text.length(), MAX_QUOTED);
    for (int i = 0; i < end; i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || c > 0x7e || c == '<' || c == '>' || c == '&') {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    if (end < text.length()) {
      out.append("...");
    }
    return out.append('"').toString();
  }
}
