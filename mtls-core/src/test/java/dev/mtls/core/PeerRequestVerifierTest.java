package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import dev.mtls.testkit.TestClock;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What adapters that judge each request get from core: verifiers with a policy of their own
 * (the servlet filter's per-path rules), and refusal events that name the request.
 */
class PeerRequestVerifierTest {
  private final TestClock clock = new TestClock();
  private final TestCa ca = TestCa.builder().clock(clock).build();
  private final IssuedCertificate serverCertificate = ca.server("localhost");
  private final RecordingListener events = new RecordingListener();

  @Test
  void verifierWithPolicy_refusesAPeerTheContextAllows_andRemembersPerSession() {
    IssuedCertificate orders = ca.client("orders");
    try (MtlsContext server = server()) {
      PeerVerifier admins = server.verifier(PeerPolicy.builder().allowCommonNames("admin-client").build());
      byte[] id = sessionId(1);

      assertThat(server.verifier().verify(id, orders.chain()).isAllowed()).isTrue();
      Verdict refused = admins.verify(id, orders.chain(), new PeerRequest("127.0.0.1:5000", "/admin/users"));

      assertThat(refused).isInstanceOfSatisfying(Verdict.Rejected.class,
          rejected -> assertThat(rejected.reason()).isEqualTo(RejectionReason.IDENTITY_NOT_ALLOWED));
      assertThat(admins.verify(id, orders.chain(), new PeerRequest("127.0.0.1:5000", "/admin/x")))
          .as("remembered for the session").isSameAs(refused);
      assertThat(admins.verify(id, ca.client("admin-client").chain()).isAllowed())
          .as("another chain under the same id is judged afresh").isTrue();
    }
  }

  @Test
  void refusalOfARequest_isReportedWithItsAddressAndPath_escaped() {
    try (MtlsContext server = server()) {
      server.verifier().verify(sessionId(2), ca.client("intruder").chain(),
          new PeerRequest("127.0.0.1:5001", "/api/\r\nforged"));

      MtlsListener.PeerRejected event = events.rejected.poll();
      assertThat(event).isNotNull();
      assertThat(event.rejected().reason()).isEqualTo(RejectionReason.IDENTITY_NOT_ALLOWED);
      assertThat(event.request()).isNotNull();
      assertThat(event.request().remoteAddress()).isEqualTo("127.0.0.1:5001");
      assertThat(event.request().path()).doesNotContain("\r", "\n").startsWith("/api/");
    }
  }

  @Test
  void refusalOutsideARequest_hasNoRequest() {
    try (MtlsContext server = server()) {
      server.verifier().verify(sessionId(3), ca.client("intruder").chain());

      MtlsListener.PeerRejected event = events.rejected.poll();
      assertThat(event).isNotNull();
      assertThat(event.request()).isNull();
    }
  }

  @Test
  void verifierWithPolicy_isRefusedOnAClientContext() {
    try (MtlsContext client = MtlsContext.forClient().trust(TrustSource.of(List.of(ca.certificate())))
        .clock(clock).logging(false).build()) {
      assertThatThrownBy(() -> client.verifier(PeerPolicy.anyTrustedPeer()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("ServerIdentity");
    }
  }

  private MtlsContext server() {
    return MtlsContext.forServer()
        .identity(IdentitySource.of(serverCertificate.privateKey(), serverCertificate.chain()))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .peerPolicy(PeerPolicy.builder().allowCommonNames("orders", "admin-client").build())
        .reload(ReloadPolicy.disabled())
        .clock(clock)
        .listener(events)
        .logging(false)
        .build();
  }

  private static byte[] sessionId(int n) {
    return ByteBuffer.allocate(32).putInt(0xFEED).putInt(n).array();
  }
}
