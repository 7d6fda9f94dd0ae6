package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SpiffeIdTest {

  @ParameterizedTest
  @CsvSource({
    "spiffe://prod.example/ns/web/sa/frontend, prod.example, /ns/web/sa/frontend",
    "spiffe://prod.example, prod.example, ''",
    "spiffe://a-b_c.0/x, a-b_c.0, /x",
    "spiffe://td/Upper.Case-ok_1/..x/.y, td, /Upper.Case-ok_1/..x/.y",
  })
  void parse_splitsTrustDomainAndPath(String text, String trustDomain, String path) {
    SpiffeId id = SpiffeId.parse(text);

    assertThat(id.trustDomain()).isEqualTo(trustDomain);
    assertThat(id.path()).isEqualTo(path);
    assertThat(id.toString()).isEqualTo(text);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "''                              | it is empty",
    "https://prod.example/a          | it must start with \"spiffe://\"",
    "spiffe:/prod.example/a          | it must start with \"spiffe://\"",
    "SPIFFE://prod.example/a         | the scheme must be \"spiffe\" in lower case",
    "spiffe://                       | the trust domain is empty",
    "spiffe:///a                     | the trust domain is empty",
    "spiffe://Prod.example/a         | the trust domain must be lower case",
    "spiffe://prod.example:8443/a    | the trust domain must not contain a port (':')",
    "spiffe://user@prod.example/a    | the trust domain must not contain user info ('@')",
    "spiffe://prod%2Eexample/a       | the trust domain must not be percent-encoded",
    "spiffe://prod.example?x=1       | a SPIFFE ID must not have a query ('?')",
    "spiffe://prod.example/a?x=1     | a SPIFFE ID must not have a query ('?')",
    "spiffe://prod.example/a#frag    | a SPIFFE ID must not have a fragment ('#')",
    "spiffe://prod.example/          | the path must not end with '/'",
    "spiffe://prod.example/a/        | the path must not end with '/'",
    "spiffe://prod.example//a        | the path must not contain an empty segment ('//')",
    "spiffe://prod.example/a/./b     | the path must not contain a '.' segment",
    "spiffe://prod.example/a/..      | the path must not contain a '..' segment",
    "spiffe://prod.example/a%20b     | the path must not be percent-encoded",
    "spiffe://prod.example/a b       | path segments may contain only letters, digits, '.', '-' and '_', not U+0020",
    "spiffe://prod.example/caf\u00e9 | path segments may contain only letters, digits, '.', '-' and '_', not '\u00e9'",
    "spiffe://pr*d.example/a         | the trust domain must not contain a wildcard ('*')",
  })
  void parse_failsQuotingTheInputAndNamingTheRule(String text, String problem) {
    assertThatThrownBy(() -> SpiffeId.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid SPIFFE ID \"" + text + "\": " + problem);
  }

  @Test
  void parse_acceptsTheLongestAllowedId_andRefusesOneByteMore() {
    String prefix = "spiffe://td/";
    String longest = prefix + "a".repeat(SpiffeId.MAX_LENGTH - prefix.length());

    assertThat(SpiffeId.parse(longest).toString()).hasSize(2048);
    assertThatThrownBy(() -> SpiffeId.parse(longest + "a"))
        .hasMessageEndingWith(": it is longer than 2048 bytes")
        .hasMessageContaining("...(2049 chars)");
  }

  @Test
  void parse_refusesATrustDomainLongerThan255Bytes() {
    assertThatThrownBy(() -> SpiffeId.parse("spiffe://" + "a".repeat(256) + "/x"))
        .hasMessageEndingWith(": the trust domain is longer than 255 bytes");
  }

  @Test
  void equals_comparesTrustDomainAndPathExactly() {
    SpiffeId id = SpiffeId.parse("spiffe://prod.example/ns/a");

    assertThat(id).isEqualTo(SpiffeId.parse("spiffe://prod.example/ns/a")).hasSameHashCodeAs(
        SpiffeId.parse("spiffe://prod.example/ns/a"));
    assertThat(id).isNotEqualTo(SpiffeId.parse("spiffe://prod.example/ns/A"));
    assertThat(id).isNotEqualTo(SpiffeId.parse("spiffe://prod.example/ns"));
    assertThat(id).isNotEqualTo(SpiffeId.parse("spiffe://prod.exampl/ens/a"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"spiffe://prod.example/a\nb", "spiffe://prod.example/\u202eevil"})
  void parse_escapesInvisibleCharacters_inItsMessage(String text) {
    assertThatThrownBy(() -> SpiffeId.parse(text))
        .message()
        .doesNotContain("\n")
        .doesNotContain("\u202e")
        .containsPattern("\\\\u(000a|202e)");
  }
}
