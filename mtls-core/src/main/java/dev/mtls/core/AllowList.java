package dev.mtls.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The names a {@link PeerPolicy} allows: CN, DNS, URI, SPIFFE, IP and email patterns, each list
 * deduplicated in the order given. A peer matches when any one name of any list matches.
 * Also says, for a refusal, what was expected and what the peer had. Immutable.
 */
final class AllowList {
  private final List<NamePattern> commonNames;
  private final List<NamePattern> dnsNames;
  private final List<NamePattern> uris;
  private final List<NamePattern> spiffeIds;
  private final List<NamePattern> ipAddresses;
  private final List<NamePattern> emails;

  private AllowList(Builder builder) {
    this.commonNames = List.copyOf(builder.commonNames.values());
    this.dnsNames = List.copyOf(builder.dnsNames.values());
    this.uris = List.copyOf(builder.uris.values());
    this.spiffeIds = List.copyOf(builder.spiffeIds.values());
    this.ipAddresses = List.copyOf(builder.ipAddresses.values());
    this.emails = List.copyOf(builder.emails.values());
  }

  boolean matches(PeerIdentity peer) {
    return matchesAny(commonNames, peer)
        || matchesAny(dnsNames, peer)
        || matchesAny(uris, peer)
        || matchesAny(spiffeIds, peer)
        || matchesAny(ipAddresses, peer)
        || matchesAny(emails, peer);
  }

  /** Such as {@code [CN [orders], SPIFFE [spiffe://prod.example/ns/*]]}: one entry per list. */
  List<String> summaries() {
    List<String> parts = new ArrayList<>(6);
    addSummary(parts, "CN", commonNames);
    addSummary(parts, "DNS", dnsNames);
    addSummary(parts, "URI", uris);
    addSummary(parts, "SPIFFE", spiffeIds);
    addSummary(parts, "IP", ipAddresses);
    addSummary(parts, "email", emails);
    return parts;
  }

  /**
   * The allowed names as one phrase: {@code spiffe://prod/payments} for a single name,
   * {@code one of CN=orders, DNS *.svc.local} for several.
   */
  String expected() {
    List<String> names = new ArrayList<>();
    for (NamePattern pattern : commonNames) {
      names.add("CN=" + SafeText.printable(pattern.text()));
    }
    for (NamePattern pattern : dnsNames) {
      names.add("DNS " + SafeText.printable(pattern.text()));
    }
    for (NamePattern pattern : uris) {
      names.add("URI " + SafeText.printable(pattern.text()));
    }
    for (NamePattern pattern : spiffeIds) {
      names.add(SafeText.printable(pattern.text()));
    }
    for (NamePattern pattern : ipAddresses) {
      names.add("IP " + SafeText.printable(pattern.text()));
    }
    for (NamePattern pattern : emails) {
      names.add("email " + SafeText.printable(pattern.text()));
    }
    return names.size() == 1 ? names.get(0) : "one of " + String.join(", ", names);
  }

  /** Why no name of the peer matched: the lists, and what the peer has of each kind. */
  String problem(PeerIdentity peer) {
    StringBuilder text = new StringBuilder("no name matches the allow-lists (")
        .append(String.join("; ", summaries()))
        .append(')');
    List<String> presented = new ArrayList<>();
    if (!commonNames.isEmpty() && peer.commonNames().size() > 1) {
      presented.add(peer.commonNames().size() + " CNs " + printable(peer.commonNames())
          + " (a CN rule needs exactly one)");
    }
    if (!dnsNames.isEmpty() && !peer.dnsNames().isEmpty()) {
      presented.add("DNS " + printable(peer.dnsNames()));
    }
    if (!uris.isEmpty() && !peer.uris().isEmpty()) {
      presented.add("URI " + printable(peer.uris()));
    }
    if (!spiffeIds.isEmpty() && peer.spiffeId().isEmpty()) {
      presented.add("no SPIFFE ID");
    }
    if (!ipAddresses.isEmpty()) {
      presented.add(peer.ipAddresses().isEmpty() ? "no IP address" : "IP " + printable(peer.ipAddresses()));
    }
    if (!emails.isEmpty()) {
      presented.add(peer.emails().isEmpty() ? "no email address" : "email " + printable(peer.emails()));
    }
    if (!presented.isEmpty()) {
      text.append("; the peer has ").append(String.join(", ", presented));
    }
    return text.toString();
  }

  private static boolean matchesAny(List<NamePattern> patterns, PeerIdentity peer) {
    for (int i = 0; i < patterns.size(); i++) {
      if (patterns.get(i).matches(peer)) {
        return true;
      }
    }
    return false;
  }

  private static void addSummary(List<String> parts, String kind, List<NamePattern> patterns) {
    if (!patterns.isEmpty()) {
      List<String> texts = new ArrayList<>(patterns.size());
      for (NamePattern pattern : patterns) {
        texts.add(SafeText.printable(pattern.text()));
      }
      parts.add(kind + " " + texts);
    }
  }

  private static String printable(List<?> values) {
    List<String> texts = new ArrayList<>(values.size());
    for (Object value : values) {
      texts.add(SafeText.printable(value.toString()));
    }
    return texts.toString();
  }

  /**
   * Collects the names of a {@link PeerPolicy.Builder}: every argument is parsed when given,
   * so a typo fails at configuration time with the method and the bad value in the message.
   */
  static final class Builder {
    private final Map<String, NamePattern> commonNames = new LinkedHashMap<>();
    private final Map<String, NamePattern> dnsNames = new LinkedHashMap<>();
    private final Map<String, NamePattern> uris = new LinkedHashMap<>();
    private final Map<String, NamePattern> spiffeIds = new LinkedHashMap<>();
    private final Map<String, NamePattern> ipAddresses = new LinkedHashMap<>();
    private final Map<String, NamePattern> emails = new LinkedHashMap<>();

    void commonNames(String[] values) {
      add(commonNames, "allowCommonNames", values, NamePattern::commonName);
    }

    void dnsNames(String[] values) {
      add(dnsNames, "allowDnsNames", values, NamePattern::dnsName);
    }

    void uris(String[] values) {
      add(uris, "allowUris", values, NamePattern::uri);
    }

    void spiffeIds(String[] values) {
      add(spiffeIds, "allowSpiffeIds", values, NamePattern::spiffeId);
    }

    void ipAddresses(String[] values) {
      add(ipAddresses, "allowIpAddresses", values, NamePattern::ipAddress);
    }

    void emails(String[] values) {
      add(emails, "allowEmails", values, NamePattern::email);
    }

    boolean isEmpty() {
      return commonNames.isEmpty() && dnsNames.isEmpty() && uris.isEmpty() && spiffeIds.isEmpty()
          && ipAddresses.isEmpty() && emails.isEmpty();
    }

    AllowList build() {
      return new AllowList(this);
    }

    private static void add(
        Map<String, NamePattern> target,
        String method,
        String[] values,
        Function<String, NamePattern> parser) {
      Objects.requireNonNull(values, method);
      if (values.length == 0) {
        throw new IllegalArgumentException(
            method + "() was given no names: name at least one allowed peer, or use"
                + " PeerPolicy.anyTrustedPeer()");
      }
      Map<String, NamePattern> parsed = new LinkedHashMap<>();
      for (int i = 0; i < values.length; i++) {
        String value = values[i];
        if (value == null) {
          throw new IllegalArgumentException(method + ": name #" + (i + 1) + " is null");
        }
        if (value.isBlank()) {
          throw new IllegalArgumentException(
              method + ": name #" + (i + 1) + " is blank: " + SafeText.quote(value));
        }
        try {
          parsed.putIfAbsent(value, parser.apply(value));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(method + ": " + e.getMessage(), e);
        }
      }
      // All or nothing: a call that fails adds none of its names.
      parsed.forEach(target::putIfAbsent);
    }
  }
}
