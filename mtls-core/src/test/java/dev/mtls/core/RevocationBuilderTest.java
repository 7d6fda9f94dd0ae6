package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.core.internal.crl.RevocationChecker;
import dev.mtls.testkit.TestClock;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RevocationBuilderTest {

  @Test
  void none_isDisabled_andStartsTheNoOpChecker() {
    assertThat(Revocation.none().isEnabled()).isFalse();
    assertThat(Revocation.none().start(new TestClock(), MtlsListener.silent()))
        .isSameAs(RevocationChecker.NONE);
    assertThat(Revocation.none()).hasToString("Revocation.none()");
  }

  @Test
  void build_failsPointingToNone_whenNoSourceWasAdded() {
    assertThatThrownBy(() -> Revocation.crls().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Revocation.none()");
  }

  @Test
  void setters_failAtOnce_onDurationsOutOfTheirBounds() {
    assertThatThrownBy(() -> Revocation.crls().refreshInterval(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("refreshInterval must be between 1m and 7d: 0s");
    assertThatThrownBy(() -> Revocation.crls().fetchTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("fetchTimeout must be between 1s and 5m: -1s");
    assertThatThrownBy(() -> Revocation.crls().softFail(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxStaleness must be between 1s and 30d: 0s");
  }

  @Test
  void refreshInterval_isBetweenAMinuteAndAWeek_soACrlServerIsNeverHammered() {
    assertThatThrownBy(() -> Revocation.crls().refreshInterval(Duration.ofMillis(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("refreshInterval must be between 1m and 7d: 1ms");
    assertThatThrownBy(() -> Revocation.crls().refreshInterval(Duration.ofSeconds(59)))
        .hasMessage("refreshInterval must be between 1m and 7d: 59s");
    assertThatThrownBy(() -> Revocation.crls().refreshInterval(Duration.ofDays(7).plusSeconds(1)))
        .hasMessage("refreshInterval must be between 1m and 7d: 604801s");
    assertThatThrownBy(() -> Revocation.crls().refreshInterval(Duration.ofDays(99_999_999_999_999L)))
        .hasMessage("refreshInterval must be between 1m and 7d: 99999999999999d");
    assertThat(Revocation.crls().file(Path.of("a.crl")).refreshInterval(Duration.ofMinutes(1)).build())
        .hasToString("Revocation.crls(files=[a.crl], urls=[], refreshInterval=PT1M, fetchTimeout=PT10S,"
            + " failClosed, checkIntermediates=false)");
    assertThat(Revocation.crls().file(Path.of("a.crl")).refreshInterval(Duration.ofDays(7)).build().toString())
        .contains("refreshInterval=PT168H");
  }

  @Test
  void fetchTimeout_andMaxStaleness_acceptTheirBounds_andNothingBeyond() {
    assertThat(Revocation.crls().file(Path.of("a.crl")).fetchTimeout(Duration.ofSeconds(1))
        .softFail(Duration.ofDays(30)).build().toString())
        .contains("fetchTimeout=PT1S", "softFail=PT720H");
    assertThat(Revocation.crls().file(Path.of("a.crl")).fetchTimeout(Duration.ofMinutes(5))
        .softFail(Duration.ofSeconds(1)).build().toString())
        .contains("fetchTimeout=PT5M", "softFail=PT1S");
    assertThatThrownBy(() -> Revocation.crls().fetchTimeout(Duration.ofMillis(999)))
        .hasMessage("fetchTimeout must be between 1s and 5m: 999ms");
    assertThatThrownBy(() -> Revocation.crls().fetchTimeout(Duration.ofMinutes(5).plusMillis(1)))
        .hasMessage("fetchTimeout must be between 1s and 5m: 300001ms");
    assertThatThrownBy(() -> Revocation.crls().softFail(Duration.ofDays(31)))
        .hasMessage("maxStaleness must be between 1s and 30d: 31d");
  }

  @Test
  void setters_fail_whenSetTwice() {
    assertThatThrownBy(() -> Revocation.crls().refreshInterval(Duration.ofMinutes(5))
            .refreshInterval(Duration.ofMinutes(6)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("refreshInterval was already set to PT5M");
    assertThatThrownBy(() -> Revocation.crls().checkIntermediates(true).checkIntermediates(false))
        .hasMessage("checkIntermediates was already set to true");
    assertThatThrownBy(() -> Revocation.crls().file(Path.of("a.crl")).file(Path.of("a.crl")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("CRL file was already added: a.crl");
  }

  @Test
  void url_refusesOtherSchemesThanHttp() {
    assertThatThrownBy(() -> Revocation.crls().url(URI.create("ldap://ldap.example.com/cn=crl")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("CRL URL must be http or https: ldap://ldap.example.com/cn=crl");
    assertThatThrownBy(() -> Revocation.crls().url(URI.create("http:///no-host.crl")))
        .hasMessageContaining("no host");
  }

  @Test
  void url_refusesWhatNoCrlServerCanBe_andNeverShowsCredentials() {
    assertThatThrownBy(() -> Revocation.crls().url(URI.create("http://ops:hunter2@pki.example.com/ca.crl")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("CRL URL must not carry user info (credentials in a URL end up in logs):"
            + " http://***@pki.example.com/ca.crl");
    assertThatThrownBy(() -> Revocation.crls().url(URI.create("http://pki.example.com:99999/ca.crl")))
        .hasMessage("CRL URL must have a port from 1 to 65535: http://pki.example.com:99999/ca.crl");
    assertThatThrownBy(() -> Revocation.crls().url(URI.create("http://pki.example.com:0/ca.crl")))
        .hasMessageContaining("port from 1 to 65535");
    assertThatThrownBy(() -> Revocation.crls().url(URI.create("http://pki_example/ca.crl")))
        .hasMessage("CRL URL has no host, or not a valid host name: http://pki_example/ca.crl");
    assertThatThrownBy(() -> Revocation.crls().url(URI.create("http://pki.example.com/\u202ecrl.lave")))
        .hasMessage("CRL URL must be ASCII (percent-encode other characters): http://pki.example.com/\\u202ecrl.lave");
    assertThatThrownBy(() -> Revocation.crls().url(URI.create("http://" + "a".repeat(254) + "/ca.crl")))
        .hasMessageStartingWith("CRL URL has a host longer than 253 characters: http://aaa");
    assertThatThrownBy(() -> Revocation.crls().url(URI.create("https://pki.example.com/ca.crl"))
            .url(URI.create("https://PKI.example.com/ca.crl")))
        .hasMessage("CRL URL was already added: https://PKI.example.com/ca.crl");
  }

  @Test
  void toString_showsSourcesAndPolicy() {
    Revocation revocation = Revocation.crls()
        .file(Path.of("ca.crl"))
        .url(URI.create("https://pki.example.com/ca.crl"))
        .softFail(Duration.ofHours(6))
        .build();
    assertThat(revocation.isEnabled()).isTrue();
    assertThat(revocation.toString())
        .isEqualTo("Revocation.crls(files=[ca.crl], urls=[https://pki.example.com/ca.crl],"
            + " refreshInterval=PT1H, fetchTimeout=PT10S, softFail=PT6H,"
            + " checkIntermediates=false)");
  }
}
