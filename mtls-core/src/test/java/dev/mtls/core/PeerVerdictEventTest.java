package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;

/**
 * Every verdict reaches the listeners, accepted or refused, with where it was reached (the
 * handshake, a verifier call, a session's remembered verdict), including listeners added to a
 * running context: what metrics count.
 */
class PeerVerdictEventTest {
  private final TestCa ca = TestCa.create();
  private final RecordingListener recording = new RecordingListener();

  @Test
  void acceptedPeer_isReported_fromTheHandshake_theVerifier_andTheRememberedVerdict() throws Exception {
    IssuedCertificate clientCertificate = ca.client("orders");
    try (MtlsContext server = server();
        MtlsContext client = client(clientCertificate);
        LoopbackServer loopback = new LoopbackServer(server)) {
      Subscription subscription = server.addListener(recording);
      LoopbackClient.connect(client, "localhost", loopback.port());
      SSLSession session = loopback.nextOutcome().session();

      MtlsListener.PeerAccepted inHandshake = recording.accepted.poll(10, TimeUnit.SECONDS);
      assertThat(inHandshake).isNotNull();
      assertThat(inHandshake.stage()).isEqualTo(MtlsListener.Stage.HANDSHAKE);
      assertThat(inHandshake.verdict().peer().commonName()).contains("orders");

      Verdict verdict = server.verifier().verify(session);
      server.verifier().verify(session);
      server.verifier().verify(session);

      assertThat(recording.accepted).extracting(MtlsListener.PeerAccepted::stage).containsExactly(
          MtlsListener.Stage.VERIFIER, MtlsListener.Stage.REMEMBERED, MtlsListener.Stage.REMEMBERED);
      List<MtlsListener.PeerAccepted> events = List.copyOf(recording.accepted);
      assertThat(events.get(0).verdict()).isSameAs(verdict);
      assertThat(events.get(2)).as("a remembered verdict's event is made once").isSameAs(events.get(1));
      assertThat(recording.rejected).isEmpty();

      subscription.close();
      recording.accepted.clear();
      server.verifier().verify(session);
      assertThat(recording.accepted).as("heard nothing once removed").isEmpty();
    }
  }

  @Test
  void refusedPeer_isReported_withTheStageItWasRefusedAt() throws Exception {
    IssuedCertificate stranger = TestCa.create().client("stranger");
    try (MtlsContext server = server();
        MtlsContext client = client(stranger);
        LoopbackServer loopback = new LoopbackServer(server)) {
      server.addListener(recording);
      assertThatThrownBy(() -> LoopbackClient.connect(client, "localhost", loopback.port()))
          .isInstanceOf(IOException.class);
      assertThat(loopback.nextOutcome().succeeded()).isFalse();

      MtlsListener.PeerRejected inHandshake = recording.rejected.poll(10, TimeUnit.SECONDS);
      assertThat(inHandshake).isNotNull();
      assertThat(inHandshake.stage()).isEqualTo(MtlsListener.Stage.HANDSHAKE);
      assertThat(inHandshake.rejected().reason()).isEqualTo(RejectionReason.UNTRUSTED_ISSUER);

      server.verifier().verify(stranger.chain());
      MtlsListener.PeerRejected byVerifier = recording.rejected.poll(10, TimeUnit.SECONDS);
      assertThat(byVerifier.stage()).isEqualTo(MtlsListener.Stage.VERIFIER);
      assertThat(recording.accepted).isEmpty();
    }
  }

  @Test
  void listenerAddedTwice_isCalledTwice_andEachSubscriptionRemovesOne() {
    IssuedCertificate peer = ca.client("orders");
    try (MtlsContext server = server()) {
      Subscription first = server.addListener(recording);
      server.addListener(recording);
      server.verifier().verify(peer.chain());
      assertThat(recording.accepted).hasSize(2);

      first.close();
      first.close();
      recording.accepted.clear();
      server.verifier().verify(peer.chain());
      assertThat(recording.accepted).hasSize(1);
    }
  }

  private MtlsContext server() {
    return MtlsContext.forServer()
        .identity(MtlsContextHandshakeTest.identity(ca.server("localhost")))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .peerPolicy(PeerPolicy.anyTrustedPeer())
        .logging(false)
        .build();
  }

  private MtlsContext client(IssuedCertificate certificate) {
    return MtlsContext.forClient()
        .identity(MtlsContextHandshakeTest.identity(certificate))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .logging(false)
        .build();
  }
}
