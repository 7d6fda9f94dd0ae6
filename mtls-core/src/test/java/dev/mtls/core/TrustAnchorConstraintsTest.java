package dev.mtls.core;

import static dev.mtls.core.ChainScenario.assertAllowed;
import static dev.mtls.core.ChainScenario.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.testkit.CaExtensions;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import java.time.Duration;
import java.util.List;
import org.bouncycastle.asn1.DERNull;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A trust anchor that has expired validates nothing (as in Go, rustls-webpki and OpenSSL), is
 * warned about when the context is built, and the refusal names it; an anchor with a critical
 * extension nobody understands is refused the same way (RFC 5280, 4.2). Both were accepted
 * before: only the presented certificates' validity and extensions were judged.
 */
class TrustAnchorConstraintsTest {
  private final ChainScenario scenario = new ChainScenario();

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void handshake_refusesAClient_whoseTrustAnchorHasExpired(TlsProvider provider) throws Exception {
    TestCa expiredRoot = TestCa.builder().commonName("Expired Root").expired().build();
    scenario.assertClientRefused(scenario.server(expiredRoot.certificate(), provider), expiredRoot.client("orders"),
        RejectionReason.EXPIRED, "trust anchor CN=Expired Root expired at");
  }

  @Test
  void build_warnsAboutAnExpiredTrustAnchor_namingIt() {
    TestCa expiredRoot = TestCa.builder().commonName("Expired Root").expired().build();
    try (CapturedLog log = new CapturedLog();
        MtlsContext server = scenario.server(expiredRoot.certificate(), TlsProvider.JDK)) {
      assertThat(log.text()).contains("trust anchor CN=Expired Root expired at").contains("it validates nothing");
    }
  }

  @Test
  void aRememberedChain_isRefused_onceItsTrustAnchorExpires() {
    TestCa root = TestCa.builder().commonName("Short Root").validity(Duration.ofDays(2)).build();
    IssuedCertificate client = root.leaf("orders").clientAuth().validFor(Duration.ofDays(3)).issue();
    IssuedCertificate identity = root.leaf("localhost").dnsNames("localhost").serverAuth()
        .validFor(Duration.ofDays(3)).issue();
    try (MtlsContext server = MtlsContext.forServer()
        .identity(IdentitySource.of(identity.privateKey(), identity.chain()))
        .trust(TrustSource.of(List.of(root.certificate())))
        .peerPolicy(PeerPolicy.anyTrustedPeer())
        .clock(root.clock())
        .build()) {
      assertAllowed(server.verifier().verify(client.chain()));
      // The leaf outlives the root: past the root's end, only the root has expired.
      root.clock().set(root.certificate().getNotAfter().toInstant().plusSeconds(1));
      assertRefused(server.verifier().verify(client.chain()), RejectionReason.EXPIRED, "trust anchor CN=Short Root");
    }
  }

  @Test
  void aTrustAnchorWithAnUnknownCriticalExtension_validatesNothing_andIsWarnedAbout() throws Exception {
    TestCa oddRoot = TestCa.builder().commonName("Odd Root")
        .extensions(CaExtensions.builder().extension("1.3.6.1.4.1.99999.1", true, DERNull.INSTANCE.getEncoded())
            .build())
        .build();
    try (CapturedLog log = new CapturedLog();
        MtlsContext server = scenario.server(oddRoot.certificate(), TlsProvider.JDK)) {
      assertThat(log.text()).contains("trust anchor CN=Odd Root has critical extensions [1.3.6.1.4.1.99999.1]");
      assertRefused(server.verifier().verify(oddRoot.client("orders").chain()), RejectionReason.UNTRUSTED_ISSUER,
          "trust anchor CN=Odd Root has critical extensions [1.3.6.1.4.1.99999.1] that are not understood");
    }
  }

  @Test
  void aTrustAnchorWithOnlyUnderstoodCriticalExtensions_validates() {
    TestCa root = TestCa.builder().commonName("Plain Root")
        .extensions(CaExtensions.builder().permittedDnsNames("example.com").build()).build();
    try (MtlsContext server = scenario.server(root.certificate(), TlsProvider.JDK)) {
      assertAllowed(server.verifier().verify(root.leaf("orders").dnsNames("orders.example.com").clientAuth().issue()
          .chain()));
    }
  }
}
