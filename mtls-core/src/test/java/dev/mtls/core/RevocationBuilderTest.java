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
    assertThat(Revocation.none().start(new TestClock(), MtlsListener.silent(), java.util.List.of()))
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
  void setters_failAtOnce_onNonPositiveDurations() {
    assertThatThrownBy(() -> Revocation.crls().refreshInterval(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("refreshInterval must be positive: PT0S");
    assertThatThrownBy(() -> Revocation.crls().fetchTimeout(Duration.ofSeconds(-1)))
        .hasMessage("fetchTimeout must be positive: PT-1S");
    assertThatThrownBy(() -> Revocation.crls().softFail(Duration.ZERO))
        .hasMessage("maxStaleness must be positive: PT0S");
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
            + " checkIntermediates=false, maxCrlSize=67108864)");
  }

  @Test
  void maxCrlSize_isBounded_andSetOnce() {
    assertThat(Revocation.crls().file(Path.of("ca.crl")).build().maxCrlSize()).isEqualTo(64L << 20);
    assertThat(Revocation.crls().file(Path.of("ca.crl")).maxCrlSize(1024).build().maxCrlSize()).isEqualTo(1024);
    assertThatThrownBy(() -> Revocation.crls().maxCrlSize(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxCrlSize must be between 1 and 1073741824 bytes (1 GiB): 0");
    assertThatThrownBy(() -> Revocation.crls().maxCrlSize((1L << 30) + 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Revocation.crls().maxCrlSize(10).maxCrlSize(20))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("maxCrlSize was already set to 10");
  }
}
