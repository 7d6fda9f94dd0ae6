package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;

/**
 * The server-identity rules as the public verifier applies them after the handshake
 * ({@link PeerVerifier#verifyServer}), with real certificates; the handshake tests show the
 * same rules inside the handshake.
 */
class ServerIdentityTest {
  private static final String PAYMENTS = "spiffe://prod.example/payments";
  private static final String ORDERS = "spiffe://prod.example/orders";

  private final TestCa ca = TestCa.create();
  private final IssuedCertificate orders = ca.leaf("orders").serverAuth()
      .spiffeId(ORDERS).dnsNames("a.example").issue();

  @Test
  void verifyServer_namesWhatTheServerPresented_andWhatWasExpected() {
    try (MtlsContext client = client(ServerIdentity.peer(PeerPolicy.builder().allowSpiffeIds(PAYMENTS).build()))) {
      assertRejected(client.verifier().verifyServer(orders.chain(), "a.example"),
          RejectionReason.IDENTITY_NOT_ALLOWED,
          "server presented spiffe://prod.example/orders (DNS: a.example), expected spiffe://prod.example/payments");
    }
  }

  @Test
  void verifyServer_withTheHostNameRule_checksTheGivenHost() {
    try (MtlsContext client = client(ServerIdentity.hostName())) {
      assertThat(client.verifier().verifyServer(orders.chain(), "a.example").isAllowed()).isTrue();
      assertThat(client.verifier().verifyServer(orders.chain(), "A.EXAMPLE.").isAllowed()).isTrue();
      assertRejected(client.verifier().verifyServer(orders.chain(), "b.example"), RejectionReason.IDENTITY_NOT_ALLOWED,
          "server presented spiffe://prod.example/orders (DNS: a.example), expected a certificate naming host b.example");
    }
  }

  @Test
  void namedHost_isCheckedInsteadOfTheHostConnectedTo() {
    try (MtlsContext named = client(ServerIdentity.hostName("a.example"));
        MtlsContext otherName = client(ServerIdentity.hostName("b.example"))) {
      assertThat(named.verifier().verifyServer(orders.chain(), "10.0.0.5").isAllowed()).isTrue();
      assertRejected(otherName.verifier().verifyServer(orders.chain(), "a.example"), RejectionReason.IDENTITY_NOT_ALLOWED,
          "expected a certificate naming host b.example");
    }
    assertThat(ServerIdentity.hostName("10.0.0.5")).hasToString("ServerIdentity[host name 10.0.0.5]");
    assertThatThrownBy(() -> ServerIdentity.hostName("*.example")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no wildcard");
    assertThatThrownBy(() -> ServerIdentity.hostName("a..example")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void verify_onAClient_checksWhatDoesNotDependOnTheHost() {
    try (MtlsContext byHost = client(ServerIdentity.hostName());
        MtlsContext bySpiffe = client(ServerIdentity.peer(PeerPolicy.builder().allowSpiffeIds(PAYMENTS).build()))) {
      assertThat(byHost.verifier().verify(orders.chain()).isAllowed()).isTrue();
      assertRejected(bySpiffe.verifier().verify(orders.chain()), RejectionReason.IDENTITY_NOT_ALLOWED, "expected " + PAYMENTS);
      // A client certificate is no server's, whatever the rule.
      assertRejected(byHost.verifier().verify(ca.client("orders").chain()), RejectionReason.WRONG_KEY_USAGE,
          "a server needs serverAuth");
    }
  }

  @Test
  void hostNameAnd_appliesThePolicysIssuerRequirement() {
    TestCa other = ca.newIntermediate("Other CA");
    ServerIdentity rule = ServerIdentity.hostNameAnd(PeerPolicy.builder()
        .allowAnyTrustedPeer().requireIssuer(new X500Principal("CN=Payments CA")).build());
    try (MtlsContext client = client(rule)) {
      assertRejected(client.verifier().verifyServer(other.server("a.example").chain(), "a.example"),
          RejectionReason.ISSUER_NOT_ALLOWED, "CN=Payments CA");
    }
  }

  @Test
  void perHost_refusesTheServer_whenTheFunctionFailsOrHasNoRule() {
    ServerIdentity rule = ServerIdentity.perHost(host -> {
      if (host.equals("broken.example")) {
        throw new IllegalStateException("rule table not loaded");
      }
      return host.equals("loop.example") ? ServerIdentity.perHost(h -> ServerIdentity.hostName()) : null;
    });
    try (MtlsContext client = client(rule)) {
      assertRejected(client.verifier().verifyServer(orders.chain(), "broken.example"),
          RejectionReason.IDENTITY_NOT_ALLOWED, "the per-host server-identity rule failed for host broken.example:"
              + " java.lang.IllegalStateException: rule table not loaded");
      assertRejected(client.verifier().verifyServer(orders.chain(), "a.example"),
          RejectionReason.IDENTITY_NOT_ALLOWED, "the per-host server-identity rule returned null for host a.example");
      assertRejected(client.verifier().verifyServer(orders.chain(), "loop.example"),
          RejectionReason.IDENTITY_NOT_ALLOWED, "returned another per-host rule for host loop.example");
    }
  }

  @Test
  void peer_refusesAPolicyThatNamesNoServer() {
    assertThatThrownBy(() -> ServerIdentity.peer(PeerPolicy.anyTrustedPeer()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("names no server")
        .hasMessageContaining("INSECURE_anyTrustedServer()");
  }

  @Test
  void verifyServer_onAServerContext_isRefused() {
    try (MtlsContext server = MtlsContext.forServer()
        .identity(MtlsContextHandshakeTest.identity(ca.server("localhost")))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .peerPolicy(PeerPolicy.anyTrustedPeer())
        .build()) {
      assertThatThrownBy(() -> server.verifier().verifyServer(orders.chain(), "a.example"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("use verify(..)");
    }
  }

  @Test
  void serverIdentity_isSetOnce_andShownInTheContext() {
    assertThatThrownBy(() -> MtlsContext.forClient().serverIdentity(ServerIdentity.hostName())
        .serverIdentity(ServerIdentity.hostName()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("serverIdentity was already set to ServerIdentity[host name]");
    try (MtlsContext client = client(ServerIdentity.peer(PeerPolicy.builder().allowSpiffeIds(PAYMENTS).build()))) {
      assertThat(client.toString()).contains("ServerIdentity[peer PeerPolicy[SPIFFE [" + PAYMENTS + "]");
    }
    assertThat(ServerIdentity.INSECURE_anyTrustedServer()).hasToString("ServerIdentity[INSECURE: any trusted server]");
  }

  private MtlsContext client(ServerIdentity rule) {
    return MtlsContext.forClient()
        .trust(TrustSource.of(List.of(ca.certificate())))
        .serverIdentity(rule)
        .logging(false)
        .build();
  }

  private static void assertRejected(Verdict verdict, RejectionReason reason, String detailPart) {
    assertThat(verdict).isInstanceOfSatisfying(Verdict.Rejected.class, rejected -> {
      assertThat(rejected.reason()).as(rejected.toString()).isEqualTo(reason);
      assertThat(rejected.detail()).contains(detailPart);
    });
  }
}
