package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Who hears a context's events: its SLF4J logging, unless switched off, and every listener
 * the application adds, whatever the others do.
 */
class MtlsListenerTest {
  private final TestCa ca = TestCa.create();
  private final IssuedCertificate serverCertificate = ca.server("localhost");
  private final TestCa otherCa = TestCa.create();

  @Test
  void aListenerAndTheLog_bothSeeARefusal() throws Exception {
    RecordingListener recording = new RecordingListener();
    try (CapturedLog log = new CapturedLog();
        MtlsContext server = serverBuilder().listener(recording).build()) {
      connectFromAnotherCa(server);

      assertThat(recording.rejected).singleElement()
          .satisfies(event -> assertThat(event.rejected().reason()).isEqualTo(RejectionReason.UNTRUSTED_ISSUER));
      assertThat(log.text()).contains("WARN dev.mtls - mTLS peer rejected: UNTRUSTED_ISSUER: CN=intruder");
    }
  }

  @Test
  void everyListenerAdded_hearsEveryEvent_evenAfterOneThatThrows() throws Exception {
    AtomicInteger throwing = new AtomicInteger();
    RecordingListener first = new RecordingListener();
    RecordingListener last = new RecordingListener();
    try (MtlsContext server = serverBuilder()
        .listener(first)
        .listener(new MtlsListener() {
          @Override
          public void peerRejected(PeerRejected event) {
            throwing.incrementAndGet();
            throw new IllegalStateException("a listener with a bug");
          }
        })
        .listener(last)
        .logging(false)
        .build()) {
      connectFromAnotherCa(server);
      server.verifier().verify(List.of());

      assertThat(throwing).hasValue(2);
      assertThat(first.rejected).extracting(event -> event.rejected().reason())
          .containsExactly(RejectionReason.UNTRUSTED_ISSUER, RejectionReason.NO_CERTIFICATE);
      assertThat(last.rejected).extracting(event -> event.rejected().reason())
          .containsExactly(RejectionReason.UNTRUSTED_ISSUER, RejectionReason.NO_CERTIFICATE);
    }
  }

  @Test
  void loggingSwitchedOff_leavesTheEventsToTheListeners() throws Exception {
    RecordingListener recording = new RecordingListener();
    try (CapturedLog log = new CapturedLog();
        MtlsContext server = serverBuilder().listener(recording).logging(false).build()) {
      connectFromAnotherCa(server);

      assertThat(recording.rejected).hasSize(1);
      assertThat(log.text()).doesNotContain("mTLS peer rejected");
    }
  }

  @Test
  void theLoggingListenerAddedOnTopOfTheLog_logsARefusalOnce() {
    try (CapturedLog log = new CapturedLog();
        MtlsContext server = serverBuilder().listener(MtlsListener.logging()).build()) {
      server.verifier().verify(List.of());

      assertThat(log.text().split("mTLS peer rejected: NO_CERTIFICATE", -1)).hasSize(2);
    }
  }

  @Test
  void theSameListenerAddedTwice_orLoggingSetTwice_isAnError() {
    RecordingListener recording = new RecordingListener();
    assertThatThrownBy(() -> serverBuilder().listener(recording).listener(recording))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("was already added");
    assertThatThrownBy(() -> serverBuilder().logging(false).logging(true))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("logging was already set to false");
  }

  private ServerContextBuilder serverBuilder() {
    return MtlsContext.forServer()
        .identity(IdentitySource.of(serverCertificate.privateKey(), serverCertificate.chain()))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .peerPolicy(PeerPolicy.anyTrustedPeer());
  }

  /** A client of another CA connects and is refused in the handshake. */
  private void connectFromAnotherCa(MtlsContext server) throws Exception {
    IssuedCertificate intruder = otherCa.client("intruder");
    try (MtlsContext client = MtlsContext.forClient()
            .identity(IdentitySource.of(intruder.privateKey(), intruder.chain()))
            .trust(TrustSource.of(List.of(ca.certificate())))
            .logging(false)
            .build();
        LoopbackServer loopback = new LoopbackServer(server)) {
      assertThatThrownBy(() -> LoopbackClient.connect(client, "localhost", loopback.port()))
          .isInstanceOf(IOException.class);
      assertThat(loopback.nextOutcome().succeeded()).isFalse();
    }
  }
}
