package dev.mtls.core;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A SPIFFE ID ({@code spiffe://trust-domain/path}), parsed and checked against the
 * <a href="https://github.com/spiffe/spiffe/blob/main/standards/SPIFFE-ID.md">SPIFFE ID
 * specification</a>. An immutable value: two IDs are equal when their trust domains and paths
 * are equal, character for character.
 *
 * <pre>{@code
 * SpiffeId id = SpiffeId.parse("spiffe://prod.example/ns/web/sa/frontend");
 * id.trustDomain(); // "prod.example"
 * id.path();        // "/ns/web/sa/frontend"
 * }</pre>
 *
 * <p>The rules enforced: the scheme is {@code spiffe} in lower case; the trust domain is made of
 * lower-case letters, digits, {@code .}, {@code -} and {@code _} only (so no port, no user
 * info, no upper case, no percent-encoding); the path is empty or a sequence of {@code /segment}
 * where each segment is non-empty, is not {@code .} or {@code ..}, and is made of letters,
 * digits, {@code .}, {@code -} and {@code _}; there is no trailing slash, query or fragment; the
 * whole ID is at most 2048 bytes and the trust domain at most 255.
 */
public final class SpiffeId {
  /** The longest SPIFFE ID the specification allows, in bytes (all allowed characters are ASCII). */
  static final int MAX_LENGTH = 2048;
  /** The longest trust domain name the specification allows, in bytes. */
  static final int MAX_TRUST_DOMAIN_LENGTH = 255;

  private static final String PREFIX = "spiffe://";

  private final String trustDomain;
  private final String path;

  private SpiffeId(String trustDomain, String path) {
    this.trustDomain = trustDomain;
    this.path = path;
  }

  /**
   * Parses a SPIFFE ID.
   *
   * @param text such as {@code spiffe://prod.example/ns/web/sa/frontend}
   * @return the ID
   * @throws IllegalArgumentException when it is not a valid SPIFFE ID; the message quotes the
   *     input and says which rule it breaks
   */
  public static SpiffeId parse(String text) {
    Objects.requireNonNull(text, "text");
    String problem = problemWith(text);
    if (problem != null) {
      throw new IllegalArgumentException(
          "invalid SPIFFE ID " + SafeText.quote(text) + ": " + problem);
    }
    int pathStart = text.indexOf('/', PREFIX.length());
    if (pathStart < 0) {
      return new SpiffeId(text.substring(PREFIX.length()), "");
    }
    return new SpiffeId(text.substring(PREFIX.length(), pathStart), text.substring(pathStart));
  }

  /**
   * The trust domain, such as {@code prod.example}.
   *
   * @return the trust domain name, lower case, never empty
   */
  public String trustDomain() {
    return trustDomain;
  }

  /**
   * The path, such as {@code /ns/web/sa/frontend}.
   *
   * @return the path with its leading slash, or the empty string for the ID of a trust domain
   */
  public String path() {
    return path;
  }

  /**
   * The ID as a URI string.
   *
   * @return {@code spiffe://} + trust domain + path
   */
  @Override
  public String toString() {
    return PREFIX + trustDomain + path;
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof SpiffeId that
        && trustDomain.equals(that.trustDomain)
        && path.equals(that.path);
  }

  @Override
  public int hashCode() {
    return 31 * trustDomain.hashCode() + path.hashCode();
  }

  /** Returns what makes {@code text} an invalid SPIFFE ID, or {@code null} when it is valid. */
  static @Nullable String problemWith(String text) {
    if (text.isEmpty()) {
      return "it is empty";
    }
    if (!text.startsWith(PREFIX)) {
      if (text.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
        return "the scheme must be \"spiffe\" in lower case";
      }
      return "it must start with \"spiffe://\"";
    }
    if (text.getBytes(StandardCharsets.UTF_8).length > MAX_LENGTH) {
      return "it is longer than " + MAX_LENGTH + " bytes";
    }
    int pathStart = text.indexOf('/', PREFIX.length());
    int domainEnd = pathStart < 0 ? text.length() : pathStart;
    String domainProblem = trustDomainProblem(text, PREFIX.length(), domainEnd);
    if (domainProblem != null) {
      return domainProblem;
    }
    return pathStart < 0 ? null : pathProblem(text, pathStart);
  }

  /** Checks the trust domain in {@code text[start, end)}. */
  private static @Nullable String trustDomainProblem(String text, int start, int end) {
    if (start == end) {
      return "the trust domain is empty";
    }
    if (end - start > MAX_TRUST_DOMAIN_LENGTH) {
      return "the trust domain is longer than " + MAX_TRUST_DOMAIN_LENGTH + " bytes";
    }
    for (int i = start; i < end; i++) {
      char c = text.charAt(i);
      if (isTrustDomainChar(c)) {
        continue;
      }
      switch (c) {
        case ':':
          return "the trust domain must not contain a port (':')";
        case '@':
          return "the trust domain must not contain user info ('@')";
        case '?':
          return "a SPIFFE ID must not have a query ('?')";
        case '#':
          return "a SPIFFE ID must not have a fragment ('#')";
        case '%':
          return "the trust domain must not be percent-encoded";
        case '*':
          return "the trust domain must not contain a wildcard ('*')";
        default:
          if (c >= 'A' && c <= 'Z') {
            return "the trust domain must be lower case";
          }
          return "the trust domain may contain only lower-case letters, digits, '.', '-' and"
              + " '_', not " + SafeText.describeChar(c);
      }
    }
    return null;
  }

  /** Checks the path that starts with the {@code '/'} at {@code start} and runs to the end. */
  private static @Nullable String pathProblem(String text, int start) {
    int segmentStart = start + 1;
    while (true) {
      int slash = text.indexOf('/', segmentStart);
      int segmentEnd = slash < 0 ? text.length() : slash;
      String problem = segmentProblem(text, segmentStart, segmentEnd);
      if (problem != null || slash < 0) {
        return problem;
      }
      segmentStart = slash + 1;
    }
  }

  /** Checks one path segment {@code text[start, end)}; the path may end in an empty one. */
  static @Nullable String segmentProblem(CharSequence text, int start, int end) {
    if (start == end) {
      return end == text.length()
          ? "the path must not end with '/'"
          : "the path must not contain an empty segment ('//')";
    }
    if (end - start == 1 && text.charAt(start) == '.') {
      return "the path must not contain a '.' segment";
    }
    if (end - start == 2 && text.charAt(start) == '.' && text.charAt(start + 1) == '.') {
      return "the path must not contain a '..' segment";
    }
    for (int i = start; i < end; i++) {
      if (!isPathChar(text.charAt(i))) {
        return pathCharProblem(text.charAt(i));
      }
    }
    return null;
  }

  private static String pathCharProblem(char c) {
    switch (c) {
      case '?':
        return "a SPIFFE ID must not have a query ('?')";
      case '#':
        return "a SPIFFE ID must not have a fragment ('#')";
      case '%':
        return "the path must not be percent-encoded";
      default:
        return "path segments may contain only letters, digits, '.', '-' and '_', not "
            + SafeText.describeChar(c);
    }
  }

  /** Returns what makes {@code text} an invalid trust domain name, or {@code null}. */
  static @Nullable String trustDomainProblem(String text) {
    return trustDomainProblem(text, 0, text.length());
  }

  private static boolean isTrustDomainChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
  }

  private static boolean isPathChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '.'
        || c == '-'
        || c == '_';
  }
}
