package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.core.internal.tls.HandshakeFailures;
import dev.mtls.testkit.TestCa;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;

/**
 * Bouncy Castle's JSSE logs through {@code java.util.logging}, past the context's rate-limited
 * listener: the library quiets it, and the listener stays the one voice for refused peers.
 */
class BouncyCastleLoggingTest {
  private static final String BCJSSE = "org.bouncycastle.jsse";
  private static final int CLIENTS = 10;

  private final TestCa ca = TestCa.create();
  private final RecordingListener recording = new RecordingListener();

  @Test
  void failedHandshakes_writeNothingThroughJavaUtilLogging_whileTheListenerHearsEachRefusal() throws Exception {
    try (MtlsContext server = MtlsContext.forServer()
            .identity(MtlsContextHandshakeTest.identity(ca.server("localhost")))
            .trust(TrustSource.of(List.of(ca.certificate())))
            .peerPolicy(PeerPolicy.anyTrustedPeer())
            .provider(TlsProvider.BOUNCY_CASTLE)
            .listener(recording)
            .build();
        MtlsContext intruder = MtlsContext.forClient()
            .identity(MtlsContextHandshakeTest.identity(TestCa.create().client("intruder")))
            .trust(TrustSource.of(List.of(ca.certificate())))
            .provider(TlsProvider.BOUNCY_CASTLE)
            .build();
        MtlsContext anonymous = MtlsContext.forClient()
            .trust(TrustSource.of(List.of(ca.certificate())))
            .provider(TlsProvider.BOUNCY_CASTLE)
            .build();
        LoopbackServer loopback = new LoopbackServer(server)) {
      // Attached once the contexts exist: a logger with a handler counts as configured by the
      // application, and is left alone.
      Capture capture = new Capture();
      Logger bcjsse = Logger.getLogger(BCJSSE);
      bcjsse.addHandler(capture);
      int withoutCertificate = 0;
      try {
        for (int i = 0; i < CLIENTS; i++) {
          assertThatThrownBy(() -> LoopbackClient.connect(intruder, "localhost", loopback.port()))
              .isInstanceOf(IOException.class);
          assertThat(loopback.nextOutcome().succeeded()).isFalse();
          assertThatThrownBy(() -> LoopbackClient.connect(anonymous, "localhost", loopback.port()))
              .isInstanceOf(IOException.class);
          LoopbackServer.Outcome outcome = loopback.nextOutcome();
          if (HandshakeFailures.isNoClientCertificate(outcome.failure())) {
            withoutCertificate++;
          }
        }
      } finally {
        bcjsse.removeHandler(capture);
      }

      assertThat(capture.records).as("%s java.util.logging records at INFO or above, %s lines: %s",
          capture.records.size(), capture.lines(), capture.firstLines()).isEmpty();
      // One event per refusal: the other CA's clients from the trust manager, the clients
      // without a certificate from the server's engine (no trust manager runs for those).
      assertThat(recording.rejected).hasSize(2 * CLIENTS);
      assertThat(recording.rejected).filteredOn(r -> r.rejected().reason() == RejectionReason.UNTRUSTED_ISSUER)
          .hasSize(CLIENTS);
      assertThat(recording.rejected).filteredOn(r -> r.rejected().reason() == RejectionReason.NO_CERTIFICATE)
          .hasSize(CLIENTS);
      assertThat(withoutCertificate).as("refusals of a client without certificate, told by the server's failure")
          .isEqualTo(CLIENTS);
    }
  }

  @Test
  void aBouncyCastleContext_leavesTheProviderLoggerAtSevere_heldAgainstGarbageCollection() {
    try (MtlsContext client = MtlsContext.forClient()
        .trust(TrustSource.of(List.of(ca.certificate())))
        .provider(TlsProvider.BOUNCY_CASTLE)
        .build()) {
      System.gc();
      assertThat(Logger.getLogger(BCJSSE).getLevel()).isEqualTo(Level.SEVERE);
    }
  }

  /** Keeps what reaches the BCJSSE logger at INFO or above. */
  private static final class Capture extends Handler {
    final List<LogRecord> records = new ArrayList<>();
    private final SimpleFormatter formatter = new SimpleFormatter();

    Capture() {
      setLevel(Level.ALL);
    }

    @Override
    public synchronized void publish(LogRecord record) {
      if (record.getLevel().intValue() >= Level.INFO.intValue()) {
        records.add(record);
      }
    }

    synchronized long lines() {
      return records.stream().mapToLong(r -> formatter.format(r).lines().count()).sum();
    }

    synchronized String firstLines() {
      return records.isEmpty() ? "" : formatter.format(records.get(0)).lines().limit(4).toList().toString();
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
