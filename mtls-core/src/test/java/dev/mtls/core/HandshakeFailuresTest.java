package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.core.internal.tls.HandshakeFailures;
import dev.mtls.testkit.TestCa;
import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link HandshakeFailures#isNoClientCertificate} over real failed handshakes, sockets and
 * engines, on both providers, in TLS 1.3 and 1.2: a client without a certificate is refused by
 * the provider before any trust manager runs, and this is how the failure says so.
 */
class HandshakeFailuresTest {
  private static final String SUITE = "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384";
  private static final TlsPolicy TLS12 = TlsPolicy.of(List.of("TLSv1.2"), List.of(SUITE));

  private final TestCa ca = TestCa.create();
  private final RecordingListener recording = new RecordingListener();

  static Stream<Arguments> providersAndPolicies() {
    return Stream.of(TlsProvider.values())
        .flatMap(provider -> Stream.of(Arguments.of(provider, TlsPolicy.MODERN), Arguments.of(provider, TLS12)));
  }

  @ParameterizedTest
  @MethodSource("providersAndPolicies")
  void clientWithoutCertificate_overSockets_isRecognisedOnTheServer_notInTheAlertTheClientGets(
      TlsProvider provider, TlsPolicy policy) throws Exception {
    try (MtlsContext server = server(provider, policy);
        MtlsContext client = MtlsContext.forClient()
            .trust(TrustSource.of(List.of(ca.certificate()))).tlsPolicy(policy).provider(provider).build();
        LoopbackServer loopback = new LoopbackServer(server)) {
      IOException clientFailure = connectFailing(client, loopback);
      LoopbackServer.Outcome outcome = loopback.nextOutcome();

      assertThat(outcome.succeeded()).isFalse();
      assertThat(HandshakeFailures.isNoClientCertificate(outcome.failure()))
          .as("server-side failure %s", outcome.failure()).isTrue();
      assertThat(HandshakeFailures.isNoClientCertificate(clientFailure))
          .as("client-side failure %s", clientFailure).isFalse();
      // No trust manager ran; the engine or socket reported the refusal, once.
      assertThat(recording.rejected).as("refusal events").singleElement()
          .satisfies(e -> assertThat(e.rejected().reason()).isEqualTo(RejectionReason.NO_CERTIFICATE));
    }
  }

  @ParameterizedTest
  @MethodSource("providersAndPolicies")
  void clientWithoutCertificate_overEngines_isRecognisedOnTheServer_notInTheAlertTheClientGets(
      TlsProvider provider, TlsPolicy policy) {
    try (MtlsContext server = server(provider, policy);
        MtlsContext client = MtlsContext.forClient()
            .trust(TrustSource.of(List.of(ca.certificate()))).tlsPolicy(policy).provider(provider).build()) {
      EngineHandshake handshake = EngineHandshake.run(client.newEngine("localhost", 443), server.newEngine());

      SSLException serverFailure = handshake.serverFailure();
      assertThat(serverFailure).isNotNull();
      assertThat(HandshakeFailures.isNoClientCertificate(serverFailure)).as("server-side failure %s", serverFailure)
          .isTrue();
      assertThat(handshake.clientFailure()).isNotNull();
      assertThat(HandshakeFailures.isNoClientCertificate(handshake.clientFailure()))
          .as("client-side failure %s", handshake.clientFailure()).isFalse();
      // No trust manager ran; the engine or socket reported the refusal, once.
      assertThat(recording.rejected).as("refusal events").singleElement()
          .satisfies(e -> assertThat(e.rejected().reason()).isEqualTo(RejectionReason.NO_CERTIFICATE));
    }
  }

  @ParameterizedTest
  @MethodSource("providersAndPolicies")
  void clientFromAnotherCa_isARefusalOfTheTrustManager_notAMissingCertificate(TlsProvider provider,
      TlsPolicy policy) throws Exception {
    try (MtlsContext server = server(provider, policy);
        MtlsContext client = MtlsContext.forClient()
            .identity(MtlsContextHandshakeTest.identity(TestCa.create().client("intruder")))
            .trust(TrustSource.of(List.of(ca.certificate()))).tlsPolicy(policy).provider(provider).build();
        LoopbackServer loopback = new LoopbackServer(server)) {
      connectFailing(client, loopback);
      LoopbackServer.Outcome outcome = loopback.nextOutcome();

      assertThat(outcome.succeeded()).isFalse();
      assertThat(HandshakeFailures.isNoClientCertificate(outcome.failure()))
          .as("server-side failure %s", outcome.failure()).isFalse();
      assertThat(recording.rejected).singleElement()
          .satisfies(r -> assertThat(r.rejected().reason()).isEqualTo(RejectionReason.UNTRUSTED_ISSUER));
    }
  }

  @ParameterizedTest
  @MethodSource("providersAndPolicies")
  void noCommonCipherSuite_isAnotherHandshakeFailure_notAMissingCertificate(TlsProvider provider, TlsPolicy policy)
      throws Exception {
    // TLS 1.2's handshake_failure alert is what BCJSSE raises for a missing certificate, too.
    TlsPolicy otherSuite = policy == TLS12
        ? TlsPolicy.of(List.of("TLSv1.2"), List.of("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"))
        : TlsPolicy.of(List.of("TLSv1.3"), List.of("TLS_CHACHA20_POLY1305_SHA256"));
    TlsPolicy serverPolicy = policy == TLS12 ? TLS12 : TlsPolicy.of(List.of("TLSv1.3"), List.of("TLS_AES_256_GCM_SHA384"));
    try (MtlsContext server = server(provider, serverPolicy);
        MtlsContext client = MtlsContext.forClient()
            .trust(TrustSource.of(List.of(ca.certificate()))).tlsPolicy(otherSuite).provider(provider).build();
        LoopbackServer loopback = new LoopbackServer(server)) {
      connectFailing(client, loopback);
      LoopbackServer.Outcome outcome = loopback.nextOutcome();

      assertThat(outcome.succeeded()).isFalse();
      assertThat(HandshakeFailures.isNoClientCertificate(outcome.failure()))
          .as("server-side failure %s", outcome.failure()).isFalse();
    }
  }

  private MtlsContext server(TlsProvider provider, TlsPolicy policy) {
    return MtlsContext.forServer()
        .identity(MtlsContextHandshakeTest.identity(ca.server("localhost")))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .peerPolicy(PeerPolicy.anyTrustedPeer())
        .tlsPolicy(policy)
        .provider(provider)
        .listener(recording)
        .build();
  }

  private static IOException connectFailing(MtlsContext client, LoopbackServer loopback) {
    IOException[] failure = new IOException[1];
    assertThatThrownBy(() -> LoopbackClient.connect(client, "localhost", loopback.port()))
        .isInstanceOfSatisfying(IOException.class, e -> failure[0] = e);
    return failure[0];
  }
}
