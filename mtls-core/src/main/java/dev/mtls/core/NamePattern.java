package dev.mtls.core;

import dev.mtls.core.internal.validation.IpAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One entry of a {@link PeerPolicy} allow-list: a name, or a name in which some segments are
 * the wildcard {@code *}, parsed and checked once when the policy is built.
 *
 * <p>A {@code *} segment matches exactly one non-empty segment that contains no {@code *}
 * itself: one DNS label, one {@code .}-separated part of a CN, one URI or SPIFFE path segment.
 * There are no partial wildcards ({@code a*b}), no {@code **}, no patterns made only of
 * wildcards, and none in a URI's scheme or authority or a SPIFFE trust domain. A wildcard in the
 * peer's certificate is never expanded: {@code *.example.com} in a certificate is not a name.
 */
sealed interface NamePattern
    permits NamePattern.CommonName, NamePattern.DnsName, NamePattern.UriName, NamePattern.Spiffe,
        NamePattern.IpRange, NamePattern.Email {

  /** The segment that matches any one segment. */
  String WILDCARD = "*";

  /**
   * The pattern as configured.
   *
   * @return the text given to the builder
   */
  String text();

  /**
   * Whether one of the peer's names of this pattern's kind matches.
   *
   * @param peer the peer
   * @return {@code true} on a match
   */
  boolean matches(PeerIdentity peer);

  /**
   * A common-name pattern: without {@code *}, the exact CN (case-sensitive, code point by code
   * point); with {@code *}, the CN split on {@code .} and matched segment by segment, literal
   * segments exactly. A CN rule only matches a subject with exactly one CN.
   *
   * @param text the name or pattern
   * @return the pattern
   * @throws IllegalArgumentException when the pattern is malformed
   */
  static NamePattern commonName(String text) {
    if (text.indexOf('*') < 0) {
      return new CommonName(text, null);
    }
    List<String> segments = split(text, '.');
    for (String segment : segments) {
      String problem = wildcardProblem(segment);
      if (problem == null && segment.isEmpty()) {
        problem = "it has an empty '.'-separated part";
      }
      if (problem != null) {
        throw invalid("CN", text, problem);
      }
    }
    requireLiteralPart("CN", text, segments);
    return new CommonName(text, segments);
  }

  /**
   * A DNS name pattern, matched against DNS SANs ASCII case-insensitively. IDN labels are
   * written and matched as A-labels ({@code xn--...}); a SAN with a non-ASCII byte never matches.
   *
   * @param text the name or pattern, such as {@code *.svc.cluster.local}
   * @return the pattern
   * @throws IllegalArgumentException when it is not a DNS name, or the pattern is malformed
   */
  static NamePattern dnsName(String text) {
    if (text.length() > 253) {
      throw invalid("DNS name", text, "it is longer than 253 characters");
    }
    if (text.endsWith(".")) {
      throw invalid("DNS name", text, "it must not end with '.'");
    }
    List<String> segments = split(text.toLowerCase(Locale.ROOT), '.');
    for (String label : segments) {
      String problem = wildcardProblem(label);
      if (problem == null && !label.equals(WILDCARD)) {
        problem = dnsLabelProblem(label);
      }
      if (problem != null) {
        throw invalid("DNS name", text, problem);
      }
    }
    requireLiteralPart("DNS name", text, segments);
    return new DnsName(text, segments);
  }

  /**
   * A URI pattern, matched against URI SANs. Without {@code *}, URI equality after parsing
   * ({@link URI#equals}: scheme and host case-insensitive, the rest exact). With {@code *}, an
   * absolute URI with an authority and no query or fragment, whose path segments may be
   * {@code *}; a {@code *} path segment is always a wildcard.
   *
   * @param text the URI or pattern, such as {@code https://id.example/workloads/*}
   * @return the pattern
   * @throws IllegalArgumentException when it is not an absolute URI, or the pattern is malformed
   */
  static NamePattern uri(String text) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw invalid("URI", text, "it is not a URI: " + e.getReason());
    }
    if (!uri.isAbsolute()) {
      throw invalid("URI", text, "it has no scheme");
    }
    if (text.indexOf('*') < 0) {
      return new UriName(text, uri, null);
    }
    String authority = uri.getRawAuthority();
    if (uri.isOpaque() || authority == null) {
      throw invalid("URI", text, "a pattern with '*' must have an authority ('scheme://host/')");
    }
    if (authority.indexOf('*') >= 0) {
      throw invalid("URI", text, "wildcards are not allowed in the scheme or authority");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw invalid("URI", text, "a pattern with '*' must not have a query or fragment");
    }
    String path = uri.getRawPath();
    if (path == null || path.indexOf('*') < 0) {
      throw invalid("URI", text, "wildcards are allowed only as path segments");
    }
    List<String> segments = split(path.substring(1), '/');
    for (String segment : segments) {
      String problem = wildcardProblem(segment);
      if (problem != null) {
        throw invalid("URI", text, problem);
      }
    }
    return new UriName(text, uri, segments);
  }

  /**
   * A SPIFFE ID pattern, matched against the peer's SPIFFE ID. Without {@code *}, a SPIFFE ID
   * compared as a {@link SpiffeId} value; with {@code *}, a SPIFFE ID some of whose path segments
   * are {@code *}. The trust domain is always literal.
   *
   * @param text the ID or pattern, such as {@code spiffe://prod.example/ns/*}{@code /sa/ingester}
   * @return the pattern
   * @throws IllegalArgumentException when it is not a valid SPIFFE ID once its wildcards are
   *     taken out, or the pattern is malformed
   */
  static NamePattern spiffeId(String text) {
    if (text.indexOf('*') < 0) {
      String problem = SpiffeId.problemWith(text);
      if (problem != null) {
        throw invalid("SPIFFE ID", text, problem);
      }
      return new Spiffe(text, SpiffeId.parse(text), null);
    }
    String prefix = "spiffe://";
    if (!text.startsWith(prefix)) {
      throw invalid("SPIFFE ID", text, "it must start with \"spiffe://\"");
    }
    int slash = text.indexOf('/', prefix.length());
    String trustDomain = text.substring(prefix.length(), slash < 0 ? text.length() : slash);
    if (trustDomain.indexOf('*') >= 0) {
      throw invalid("SPIFFE ID", text, "wildcards are not allowed in the trust domain");
    }
    String problem = SpiffeId.trustDomainProblem(trustDomain);
    if (problem != null) {
      throw invalid("SPIFFE ID", text, problem);
    }
    List<String> segments = split(text.substring(slash + 1), '/');
    int start = slash + 1;
    for (String segment : segments) {
      problem = wildcardProblem(segment);
      if (problem == null && !segment.equals(WILDCARD)) {
        problem = SpiffeId.segmentProblem(text, start, start + segment.length());
      }
      if (problem != null) {
        throw invalid("SPIFFE ID", text, problem);
      }
      start += segment.length() + 1;
    }
    return new Spiffe(text, null, new SpiffePath(trustDomain, segments));
  }

  /**
   * An IP address or CIDR range, matched against IP address SANs by value: {@code 2001:db8::7}
   * and {@code 2001:0db8:0:0:0:0:0:7} are one address, and an IPv4-mapped IPv6 address
   * ({@code ::ffff:192.0.2.7}) is the IPv4 address it maps, on either side. A range
   * {@code 10.0.0.0/8} or {@code 2001:db8::/32} matches the addresses under its prefix; its
   * host bits must be zero. No name is ever resolved.
   *
   * @param text an IPv4 or IPv6 literal, optionally followed by {@code /} and a prefix length
   * @return the pattern
   * @throws IllegalArgumentException when it is not such a literal or range
   */
  static NamePattern ipAddress(String text) {
    int slash = text.indexOf('/');
    String literal = slash < 0 ? text : text.substring(0, slash);
    IpAddress address = IpAddress.parse(literal);
    if (address == null) {
      throw invalid("IP address", text, "it is not an IPv4 or IPv6 literal (IPv4 as four decimal parts"
          + " 0-255 without leading zeros, IPv6 as RFC 4291 text without brackets or zone)");
    }
    int prefix = address.bits();
    if (slash >= 0) {
      String digits = text.substring(slash + 1);
      if (digits.isEmpty() || digits.length() > 3 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
        throw invalid("IP address", text, "the prefix length after '/' must be a decimal number");
      }
      // An IPv4-mapped range is written in IPv6 bits; count them in the IPv4 address's own.
      int given = Integer.parseInt(digits);
      int familyBits = literal.indexOf(':') >= 0 ? 128 : 32;
      prefix = given - (familyBits - address.bits());
      if (given > familyBits || prefix < 0) {
        throw invalid("IP address", text, "the prefix length must be 0 to " + familyBits
            + (familyBits != address.bits() ? " (at least 96 for an IPv4-mapped range)" : ""));
      }
      if (prefix == 0) {
        throw invalid("IP address", text, "a range of every address would match almost any peer;"
            + " use PeerPolicy.anyTrustedPeer() to allow every trusted peer");
      }
      if (!address.hostBitsZero(prefix)) {
        throw invalid("IP address", text, "bits are set after the prefix: write the network address ("
            + "the range starts at an address whose last " + (address.bits() - prefix) + " bits are zero)");
      }
    }
    return new IpRange(text, address, prefix);
  }

  /**
   * An email address, matched against email ({@code rfc822Name}) SANs as RFC 5280 (4.2.1.6,
   * 7.5) says: the local part exactly, case-sensitively; the domain ASCII case-insensitively.
   * {@code *@example.com} matches any mailbox at exactly {@code example.com} (not at its
   * subdomains). Internationalized mailboxes ({@code SmtpUTF8Mailbox}, RFC 8398) are not
   * rfc822Names and never match; domains are written as A-labels.
   *
   * @param text such as {@code ops@example.com} or {@code *@example.com}
   * @return the pattern
   * @throws IllegalArgumentException when it is not a mailbox or a malformed pattern
   */
  static NamePattern email(String text) {
    int at = text.lastIndexOf('@');
    if (at <= 0 || at == text.length() - 1) {
      throw invalid("email", text, "it must be local-part@domain");
    }
    String local = text.substring(0, at);
    String domain = text.substring(at + 1);
    if (local.length() > 64) {
      throw invalid("email", text, "the local part is longer than 64 characters");
    }
    for (int i = 0; i < local.length(); i++) {
      char c = local.charAt(i);
      if (c <= ' ' || c >= 0x7f) {
        throw invalid("email", text, "the local part may contain only printable ASCII, not "
            + SafeText.describeChar(c));
      }
    }
    String problem = wildcardProblem(local);
    if (problem != null) {
      throw invalid("email", text, "'*' must be the whole local part");
    }
    if (domain.indexOf('*') >= 0) {
      throw invalid("email", text, "wildcards are not allowed in the domain");
    }
    if (domain.length() > 253 || domain.endsWith(".")) {
      throw invalid("email", text, "the domain must be a DNS name of at most 253 characters, without a trailing '.'");
    }
    for (String label : split(domain.toLowerCase(Locale.ROOT), '.')) {
      problem = dnsLabelProblem(label);
      if (problem != null) {
        throw invalid("email", text, problem);
      }
    }
    return new Email(text, local.equals(WILDCARD) ? null : local, domain);
  }

  /** An IP rule: the addresses whose first {@code prefixBits} bits are the {@code network}'s. */
  record IpRange(String text, IpAddress network, int prefixBits) implements NamePattern {
    @Override
    public boolean matches(PeerIdentity peer) {
      List<String> addresses = peer.ipAddresses();
      for (int i = 0; i < addresses.size(); i++) {
        IpAddress candidate = IpAddress.parse(addresses.get(i));
        if (candidate != null && network.samePrefix(candidate, prefixBits)) {
          return true;
        }
      }
      return false;
    }
  }

  /** An email rule; {@code localPart} is null for any mailbox at the domain. */
  record Email(String text, @Nullable String localPart, String domain) implements NamePattern {
    @Override
    public boolean matches(PeerIdentity peer) {
      List<String> emails = peer.emails();
      for (int i = 0; i < emails.size(); i++) {
        if (matches(emails.get(i))) {
          return true;
        }
      }
      return false;
    }

    /** Whether one email SAN matches. */
    boolean matches(String email) {
      int at = email.lastIndexOf('@');
      if (at <= 0 || !isAscii(email)) {
        return false;
      }
      boolean local = localPart == null
          ? email.indexOf('*') < 0
          : at == localPart.length() && email.startsWith(localPart);
      // Both sides ASCII: the JDK's case-blind comparison is ASCII case folding here.
      return local && email.length() - at - 1 == domain.length()
          && email.regionMatches(true, at + 1, domain, 0, domain.length());
    }
  }

  /** A CN rule; {@code segments} is null for an exact name. */
  record CommonName(String text, @Nullable List<String> segments) implements NamePattern {
    @Override
    public boolean matches(PeerIdentity peer) {
      List<String> names = peer.commonNames();
      return names.size() == 1 && matches(names.get(0));
    }

    /** Whether a subject's one CN matches. */
    boolean matches(String commonName) {
      return segments == null
          ? text.equals(commonName)
          : matchSegments(segments, commonName, 0, '.', false);
    }
  }

  /** A DNS rule; {@code segments} are lower case. */
  record DnsName(String text, List<String> segments) implements NamePattern {
    @Override
    public boolean matches(PeerIdentity peer) {
      List<String> names = peer.dnsNames();
      for (int i = 0; i < names.size(); i++) {
        if (matches(names.get(i))) {
          return true;
        }
      }
      return false;
    }

    /** Whether one DNS SAN matches. */
    boolean matches(String dnsName) {
      return isAscii(dnsName) && matchSegments(segments, dnsName, 0, '.', true);
    }
  }

  /** A URI rule; {@code pathSegments} is null for an exact URI. */
  record UriName(String text, URI uri, @Nullable List<String> pathSegments) implements NamePattern {
    @Override
    public boolean matches(PeerIdentity peer) {
      List<URI> candidates = peer.uris();
      for (int i = 0; i < candidates.size(); i++) {
        if (matches(candidates.get(i))) {
          return true;
        }
      }
      return false;
    }

    /** Whether one URI SAN matches. */
    boolean matches(URI candidate) {
      if (pathSegments == null) {
        return uri.equals(candidate);
      }
      String path = candidate.getRawPath();
      return !candidate.isOpaque()
          && uri.getScheme().equalsIgnoreCase(candidate.getScheme())
          && sameAuthority(candidate)
          && candidate.getRawQuery() == null
          && candidate.getRawFragment() == null
          && path != null
          && path.startsWith("/")
          && matchSegments(pathSegments, path, 1, '/', false);
    }

    private boolean sameAuthority(URI candidate) {
      String host = uri.getHost();
      if (host == null) {
        return Objects.equals(uri.getRawAuthority(), candidate.getRawAuthority());
      }
      return candidate.getHost() != null
          && host.equalsIgnoreCase(candidate.getHost())
          && uri.getPort() == candidate.getPort()
          && Objects.equals(uri.getRawUserInfo(), candidate.getRawUserInfo());
    }
  }

  /** A SPIFFE rule: an exact {@code id}, or a {@code path} pattern. */
  record Spiffe(String text, @Nullable SpiffeId id, @Nullable SpiffePath path)
      implements NamePattern {
    @Override
    public boolean matches(PeerIdentity peer) {
      return peer.spiffeId().map(this::matches).orElse(false);
    }

    /** Whether a SPIFFE ID matches. */
    boolean matches(SpiffeId candidate) {
      if (id != null) {
        return id.equals(candidate);
      }
      SpiffePath pattern = Objects.requireNonNull(path);
      return pattern.trustDomain().equals(candidate.trustDomain())
          && !candidate.path().isEmpty()
          && matchSegments(pattern.segments(), candidate.path(), 1, '/', false);
    }
  }

  /** The trust domain and path segments of a SPIFFE ID pattern. */
  record SpiffePath(String trustDomain, List<String> segments) {}

  /**
   * Matches {@code value} from {@code start} to its end, split on {@code separator}, against
   * the segments one for one.
   */
  private static boolean matchSegments(
      List<String> segments, String value, int start, char separator, boolean asciiIgnoreCase) {
    int position = start;
    int count = segments.size();
    for (int i = 0; i < count; i++) {
      int end = value.indexOf(separator, position);
      if (i == count - 1) {
        if (end >= 0) {
          return false;
        }
        end = value.length();
      } else if (end < 0) {
        return false;
      }
      String segment = segments.get(i);
      if (segment.equals(WILDCARD)) {
        int star = value.indexOf('*', position);
        if (end == position || (star >= 0 && star < end)) {
          return false;
        }
      } else if (end - position != segment.length()
          || !value.regionMatches(asciiIgnoreCase, position, segment, 0, segment.length())) {
        // With asciiIgnoreCase both sides are ASCII (checked before), so the JDK's case-blind
        // comparison is ASCII case folding here.
        return false;
      }
      position = end + 1;
    }
    return true;
  }

  private static boolean isAscii(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  /** Returns why a segment is neither {@code *} nor free of {@code *}, or {@code null}. */
  private static @Nullable String wildcardProblem(String segment) {
    if (segment.equals(WILDCARD) || segment.indexOf('*') < 0) {
      return null;
    }
    if (segment.equals("**")) {
      return "'**' is not supported: '*' matches exactly one segment";
    }
    return "the segment \"" + SafeText.printable(segment)
        + "\" mixes '*' with text: '*' must stand alone as a whole segment";
  }

  private static @Nullable String dnsLabelProblem(String label) {
    if (label.isEmpty()) {
      return "it has an empty label";
    }
    if (label.length() > 63) {
      return "the label \"" + label + "\" is longer than 63 characters";
    }
    for (int i = 0; i < label.length(); i++) {
      char c = label.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
      if (!ok) {
        return c >= 0x80
            ? "it is not ASCII: write internationalized labels as A-labels (xn--...)"
            : "DNS labels may contain only letters, digits, '-' and '_', not "
                + SafeText.describeChar(c);
      }
    }
    return null;
  }

  private static void requireLiteralPart(String kind, String text, List<String> segments) {
    for (String segment : segments) {
      if (!segment.equals(WILDCARD)) {
        return;
      }
    }
    throw invalid(kind, text, "a pattern made only of wildcards would match almost any peer;"
        + " use PeerPolicy.anyTrustedPeer() to allow every trusted peer");
  }

  private static List<String> split(String text, char separator) {
    List<String> parts = new ArrayList<>(4);
    int start = 0;
    for (int i = text.indexOf(separator); i >= 0; i = text.indexOf(separator, start)) {
      parts.add(text.substring(start, i));
      start = i + 1;
    }
    parts.add(text.substring(start));
    return List.copyOf(parts);
  }

  private static IllegalArgumentException invalid(String kind, String text, String problem) {
    return new IllegalArgumentException(
        "invalid " + kind + " pattern " + SafeText.quote(text) + ": " + problem);
  }
}
