package dev.mtls.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.core.ClientAuth;
import dev.mtls.core.IdentitySource;
import dev.mtls.core.MtlsContext;
import dev.mtls.core.PeerPolicy;
import dev.mtls.core.RejectionReason;
import dev.mtls.core.TlsPolicy;
import dev.mtls.core.TlsProvider;
import dev.mtls.core.TrustSource;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Core's {@link TlsProvider#BOUNCY_CASTLE} with Netty (class path only: the module-path runs
 * have no bctls). The post-quantum hybrid {@code X25519MLKEM768} between two different TLS implementations that
 * have it: Bouncy Castle JSSE (core's {@link TlsProvider#BOUNCY_CASTLE}, served through Netty's
 * JDK provider) and BoringSSL (Netty's OpenSSL provider, netty-tcnative-boringssl-static), in
 * both directions, with the built-in policy on both sides. The group is read from the BoringSSL
 * side's session ({@code OpenSslSession.getNamedGroup()}); Bouncy Castle's session has no such
 * getter (core's tests read it from the ServerHello on the wire).
 */
class BouncyCastleInteropTest {
  private static final String HYBRID = "X25519MLKEM768";
  private static final Stack OPENSSL = new Stack(SslProvider.OPENSSL, Stack.Transport.NIO);
  private static final Stack JDK_OVER_BCJSSE = new Stack(SslProvider.JDK, Stack.Transport.NIO);

  private final TestCa ca = TestCa.create();
  private final Loopback loopback = new Loopback();

  @AfterEach
  void stop() {
    loopback.close();
  }

  @Test
  void boringSslClient_andBouncyCastleServer_agreeOnTheHybrid() throws Exception {
    OPENSSL.assumeAvailable();
    start(JDK_OVER_BCJSSE, TlsProvider.BOUNCY_CASTLE);
    try (MtlsContext client = client(TlsProvider.JDK)) {
      NettyClient.Outcome outcome = loopback.clients.exchange(client,
          MtlsSslContexts.forClient(client, SslProvider.OPENSSL), loopback.netty.port());

      assertThat(outcome.answer()).isEqualTo("hello orders -");
      assertThat(outcome.namedGroup()).isEqualTo(HYBRID);
    }
  }

  @Test
  void bouncyCastleClient_andBoringSslServer_agreeOnTheHybrid() throws Exception {
    start(OPENSSL, TlsProvider.JDK);
    try (MtlsContext client = client(TlsProvider.BOUNCY_CASTLE)) {
      NettyClient.Outcome outcome = loopback.clients.exchange(client,
          MtlsSslContexts.forClient(client, SslProvider.JDK), loopback.netty.port());

      assertThat(outcome.answer()).isEqualTo("hello orders -");
      assertThat(loopback.netty.nextNamedGroup()).isEqualTo(HYBRID);
    }
  }

  @Test
  void boringSslOnBothSides_agreeOnTheHybrid_whichNettyAloneWouldOfferToo() throws Exception {
    start(OPENSSL, TlsProvider.JDK);
    try (MtlsContext client = client(TlsProvider.JDK)) {
      NettyClient.Outcome outcome = loopback.clients.exchange(client,
          MtlsSslContexts.forClient(client, SslProvider.OPENSSL), loopback.netty.port());

      assertThat(outcome.namedGroup()).isEqualTo(HYBRID);
      assertThat(loopback.netty.nextNamedGroup()).isEqualTo(HYBRID);
      assertThat(OpenSsl.versionString()).isEqualTo("BoringSSL");
    }
  }

  @Test
  void policyWithoutTheHybrid_negotiatesX25519_onBoringSsl() throws Exception {
    start(OPENSSL, TlsProvider.JDK);
    TlsPolicy classical = TlsPolicy.MODERN.withNamedGroups(List.of("x25519", "secp256r1"));
    try (MtlsContext client = client(TlsProvider.BOUNCY_CASTLE, classical)) {
      NettyClient.Outcome outcome = loopback.clients.exchange(client,
          MtlsSslContexts.forClient(client, SslProvider.JDK), loopback.netty.port());

      assertThat(outcome.exchanged()).isTrue();
      assertThat(loopback.netty.nextNamedGroup()).isEqualTo("X25519");
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
  void clientWithoutCertificate_ofABouncyCastleServer_isRefused_withNoCertificateReportedOnce(String protocol)
      throws Exception {
    loopback.start(JDK_OVER_BCJSSE, MtlsContext.forServer()
        .provider(TlsProvider.BOUNCY_CASTLE)
        .tlsPolicy(TlsPolicy.COMPATIBLE)
        .identity(Loopback.serverIdentity(ca))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .clientAuth(ClientAuth.REQUIRED)
        .peerPolicy(PeerPolicy.anyTrustedPeer()));
    TlsPolicy only = protocol.equals("TLSv1.3") ? TlsPolicy.MODERN
        : TlsPolicy.of(List.of("TLSv1.2"), List.of("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"));
    try (MtlsContext anonymous = MtlsContext.forClient().trust(TrustSource.of(List.of(ca.certificate())))
        .tlsPolicy(only).build()) {
      NettyClient.Outcome outcome = loopback.clients.exchange(anonymous,
          MtlsSslContexts.forClient(anonymous, SslProvider.JDK), loopback.netty.port());

      assertThat(outcome.exchanged()).isFalse();
      assertThat(loopback.serverEvents.nextRejection()).isEqualTo(RejectionReason.NO_CERTIFICATE);
      PeerVerificationEvent seen = loopback.netty.nextEvent();
      assertThat(seen.reason()).as(seen.detail()).contains(RejectionReason.NO_CERTIFICATE);
      assertThat(loopback.serverEvents.another(300)).as("reported once").isNull();
    }
  }

  private void start(Stack stack, TlsProvider provider) throws InterruptedException {
    loopback.start(stack, MtlsContext.forServer()
        .provider(provider)
        .identity(Loopback.serverIdentity(ca))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .clientAuth(ClientAuth.REQUIRED)
        .peerPolicy(PeerPolicy.anyTrustedPeer()));
  }

  private MtlsContext client(TlsProvider provider) {
    return client(provider, TlsPolicy.MODERN);
  }

  private MtlsContext client(TlsProvider provider, TlsPolicy policy) {
    IssuedCertificate orders = ca.client("orders");
    return MtlsContext.forClient()
        .provider(provider)
        .identity(IdentitySource.of(orders.privateKey(), orders.chain()))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .tlsPolicy(policy)
        .build();
  }
}
