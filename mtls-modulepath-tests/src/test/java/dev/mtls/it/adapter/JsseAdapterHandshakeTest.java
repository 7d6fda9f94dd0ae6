package dev.mtls.it.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.core.ClientAuth;
import dev.mtls.core.IdentitySource;
import dev.mtls.core.MtlsContext;
import dev.mtls.core.PeerPolicy;
import dev.mtls.core.ReloadPolicy;
import dev.mtls.core.RejectionReason;
import dev.mtls.core.TlsPolicy;
import dev.mtls.core.TrustSource;
import dev.mtls.core.Verdict;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import java.io.IOException;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;

/**
 * An adapter module runs SunJSSE from the context's managers, policy and client-auth mode,
 * and real handshakes over loopback follow the context's rules: the core trust manager
 * judges every peer, the policy's protocols are the only ones spoken.
 */
class JsseAdapterHandshakeTest {
  private final TestCa ca = TestCa.create();
  private final IssuedCertificate serverCertificate = ca.server("localhost");
  private final RecordingListener events = new RecordingListener();

  @Test
  void allowedClient_getsIn_throughTheAdaptersSunJsseContext_withTheContextsPolicy() throws Exception {
    IssuedCertificate orders = ca.client("orders");
    try (MtlsContext server = server(ClientAuth.REQUIRED);
        JsseAdapter adapter = JsseAdapter.of(server);
        AdapterServer loopback = new AdapterServer(adapter);
        MtlsContext client = client(orders, TlsPolicy.MODERN)) {
      SSLSession clientSide = Clients.connect(client, loopback.port());

      AdapterServer.Outcome outcome = loopback.nextOutcome();
      assertThat(outcome.succeeded()).as("server: %s", outcome.failure()).isTrue();
      assertThat(adapter.sslContext().getProvider().getName()).isEqualTo("SunJSSE");
      assertThat(outcome.session().getProtocol()).isEqualTo("TLSv1.3");
      assertThat(server.tlsPolicy().cipherSuites()).contains(outcome.session().getCipherSuite());
      assertThat(outcome.session().getPeerCertificates()[0]).isEqualTo(orders.certificate());
      assertThat((X509Certificate) clientSide.getPeerCertificates()[0]).isEqualTo(server.identityChain().get(0));

      Verdict verdict = adapter.verify(outcome.session());
      assertThat(verdict).isInstanceOfSatisfying(Verdict.Allowed.class,
          allowed -> assertThat(allowed.peer().commonName()).contains("orders"));
    }
  }

  @Test
  void clientOfAnotherCa_isRefusedByTheCoreTrustManager() throws Exception {
    IssuedCertificate stranger = TestCa.create().client("orders");
    try (MtlsContext server = server(ClientAuth.REQUIRED);
        JsseAdapter adapter = JsseAdapter.of(server);
        AdapterServer loopback = new AdapterServer(adapter);
        MtlsContext client = client(stranger, TlsPolicy.MODERN)) {
      assertThatThrownBy(() -> Clients.connect(client, loopback.port())).isInstanceOf(IOException.class);

      assertThat(loopback.nextOutcome().succeeded()).isFalse();
      assertThat(events.nextRejection()).isEqualTo(RejectionReason.UNTRUSTED_ISSUER);
    }
  }

  @Test
  void clientNotOnTheAllowList_isRefusedInTheHandshake() throws Exception {
    try (MtlsContext server = server(ClientAuth.REQUIRED);
        JsseAdapter adapter = JsseAdapter.of(server);
        AdapterServer loopback = new AdapterServer(adapter);
        MtlsContext client = client(ca.client("billing"), TlsPolicy.MODERN)) {
      assertThatThrownBy(() -> Clients.connect(client, loopback.port())).isInstanceOf(IOException.class);

      assertThat(loopback.nextOutcome().succeeded()).isFalse();
      assertThat(events.nextRejection()).isEqualTo(RejectionReason.IDENTITY_NOT_ALLOWED);
    }
  }

  @Test
  void clientWithoutCertificate_isRefused_whenTheContextRequiresOne() throws Exception {
    try (MtlsContext server = server(ClientAuth.REQUIRED);
        JsseAdapter adapter = JsseAdapter.of(server);
        AdapterServer loopback = new AdapterServer(adapter);
        MtlsContext anonymous = anonymousClient()) {
      assertThatThrownBy(() -> Clients.connect(anonymous, loopback.port())).isInstanceOf(IOException.class);

      assertThat(loopback.nextOutcome().succeeded()).isFalse();
    }
  }

  @Test
  void optionalClientAuth_letsAClientWithoutCertificateIn_andTheVerifierSaysWhoItIsNot() throws Exception {
    try (MtlsContext server = server(ClientAuth.OPTIONAL);
        JsseAdapter adapter = JsseAdapter.of(server);
        AdapterServer loopback = new AdapterServer(adapter);
        MtlsContext anonymous = anonymousClient();
        MtlsContext stranger = client(TestCa.create().client("orders"), TlsPolicy.MODERN)) {
      Clients.connect(anonymous, loopback.port());
      AdapterServer.Outcome outcome = loopback.nextOutcome();
      assertThat(outcome.succeeded()).as("server: %s", outcome.failure()).isTrue();
      assertThat(adapter.verify(outcome.session())).isInstanceOfSatisfying(Verdict.Rejected.class,
          rejected -> assertThat(rejected.reason()).isEqualTo(RejectionReason.NO_CERTIFICATE));

      // A certificate that is sent is still judged in the handshake.
      assertThatThrownBy(() -> Clients.connect(stranger, loopback.port())).isInstanceOf(IOException.class);
      assertThat(loopback.nextOutcome().succeeded()).isFalse();
    }
  }

  @Test
  void tls12OnlyClient_isRefused_byAServerWhosePolicyIsTls13() throws Exception {
    TlsPolicy tls12Only = TlsPolicy.of(List.of("TLSv1.2"), List.of(
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"));
    try (MtlsContext server = server(ClientAuth.REQUIRED);
        JsseAdapter adapter = JsseAdapter.of(server);
        AdapterServer loopback = new AdapterServer(adapter);
        MtlsContext client = client(ca.client("orders"), tls12Only)) {
      assertThatThrownBy(() -> Clients.connect(client, loopback.port())).isInstanceOf(IOException.class);

      assertThat(loopback.nextOutcome().succeeded()).isFalse();
    }
  }

  @Test
  void clientAdapter_presentsItsIdentity_andRefusesAServerNotNamedForTheHost() throws Exception {
    IssuedCertificate elsewhere = ca.server("elsewhere.example");
    try (MtlsContext server = server(ClientAuth.REQUIRED);
        JsseAdapter serverAdapter = JsseAdapter.of(server);
        AdapterServer loopback = new AdapterServer(serverAdapter);
        MtlsContext wrongName = server(elsewhere, ClientAuth.REQUIRED);
        JsseAdapter wrongNameAdapter = JsseAdapter.of(wrongName);
        AdapterServer impostor = new AdapterServer(wrongNameAdapter);
        MtlsContext client = client(ca.client("orders"), TlsPolicy.MODERN);
        JsseAdapter clientAdapter = JsseAdapter.of(client)) {
      SSLSession session = Clients.connect(clientAdapter, loopback.port());
      assertThat(session.getPeerCertificates()[0]).isEqualTo(serverCertificate.certificate());
      AdapterServer.Outcome outcome = loopback.nextOutcome();
      assertThat(outcome.succeeded()).as("server: %s", outcome.failure()).isTrue();
      assertThat(outcome.session().getPeerCertificates()[0]).isEqualTo(client.identityChain().get(0));

      assertThatThrownBy(() -> Clients.connect(clientAdapter, impostor.port()))
          .as("a server whose certificate names elsewhere.example, reached as localhost")
          .isInstanceOf(IOException.class);
      assertThat(impostor.nextOutcome().succeeded()).isFalse();
    }
  }

  @Test
  void adapterOfTheWrongRole_refusesToAcceptOrConnect() throws Exception {
    try (MtlsContext server = server(ClientAuth.REQUIRED);
        JsseAdapter serverAdapter = JsseAdapter.of(server);
        MtlsContext client = client(ca.client("orders"), TlsPolicy.MODERN);
        JsseAdapter clientAdapter = JsseAdapter.of(client);
        Socket unconnected = new Socket()) {
      assertThatThrownBy(() -> serverAdapter.connect("localhost", 1)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("client context");
      assertThatThrownBy(() -> clientAdapter.accept(unconnected)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("server context");
      assertThatThrownBy(client::clientAuth).isInstanceOf(IllegalStateException.class);
    }
  }

  private MtlsContext server(ClientAuth clientAuth) {
    return server(serverCertificate, clientAuth);
  }

  private MtlsContext server(IssuedCertificate identity, ClientAuth clientAuth) {
    return MtlsContext.forServer()
        .identity(IdentitySource.of(identity.privateKey(), identity.chain()))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .clientAuth(clientAuth)
        .peerPolicy(PeerPolicy.builder().allowCommonNames("orders").build())
        .reload(ReloadPolicy.disabled())
        .listener(events)
        .build();
  }

  private MtlsContext client(IssuedCertificate identity, TlsPolicy policy) {
    return MtlsContext.forClient()
        .identity(IdentitySource.of(identity.privateKey(), identity.chain()))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .tlsPolicy(policy)
        .reload(ReloadPolicy.disabled())
        .build();
  }

  private MtlsContext anonymousClient() {
    return MtlsContext.forClient()
        .trust(TrustSource.of(List.of(ca.certificate())))
        .reload(ReloadPolicy.disabled())
        .build();
  }
}
