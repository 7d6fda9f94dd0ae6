package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.testkit.TestCa;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every refusal is an event, including a client that sends no certificate to a server that
 * requires one: neither provider calls the trust manager then, so the engines and sockets
 * report it themselves, once per refused connection, over a held {@code sslContext()}'s
 * engines (as containers drive them) and over the server sockets of
 * {@code serverSocketFactory()}, on both providers, in TLS 1.3 and 1.2.
 */
class NoCertificateEventTest {
  private static final int CONNECTIONS = 3;
  private static final TlsPolicy TLS12 = TlsPolicy.of(List.of("TLSv1.2"),
      List.of("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"));

  private final TestCa ca = TestCa.create();
  private final RecordingListener recording = new RecordingListener();

  static Stream<Arguments> providersAndPolicies() {
    return Stream.of(TlsProvider.values())
        .flatMap(provider -> Stream.of(Arguments.of(provider, TlsPolicy.MODERN), Arguments.of(provider, TLS12)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("providersAndPolicies")
  void clientWithoutCertificate_overTheServerSockets_isOneNoCertificateEventPerConnection(TlsProvider provider,
      TlsPolicy policy) throws Exception {
    try (MtlsContext server = server(provider, policy);
        MtlsContext client = clientWithoutIdentity(provider, policy);
        LoopbackServer loopback = new LoopbackServer(server)) {
      for (int i = 0; i < CONNECTIONS; i++) {
        assertThatThrownBy(() -> LoopbackClient.connect(client, "localhost", loopback.port()))
            .isInstanceOf(IOException.class);
        assertThat(loopback.nextOutcome().succeeded()).isFalse();
      }

      assertOneNoCertificateEventPerConnection();
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("providersAndPolicies")
  void clientWithoutCertificate_overAHeldSslContextsEngines_isOneNoCertificateEventPerConnection(
      TlsProvider provider, TlsPolicy policy) throws Exception {
    try (MtlsContext server = server(provider, policy);
        MtlsContext client = clientWithoutIdentity(provider, policy)) {
      SSLContext held = server.sslContext();
      try (EngineLoopbackServer loopback = new EngineLoopbackServer(held::createSSLEngine)) {
        for (int i = 0; i < CONNECTIONS; i++) {
          assertThatThrownBy(() -> LoopbackClient.connect(client, "localhost", loopback.port()))
              .isInstanceOf(IOException.class);
          assertThat(loopback.nextOutcome().succeeded()).isFalse();
        }
      }

      assertOneNoCertificateEventPerConnection();
    }
  }

  private void assertOneNoCertificateEventPerConnection() throws InterruptedException {
    List<MtlsListener.PeerRejected> events = new ArrayList<>();
    for (int i = 0; i < CONNECTIONS; i++) {
      MtlsListener.PeerRejected event = recording.rejected.poll(10, TimeUnit.SECONDS);
      assertThat(event).as("refusal %s of %s reported", i + 1, CONNECTIONS).isNotNull();
      events.add(event);
    }
    assertThat(recording.rejected).as("more events than refused connections").isEmpty();
    assertThat(events).allSatisfy(event -> {
      assertThat(event.rejected().reason()).isEqualTo(RejectionReason.NO_CERTIFICATE);
      assertThat(event.rejected().detail()).startsWith("the peer sent no certificate");
      assertThat(event.rejected().peer()).isNull();
    });
  }

  private MtlsContext server(TlsProvider provider, TlsPolicy policy) {
    return MtlsContext.forServer()
        .identity(MtlsContextHandshakeTest.identity(ca.server("localhost")))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .peerPolicy(PeerPolicy.anyTrustedPeer())
        .tlsPolicy(policy)
        .provider(provider)
        .listener(recording)
        .logging(false)
        .build();
  }

  private MtlsContext clientWithoutIdentity(TlsProvider provider, TlsPolicy policy) {
    return MtlsContext.forClient()
        .trust(TrustSource.of(List.of(ca.certificate())))
        .tlsPolicy(policy)
        .provider(provider)
        .logging(false)
        .build();
  }
}
