package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The clock skew is a context setting: it stretches the validity of the peer's certificate
 * and of the context's own alike.
 */
class ClockSkewTest {
  private final TestCa ca = TestCa.create();
  private final IssuedCertificate justExpiredServer = ca.leaf("server").serverAuth().dnsNames("localhost")
      .notBefore(ca.clock().instant().minus(Duration.ofDays(1)))
      .notAfter(ca.clock().instant().minusSeconds(30))
      .issue();

  @Test
  void build_refusesOwnCertificateJustPastItsEnd_withoutSkew() {
    assertThatThrownBy(() -> server().build())
        .isInstanceOf(MtlsLoadException.class)
        .hasMessageContaining("expired");
  }

  @Test
  void build_acceptsOwnCertificateJustPastItsEnd_withinTheContextsSkew() {
    try (MtlsContext server = server().clockSkew(Duration.ofMinutes(2)).build()) {
      assertThat(server.identityChain()).first().isEqualTo(justExpiredServer.certificate());
    }
  }

  @Test
  void clockSkew_isBetweenZeroAndOneHour_andSetOnce() {
    assertThatThrownBy(() -> MtlsContext.forClient().clockSkew(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("clockSkew must be between 0s and 1h: -1s");
    assertThatThrownBy(() -> MtlsContext.forServer().clockSkew(Duration.ofMinutes(61)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("clockSkew must be between 0s and 1h: 61m");
    assertThatThrownBy(() -> MtlsContext.forClient().clockSkew(Duration.ofHours(1)).clockSkew(Duration.ZERO))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("clockSkew was already set to PT1H");
  }

  private ServerContextBuilder server() {
    return MtlsContext.forServer()
        .identity(MtlsContextHandshakeTest.identity(justExpiredServer))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .peerPolicy(PeerPolicy.anyTrustedPeer())
        .logging(false);
  }
}
