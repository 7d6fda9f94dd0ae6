package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * IP address and email allow-lists of a server's {@link PeerPolicy} in real handshakes over
 * loopback, with client certificates that carry IP and email subject alternative names.
 */
class AddressAllowListHandshakeTest {
  private final TestCa ca = TestCa.create();
  private final IssuedCertificate serverCertificate = ca.server("localhost");
  private final RecordingListener recording = new RecordingListener();

  @Test
  void ipAllowList_letsInAClient_whoseIpSanIsTheSameAddressWrittenOtherwise() throws Exception {
    PeerPolicy policy = PeerPolicy.builder().allowIpAddresses("2001:db8::7", "10.0.0.0/8").build();
    IssuedCertificate longForm = ca.leaf("edge").clientAuth().ipAddresses("2001:0db8:0:0:0:0:0:0007").issue();
    IssuedCertificate inRange = ca.leaf("batch").clientAuth().ipAddresses("192.0.2.1", "10.20.30.40").issue();
    IssuedCertificate mapped = ca.leaf("mapped").clientAuth().ipAddresses("::ffff:10.1.2.3").issue();
    try (MtlsContext server = server(policy); LoopbackServer loopback = new LoopbackServer(server)) {
      for (IssuedCertificate certificate : List.of(longForm, inRange, mapped)) {
        try (MtlsContext client = client(certificate)) {
          assertThat(LoopbackClient.connect(client, "localhost", loopback.port()).getProtocol()).isEqualTo("TLSv1.3");
          assertThat(loopback.nextOutcome().succeeded()).as(certificate.toString()).isTrue();
        }
      }
    }
    assertThat(recording.rejected).isEmpty();
  }

  @Test
  void ipAllowList_refusesAClient_outsideTheList_namingItsAddresses() throws Exception {
    PeerPolicy policy = PeerPolicy.builder().allowIpAddresses("10.0.0.0/8").build();
    IssuedCertificate outside = ca.leaf("intruder").clientAuth().ipAddresses("11.0.0.1", "2001:db8::1").issue();
    // A CN that looks like an allowed address is not an address.
    IssuedCertificate cnOnly = ca.leaf("10.0.0.1").clientAuth().issue();
    try (MtlsContext server = server(policy); LoopbackServer loopback = new LoopbackServer(server)) {
      assertRefused(outside, loopback, "IP [10.0.0.0/8]); the peer has IP [11.0.0.1, 2001:db8::1]");
      assertRefused(cnOnly, loopback, "IP [10.0.0.0/8]); the peer has no IP address");
    }
  }

  @Test
  void emailAllowList_matchesTheDomainCaseInsensitively_andTheLocalPartExactly() throws Exception {
    PeerPolicy policy = PeerPolicy.builder().allowEmails("ops@Example.COM", "*@robots.example").build();
    IssuedCertificate ops = ca.leaf("ops").clientAuth().emails("ops@example.com").issue();
    IssuedCertificate robot = ca.leaf("robot").clientAuth().emails("build-7@ROBOTS.example").issue();
    IssuedCertificate otherCase = ca.leaf("Ops").clientAuth().emails("Ops@example.com").issue();
    IssuedCertificate subdomain = ca.leaf("sub").clientAuth().emails("x@eu.robots.example").issue();
    try (MtlsContext server = server(policy); LoopbackServer loopback = new LoopbackServer(server)) {
      for (IssuedCertificate certificate : List.of(ops, robot)) {
        try (MtlsContext client = client(certificate)) {
          LoopbackClient.connect(client, "localhost", loopback.port());
          assertThat(loopback.nextOutcome().succeeded()).as(certificate.toString()).isTrue();
        }
      }
      assertRefused(otherCase, loopback, "the peer has email [Ops@example.com]");
      assertRefused(subdomain, loopback, "the peer has email [x@eu.robots.example]");
    }
  }

  @Test
  void refusal_escapesControlCharacters_fromTheClientsEmailSan() throws Exception {
    PeerPolicy policy = PeerPolicy.builder().allowEmails("ops@example.com").build();
    IssuedCertificate forged = ca.leaf("forged").clientAuth().emails("ops@example.com\r\nALLOWED ops\u001b[0m").issue();
    try (MtlsContext server = server(policy); LoopbackServer loopback = new LoopbackServer(server)) {
      String detail = assertRefused(forged, loopback, "the peer has email [ops@example.com\\u000d\\u000aALLOWED ops\\u001b[0m]");
      assertThat(detail).doesNotContain("\r", "\n", "\u001b");
    }
  }

  private String assertRefused(IssuedCertificate certificate, LoopbackServer loopback, String detailPart)
      throws Exception {
    try (MtlsContext client = client(certificate)) {
      assertThatThrownBy(() -> LoopbackClient.connect(client, "localhost", loopback.port()))
          .isInstanceOf(IOException.class);
    }
    assertThat(loopback.nextOutcome().succeeded()).isFalse();
    MtlsListener.PeerRejected event = recording.rejected.poll(10, TimeUnit.SECONDS);
    assertThat(event).as("a refusal").isNotNull();
    assertThat(event.rejected().reason()).isEqualTo(RejectionReason.IDENTITY_NOT_ALLOWED);
    assertThat(event.rejected().detail()).contains(detailPart);
    return event.rejected().detail();
  }

  private MtlsContext server(PeerPolicy policy) {
    return MtlsContext.forServer()
        .identity(MtlsContextHandshakeTest.identity(serverCertificate))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .peerPolicy(policy)
        .listener(recording)
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
