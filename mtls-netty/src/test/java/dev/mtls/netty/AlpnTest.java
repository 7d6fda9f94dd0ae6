package dev.mtls.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.core.ClientAuth;
import dev.mtls.core.MtlsContext;
import dev.mtls.core.PeerPolicy;
import dev.mtls.core.TlsPolicy;
import dev.mtls.core.TrustSource;
import dev.mtls.testkit.TestCa;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslProvider;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ALPN through {@link MtlsSslContexts}: a server offering {@code h2} and {@code http/1.1} and
 * clients of either provider negotiate what both have, the server's preference first; a client
 * with nothing in common still gets in, without a protocol, for the application to decide.
 */
class AlpnTest {
  private static final ApplicationProtocols H2_AND_HTTP11 =
      ApplicationProtocols.of(ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1);

  private final TestCa ca = TestCa.create();
  private MtlsContext server;
  private NettyServer netty;
  private NettyClient clients;

  @AfterEach
  void stop() {
    for (AutoCloseable closeable : new AutoCloseable[] {clients, netty, server}) {
      if (closeable != null) {
        try {
          closeable.close();
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      }
    }
  }

  /** Every server provider with every client provider. */
  static Stream<Arguments> serverAndClientProviders() {
    return Stream.of(SslProvider.JDK, SslProvider.OPENSSL).flatMap(server ->
        Stream.of(SslProvider.JDK, SslProvider.OPENSSL).map(client -> Arguments.of(server, client)));
  }

  @ParameterizedTest(name = "server {0}, client {1}")
  @MethodSource("serverAndClientProviders")
  void clientOfferingBoth_getsTheServersFirstChoice(SslProvider serverProvider, SslProvider clientProvider)
      throws Exception {
    start(serverProvider, clientProvider);
    NettyClient.Outcome outcome = exchange(clientProvider,
        ApplicationProtocols.of(ApplicationProtocolNames.HTTP_1_1, ApplicationProtocolNames.HTTP_2));

    assertThat(outcome.exchanged()).isTrue();
    assertThat(outcome.applicationProtocol()).isEqualTo("h2");
    assertThat(netty.nextNegotiated().applicationProtocol()).isEqualTo("h2");
  }

  @ParameterizedTest(name = "server {0}, client {1}")
  @MethodSource("serverAndClientProviders")
  void clientOfferingOnlyHttp11_getsHttp11(SslProvider serverProvider, SslProvider clientProvider) throws Exception {
    start(serverProvider, clientProvider);
    NettyClient.Outcome outcome = exchange(clientProvider, ApplicationProtocols.of(ApplicationProtocolNames.HTTP_1_1));

    assertThat(outcome.applicationProtocol()).isEqualTo("http/1.1");
    assertThat(netty.nextNegotiated().applicationProtocol()).isEqualTo("http/1.1");
  }

  @ParameterizedTest(name = "server {0}, client {1}")
  @MethodSource("serverAndClientProviders")
  void clientWithNothingInCommon_orWithoutAlpn_getsInWithoutAProtocol(SslProvider serverProvider,
      SslProvider clientProvider) throws Exception {
    start(serverProvider, clientProvider);
    for (ApplicationProtocols offered : List.of(ApplicationProtocols.of("spdy/3.1"), ApplicationProtocols.none())) {
      NettyClient.Outcome outcome = exchange(clientProvider, offered);

      assertThat(outcome.exchanged()).as("%s", offered).isTrue();
      assertThat(outcome.applicationProtocol()).as("%s", offered).isNull();
      assertThat(netty.nextNegotiated().applicationProtocol()).as("%s", offered).isNull();
    }
  }

  @Test
  void protocolNames_areChecked() {
    assertThatThrownBy(() -> ApplicationProtocols.of("")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 to 255 bytes");
    assertThatThrownBy(() -> ApplicationProtocols.of("x".repeat(256))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ApplicationProtocols.of("h2", "h2")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("twice");
    assertThat(H2_AND_HTTP11.protocols()).containsExactly("h2", "http/1.1");
    assertThat(ApplicationProtocols.none().protocols()).isEmpty();
  }

  private void start(SslProvider serverProvider, SslProvider clientProvider) throws InterruptedException {
    new Stack(clientProvider, Stack.Transport.NIO).assumeAvailable();
    Stack stack = new Stack(serverProvider, Stack.Transport.NIO).assumeAvailable();
    server = MtlsContext.forServer()
        .identity(Loopback.serverIdentity(ca))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .clientAuth(ClientAuth.REQUIRED)
        .peerPolicy(PeerPolicy.anyTrustedPeer())
        .build();
    netty = new NettyServer(stack, server, H2_AND_HTTP11);
    clients = new NettyClient(stack);
  }

  private NettyClient.Outcome exchange(SslProvider provider, ApplicationProtocols alpn) throws Exception {
    try (MtlsContext client = Loopback.client(ca, ca.client("orders"), TlsPolicy.MODERN)) {
      return clients.exchange(client, MtlsSslContexts.forClient(client, provider, alpn), netty.port());
    }
  }
}
