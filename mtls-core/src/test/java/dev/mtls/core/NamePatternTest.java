package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NamePatternTest {

  @ParameterizedTest(name = "DNS {0} vs {1} -> {2}")
  @CsvSource({
    "orders.prod.svc,        orders.prod.svc,          true",
    "orders.prod.svc,        ORDERS.Prod.SVC,          true",
    "ORDERS.prod.svc,        orders.prod.svc,          true",
    "orders.prod.svc,        orders.prod.svc.,         false",
    "orders.prod.svc,        orders.prod,              false",
    "*.svc.cluster.local,    a.svc.cluster.local,      true",
    "*.svc.cluster.local,    A-1.SVC.cluster.local,    true",
    "*.svc.cluster.local,    a.b.svc.cluster.local,    false",
    "*.svc.cluster.local,    svc.cluster.local,        false",
    "*.svc.cluster.local,    .svc.cluster.local,       false",
    "*.svc.cluster.local,    *.svc.cluster.local,      false",
    "api.*.example,          api.eu.example,           true",
    "api.*.example,          api.eu.west.example,      false",
    "xn--bcher-kva.example,  XN--BCHER-KVA.example,    true",
    "xn--bcher-kva.example,  b\u00fccher.example,      false",
    "*.example,              b\u00fccher.example,      false",
    "k.example,              \u212a.example,           false",
  })
  void dnsName_matchesOneLabelPerWildcard_asciiCaseInsensitively(
      String pattern, String name, boolean matches) {
    NamePattern.DnsName dns = (NamePattern.DnsName) NamePattern.dnsName(pattern);

    assertThat(dns.matches(name)).isEqualTo(matches);
  }

  @ParameterizedTest(name = "CN {0} vs {1} -> {2}")
  @CsvSource({
    "orders,            orders,               true",
    "orders,            Orders,               false",
    "orders,            'orders ',            false",
    "orders,            \u043erders,          false",
    "orders.eu,         orders.eu,            true",
    "'admin,evil',      'admin,evil',         true",
    "*.orders,          eu.orders,            true",
    "*.orders,          a.eu.orders,          false",
    "*.orders,          .orders,              false",
    "*.orders,          *.orders,             false",
    "*.orders,          EU.Orders,            false",
    "svc.*,             svc.\u00e9t\u00e9,    true",
  })
  void commonName_matchesExactly_orPartByPartForPatterns(
      String pattern, String name, boolean matches) {
    NamePattern.CommonName cn = (NamePattern.CommonName) NamePattern.commonName(pattern);

    assertThat(cn.matches(name)).isEqualTo(matches);
  }

  @ParameterizedTest(name = "URI {0} vs {1} -> {2}")
  @CsvSource({
    "https://id.example/orders,          https://id.example/orders,           true",
    "https://id.example/orders,          HTTPS://ID.example/orders,           true",
    "https://id.example/orders,          https://id.example/Orders,           false",
    "https://id.example/orders,          https://id.example/orders/,          false",
    "https://id.example/a%2fb,           https://id.example/a%2Fb,            true",
    "urn:example:orders,                 urn:example:orders,                  true",
    "https://id.example/team/*,          https://id.example/team/orders,      true",
    "https://id.example/team/*,          https://ID.EXAMPLE/team/orders,      true",
    "https://id.example/team/*,          https://id.example/team/a/b,         false",
    "https://id.example/team/*,          https://id.example/team/,            false",
    "https://id.example/team/*,          https://id.example/team/a%2Fb,       true",
    "https://id.example/team/*,          https://id.example/team/a?x=1,       false",
    "https://id.example/team/*,          https://id.example/team/a#f,         false",
    "https://id.example/team/*,          https://id.example:8443/team/a,      false",
    "https://id.example/team/*,          https://evil@id.example/team/a,      false",
    "https://id.example/team/*,          http://id.example/team/a,            false",
    "https://id.example/*/orders,        https://id.example/eu/orders,        true",
  })
  void uri_matchesAfterParsing_andOnePathSegmentPerWildcard(
      String pattern, String uri, boolean matches) {
    NamePattern.UriName rule = (NamePattern.UriName) NamePattern.uri(pattern);

    assertThat(rule.matches(URI.create(uri))).isEqualTo(matches);
  }

  @ParameterizedTest(name = "SPIFFE {0} vs {1} -> {2}")
  @CsvSource({
    "spiffe://prod.example/ns/a/sa/b,          spiffe://prod.example/ns/a/sa/b,          true",
    "spiffe://prod.example/ns/a/sa/b,          spiffe://prod.example/ns/a/sa/B,          false",
    "spiffe://prod.example,                    spiffe://prod.example,                    true",
    "spiffe://prod.example,                    spiffe://prod.example/a,                  false",
    "spiffe://prod.example/ns/*/sa/ingester,   spiffe://prod.example/ns/eu/sa/ingester,  true",
    "spiffe://prod.example/ns/*/sa/ingester,   spiffe://prod.example/ns/a/b/sa/ingester, false",
    "spiffe://prod.example/ns/*/sa/ingester,   spiffe://prod.example/ns/eu/sa/ingester2, false",
    "spiffe://prod.example/ns/*/sa/ingester,   spiffe://dev.example/ns/eu/sa/ingester,   false",
    "spiffe://prod.example/*,                  spiffe://prod.example,                    false",
    "spiffe://prod.example/*,                  spiffe://prod.example/x,                  true",
  })
  void spiffeId_comparesIds_andOneSegmentPerWildcard(String pattern, String id, boolean matches) {
    NamePattern.Spiffe rule = (NamePattern.Spiffe) NamePattern.spiffeId(pattern);

    assertThat(rule.matches(SpiffeId.parse(id))).isEqualTo(matches);
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', value = {
    "DNS    | a*b.example              | the segment \"a*b\" mixes '*' with text: '*' must stand alone as a whole segment",
    "DNS    | **.example               | '**' is not supported: '*' matches exactly one segment",
    "DNS    | *                        | a pattern made only of wildcards would match almost any peer; use PeerPolicy.anyTrustedPeer() to allow every trusted peer",
    "DNS    | *.*                      | a pattern made only of wildcards would match almost any peer; use PeerPolicy.anyTrustedPeer() to allow every trusted peer",
    "DNS    | a..example               | it has an empty label",
    "DNS    | example.com.             | it must not end with '.'",
    "DNS    | b\u00fccher.example      | it is not ASCII: write internationalized labels as A-labels (xn--...)",
    "DNS    | exa mple.com             | DNS labels may contain only letters, digits, '-' and '_', not U+0020",
    "CN     | a*                       | the segment \"a*\" mixes '*' with text: '*' must stand alone as a whole segment",
    "CN     | *                        | a pattern made only of wildcards would match almost any peer; use PeerPolicy.anyTrustedPeer() to allow every trusted peer",
    "CN     | *..orders                | it has an empty '.'-separated part",
    "URI    | orders                   | it has no scheme",
    "URI    | https://*.example/a      | wildcards are not allowed in the scheme or authority",
    "URI    | https://id.example/a*    | the segment \"a*\" mixes '*' with text: '*' must stand alone as a whole segment",
    "URI    | https://id.example/*?x=1 | a pattern with '*' must not have a query or fragment",
    "URI    | urn:x:*                  | a pattern with '*' must have an authority ('scheme://host/')",
    "URI    | https://id.example/**    | '**' is not supported: '*' matches exactly one segment",
    "SPIFFE | spiffe://*.example/a     | wildcards are not allowed in the trust domain",
    "SPIFFE | spiffe://prod.example/*/ | the path must not end with '/'",
    "SPIFFE | spiffe://prod.example/a*b| the segment \"a*b\" mixes '*' with text: '*' must stand alone as a whole segment",
    "SPIFFE | spiffe://prod.example/**/a | '**' is not supported: '*' matches exactly one segment",
    "SPIFFE | spiffe://Prod.example/*  | the trust domain must be lower case",
    "SPIFFE | spiffe://prod.example/../* | the path must not contain a '..' segment",
    "SPIFFE | spiffe://prod.example/a b | path segments may contain only letters, digits, '.', '-' and '_', not U+0020",
    "SPIFFE | https://prod.example/*   | it must start with \"spiffe://\"",
  })
  void parse_failsQuotingThePatternAndNamingTheProblem(String kind, String text, String problem) {
    String kindName = switch (kind) {
      case "DNS" -> "DNS name";
      case "SPIFFE" -> "SPIFFE ID";
      default -> kind;
    };

    assertThatThrownBy(() -> parse(kind, text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid " + kindName + " pattern \"" + text + "\": " + problem);
  }

  private static NamePattern parse(String kind, String text) {
    return switch (kind) {
      case "DNS" -> NamePattern.dnsName(text);
      case "CN" -> NamePattern.commonName(text);
      case "URI" -> NamePattern.uri(text);
      case "SPIFFE" -> NamePattern.spiffeId(text);
      default -> throw new IllegalArgumentException(kind);
    };
  }
}
