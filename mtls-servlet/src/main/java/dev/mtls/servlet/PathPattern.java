package dev.mtls.servlet;

import java.util.Objects;

/**
 * A path a rule applies to, servlet style: exact ({@code /health}) or a prefix ({@code /docs/*},
 * which matches {@code /docs} and everything under it; {@code /*} matches every path). Written
 * canonically: no empty, {@code .} or {@code ..} segment, no {@code ;}, {@code \}, {@code %} or
 * control characters, a {@code *} only as the last segment. Matching is exact and
 * case-sensitive, on the container's decoded and normalised path.
 */
final class PathPattern {
  private final String text;
  /** The exact path, or the prefix's base without its {@code /*} ({@code ""} for {@code /*}). */
  private final String base;
  private final boolean prefix;

  private PathPattern(String text, String base, boolean prefix) {
    this.text = text;
    this.base = base;
    this.prefix = prefix;
  }

  /**
   * Parses a pattern.
   *
   * @param text such as {@code /health} or {@code /docs/*}
   * @return the pattern
   * @throws IllegalArgumentException naming the pattern and what is wrong with it
   */
  static PathPattern parse(String text) {
    Objects.requireNonNull(text, "path pattern");
    String problem = problem(text);
    if (problem != null) {
      throw new IllegalArgumentException("path pattern " + Json.quote(text) + " " + problem);
    }
    if (text.equals("/*")) {
      return new PathPattern(text, "", true);
    }
    if (text.endsWith("/*")) {
      return new PathPattern(text, text.substring(0, text.length() - 2), true);
    }
    return new PathPattern(text, text, false);
  }

  private static String problem(String text) {
    if (!text.startsWith("/")) {
      return "does not start with /";
    }
    if (text.length() > 1 && text.endsWith("/")) {
      return "ends with / (write /path for the path itself, /path/* for everything under it)";
    }
    int star = text.indexOf('*');
    if (star >= 0 && (star != text.length() - 1 || !text.endsWith("/*"))) {
      return "has a * that is not its last segment: only /prefix/* patterns are supported";
    }
    String path = star >= 0 ? text.substring(0, text.length() - 2) : text;
    return Paths.canonical(path.isEmpty() ? "/" : path) ? null
        : "is not canonical: no //, /./ or /../ segments, and no ; \\ % or control characters";
  }

  boolean matches(String path) {
    if (!prefix) {
      return path.equals(base);
    }
    return path.startsWith(base) && (path.length() == base.length() || path.charAt(base.length()) == '/');
  }

  /**
   * A path both patterns match, when there is one: rules whose patterns overlap would make the
   * outcome depend on their order.
   */
  String sharedPath(PathPattern other) {
    if (!prefix && !other.prefix) {
      return base.equals(other.base) ? base : null;
    }
    if (!prefix) {
      return other.matches(base) ? base : null;
    }
    if (!other.prefix) {
      return matches(other.base) ? other.base : null;
    }
    String longer = base.length() >= other.base.length() ? base : other.base;
    String shorter = longer == base ? other.base : base;
    boolean nested = longer.startsWith(shorter)
        && (longer.length() == shorter.length() || longer.charAt(shorter.length()) == '/');
    return nested ? (longer.isEmpty() ? "/" : longer) : null;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof PathPattern that && text.equals(that.text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}
