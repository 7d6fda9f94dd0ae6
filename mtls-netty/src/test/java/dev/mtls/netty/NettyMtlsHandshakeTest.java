package dev.mtls.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.core.ClientAuth;
import dev.mtls.core.IdentitySource;
import dev.mtls.core.MtlsContext;
import dev.mtls.core.PeerPolicy;
import dev.mtls.core.RejectionReason;
import dev.mtls.core.Revocation;
import dev.mtls.core.ServerContextBuilder;
import dev.mtls.core.TlsPolicy;
import dev.mtls.core.TrustSource;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.KeyType;
import dev.mtls.testkit.TestCa;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.handler.ssl.SslProvider;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A Netty server and Netty clients over loopback, on the JDK and OpenSSL providers and on the
 * NIO and epoll transports: who gets through, who is refused, and what is reported.
 */
class NettyMtlsHandshakeTest {
  private static final String SPIFFE_ID = "spiffe://example.org/orders";

  @TempDir Path dir;

  private final TestCa ca = TestCa.create();
  private final Loopback loopback = new Loopback();
  private final RecordingListener serverEvents = loopback.serverEvents;
  private NettyServer netty;
  private NettyClient clients;

  @AfterEach
  void stop() {
    loopback.close();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.mtls.netty.Stack#all")
  void allowedClient_exchangesData_andTheServerSeesItsCommonNameAndSpiffeId(Stack stack) throws Exception {
    start(stack, PeerPolicy.builder().allowSpiffeIds(SPIFFE_ID).build(), UnaryOperator.identity());
    try (MtlsContext client = client(ordersWithSpiffeId())) {
      NettyClient.Outcome outcome = clients.exchange(client, MtlsSslContexts.forClient(client, stack.provider()),
          netty.port());

      assertThat(outcome.answer()).isEqualTo("hello orders " + SPIFFE_ID);
      PeerVerificationEvent seen = netty.nextEvent();
      assertThat(seen.isSuccess()).isTrue();
      assertThat(seen.peer().orElseThrow().commonName()).contains("orders");
      assertThat(seen.peer().orElseThrow().spiffeId().orElseThrow()).hasToString(SPIFFE_ID);
      // The client's handler verified the server too.
      assertThat(outcome.verification()).isNotNull();
      assertThat(outcome.verification().isSuccess()).isTrue();
      assertThat(outcome.verification().peer().orElseThrow().dnsNames()).contains("localhost");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.mtls.netty.Stack#all")
  void clientNotOnTheAllowList_isRefusedInTheHandshake_withIdentityNotAllowedReported(Stack stack) throws Exception {
    start(stack, PeerPolicy.builder().allowCommonNames("payments").build(), UnaryOperator.identity());
    try (MtlsContext client = client(ca.client("orders"))) {
      NettyClient.Outcome outcome = clients.exchange(client, MtlsSslContexts.forClient(client, stack.provider()),
          netty.port());

      assertThat(outcome.exchanged()).isFalse();
      assertThat(serverEvents.nextRejection()).isEqualTo(RejectionReason.IDENTITY_NOT_ALLOWED);
      PeerVerificationEvent seen = netty.nextEvent();
      assertThat(seen.isSuccess()).isFalse();
      assertThat(seen.reason()).contains(RejectionReason.IDENTITY_NOT_ALLOWED);
      assertThat(seen.cause()).isPresent();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.mtls.netty.Stack#all")
  void clientNotOnTheAllowList_isClosedByTheHandler_whenThePolicyIsCheckedAfterTheHandshake(Stack stack)
      throws Exception {
    start(stack, PeerPolicy.builder().allowCommonNames("payments").build(),
        builder -> builder.peerPolicyInHandshake(false));
    try (MtlsContext client = client(ca.client("orders"))) {
      NettyClient.Outcome outcome = clients.exchange(client, MtlsSslContexts.forClient(client, stack.provider()),
          netty.port());

      // The handshake completed; the handler closed the channel before the application answered.
      assertThat(outcome.handshakeFailure()).isNull();
      assertThat(outcome.exchanged()).isFalse();
      PeerVerificationEvent seen = netty.nextEvent();
      assertThat(seen.reason()).contains(RejectionReason.IDENTITY_NOT_ALLOWED);
      assertThat(seen.cause()).isEmpty();
      assertThat(seen.peer().orElseThrow().commonName()).contains("orders");
      assertThat(serverEvents.nextRejection()).isEqualTo(RejectionReason.IDENTITY_NOT_ALLOWED);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.mtls.netty.Stack#all")
  void revokedClient_isRefused_withRevoked(Stack stack) throws Exception {
    IssuedCertificate revoked = ca.client("orders");
    ca.revoke(revoked);
    Path crl = ca.writeCrl(dir.resolve("ca.crl"));
    start(stack, PeerPolicy.anyTrustedPeer(), builder -> builder.revocation(Revocation.crls().file(crl).build()));

    assertRefused(stack, revoked, RejectionReason.REVOKED);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.mtls.netty.Stack#all")
  void expiredClient_isRefused_withExpired(Stack stack) throws Exception {
    start(stack, PeerPolicy.anyTrustedPeer(), UnaryOperator.identity());

    assertRefused(stack, ca.leaf("orders").clientAuth().expired().issue(), RejectionReason.EXPIRED);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.mtls.netty.Stack#all")
  void clientOfAnotherCa_isRefused_withUntrustedIssuer(Stack stack) throws Exception {
    start(stack, PeerPolicy.anyTrustedPeer(), UnaryOperator.identity());

    // A library client: its key manager sends its certificate whatever CA names the server
    // advertises (the JDK's would send none, and be refused with NO_CERTIFICATE).
    try (MtlsContext stranger = client(TestCa.create().client("orders"))) {
      NettyClient.Outcome outcome = clients.exchange(stranger, MtlsSslContexts.forClient(stranger, stack.provider()),
          netty.port());

      assertThat(outcome.exchanged()).isFalse();
      assertThat(serverEvents.nextRejection()).isEqualTo(RejectionReason.UNTRUSTED_ISSUER);
      assertThat(netty.nextEvent().reason()).contains(RejectionReason.UNTRUSTED_ISSUER);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.mtls.netty.Stack#all")
  void tls12OnlyClient_isRefused_asAHandshakeFailureWithoutAReason(Stack stack) throws Exception {
    start(stack, PeerPolicy.anyTrustedPeer(), UnaryOperator.identity());
    IssuedCertificate orders = ca.client("orders");
    SslContext tls12 = SslContextBuilder.forClient().sslProvider(stack.provider())
        .keyManager(orders.privateKey(), orders.chain()).trustManager(ca.certificate())
        .protocols("TLSv1.2").build();

    NettyClient.Outcome outcome = clients.exchange(tls12, netty.port());

    assertThat(outcome.exchanged()).isFalse();
    assertThat(outcome.handshakeFailure()).isNotNull();
    PeerVerificationEvent seen = netty.nextEvent();
    assertThat(seen.isSuccess()).isFalse();
    assertThat(seen.reason()).isEmpty();
    assertThat(seen.cause()).isPresent();
    assertThat(seen.detail()).startsWith("TLS handshake failed: ");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.mtls.netty.Stack#all")
  void clientWithoutCertificate_isRefused_withNoCertificateReportedOnce(Stack stack) throws Exception {
    start(stack, PeerPolicy.anyTrustedPeer(), UnaryOperator.identity());
    try (MtlsContext anonymous = MtlsContext.forClient().trust(TrustSource.of(List.of(ca.certificate()))).build()) {
      NettyClient.Outcome outcome = clients.exchange(anonymous, MtlsSslContexts.forClient(anonymous, stack.provider()),
          netty.port());

      assertThat(outcome.exchanged()).isFalse();
      assertThat(serverEvents.nextRejection()).isEqualTo(RejectionReason.NO_CERTIFICATE);
      PeerVerificationEvent seen = netty.nextEvent();
      assertThat(seen.reason()).contains(RejectionReason.NO_CERTIFICATE);
      assertThat(serverEvents.another(300)).as("reported once").isNull();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.mtls.netty.Stack#providers")
  void silentClient_isClosed_afterTheContextsHandshakeTimeout(Stack stack) throws Exception {
    start(stack, PeerPolicy.anyTrustedPeer(), builder -> builder.handshakeTimeout(Duration.ofMillis(300)));
    try (Socket silent = new Socket(InetAddress.getLoopbackAddress(), netty.port())) {
      silent.setSoTimeout(10_000);
      long started = System.nanoTime();
      InputStream in = silent.getInputStream();

      assertThat(in.read()).as("closed by the server").isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
      PeerVerificationEvent seen = netty.nextEvent();
      assertThat(seen.cause().orElseThrow()).isInstanceOf(SslHandshakeTimeoutException.class);
    }
  }

  @Test
  void ed25519Identity_isRefusedAtBuild_onOpenSsl_butServedOnTheJdk() throws Exception {
    new Stack(SslProvider.OPENSSL, Stack.Transport.NIO).assumeAvailable();
    IssuedCertificate ed25519 = ca.leaf("localhost").dnsNames("localhost").serverAuth().keyType(KeyType.ED25519)
        .issue();
    try (MtlsContext context = MtlsContext.forServer()
        .identity(IdentitySource.of(ed25519.privateKey(), ed25519.chain()))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .peerPolicy(PeerPolicy.anyTrustedPeer())
        .build()) {
      assertThatThrownBy(() -> MtlsSslContexts.forServer(context, SslProvider.OPENSSL))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("OpenSSL provider cannot use")
          .hasMessageContaining("Ed25519")
          .hasMessageContaining("SslProvider.JDK");
      assertThat(MtlsSslContexts.forServer(context, SslProvider.JDK).isServer()).isTrue();
    }
  }

  @Test
  void contextsOfTheWrongRole_andRefCountedOpenSsl_areRefused() throws Exception {
    start(new Stack(SslProvider.JDK, Stack.Transport.NIO), PeerPolicy.anyTrustedPeer(), UnaryOperator.identity());
    assertThatThrownBy(() -> MtlsSslContexts.forClient(loopback.server, SslProvider.JDK))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("forClient needs a client context");
    assertThatThrownBy(() -> MtlsSslContexts.forServer(loopback.server, SslProvider.OPENSSL_REFCNT))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("OPENSSL_REFCNT is not supported");
    assertThatThrownBy(() -> MtlsChannelInitializer.forClient(loopback.server, netty.sslContext, "localhost", 443, p -> {}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a client context");
  }

  @Test
  void openSsl_isAvailableInTheseTests() {
    assertThat(MtlsSslContexts.unavailabilityCause(SslProvider.OPENSSL)).isEmpty();
    assertThat(MtlsSslContexts.isAvailable(SslProvider.JDK)).isTrue();
  }

  private void assertRefused(Stack stack, IssuedCertificate certificate, RejectionReason reason) throws Exception {
    SslContext plain = SslContextBuilder.forClient().sslProvider(stack.provider())
        .keyManager(certificate.privateKey(), certificate.chain()).trustManager(ca.certificate()).build();

    NettyClient.Outcome outcome = clients.exchange(plain, netty.port());

    assertThat(outcome.exchanged()).isFalse();
    assertThat(serverEvents.nextRejection()).isEqualTo(reason);
    PeerVerificationEvent seen = netty.nextEvent();
    assertThat(seen.isSuccess()).isFalse();
    assertThat(seen.reason()).contains(reason);
  }

  private IssuedCertificate ordersWithSpiffeId() {
    return ca.leaf("orders").spiffeId(SPIFFE_ID).clientAuth().issue();
  }

  private void start(Stack stack, PeerPolicy policy, UnaryOperator<ServerContextBuilder> configure)
      throws Exception {
    loopback.start(stack, configure.apply(MtlsContext.forServer()
        .identity(Loopback.serverIdentity(ca))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .clientAuth(ClientAuth.REQUIRED)
        .peerPolicy(policy)));
    netty = loopback.netty;
    clients = loopback.clients;
  }

  private MtlsContext client(IssuedCertificate identity) {
    return Loopback.client(ca, identity, TlsPolicy.MODERN);
  }
}
