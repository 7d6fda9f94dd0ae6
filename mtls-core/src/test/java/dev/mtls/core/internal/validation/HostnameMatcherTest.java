package dev.mtls.core.internal.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.testkit.TestCa;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class HostnameMatcherTest {
  @ParameterizedTest(name = "{0} ~ {1} -> {2}")
  @CsvSource({
      "api.example.com, api.example.com, true",
      "API.Example.COM, api.example.com, true",
      "api.example.com., api.example.com, true",
      "a.example.com, *.example.com, true",
      "a.b.example.com, *.example.com, false",
      "example.com, *.example.com, false",
      "a.com, *.com, false",
      "a.example.com, a*.example.com, false",
      "a.example.com, *.*.com, false",
      "xn--bcher-kva.example, xn--bcher-kva.example, true",
      "bücher.example, bücher.example, false",
  })
  void dnsMatches(String host, String pattern, boolean expected) {
    assertThat(HostnameMatcher.dnsMatches(host, pattern)).isEqualTo(expected);
  }

  @Test
  void ipLiterals_matchOnlyIpSans() {
    TestCa ca = TestCa.create();
    var certificate = ca.leaf("svc").serverAuth().dnsNames("127.0.0.1.example").ipAddresses("127.0.0.1", "::1")
        .issue().certificate();
    assertThat(HostnameMatcher.mismatch("127.0.0.1", certificate)).isNull();
    assertThat(HostnameMatcher.mismatch("[::1]", certificate)).isNull();
    assertThat(HostnameMatcher.mismatch("0:0:0:0:0:0:0:1", certificate)).isNull();
    assertThat(HostnameMatcher.mismatch("127.0.0.2", certificate)).contains("127.0.0.2");
    assertThat(HostnameMatcher.mismatch("localhost", certificate)).contains("does not name host localhost");
  }

  @Test
  void commonName_isNotConsulted() {
    TestCa ca = TestCa.create();
    var certificate = ca.leaf("api.example.com").serverAuth().issue().certificate();
    assertThat(HostnameMatcher.mismatch("api.example.com", certificate)).isNotNull();
  }
}
