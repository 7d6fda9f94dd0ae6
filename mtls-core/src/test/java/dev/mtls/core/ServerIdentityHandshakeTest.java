package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;

/**
 * The client's server-identity rule in real handshakes over loopback: through the context's
 * sockets, through an engine whose endpoint identification is switched off, and through the
 * JDK {@code HttpClient}, which asks for "HTTPS" endpoint identification on every engine.
 */
class ServerIdentityHandshakeTest {
  private static final String PAYMENTS = "spiffe://prod.example/payments";
  private static final String ORDERS = "spiffe://prod.example/orders";

  private final TestCa ca = TestCa.create();
  private final IssuedCertificate clientCertificate = ca.client("caller");
  private final RecordingListener recording = new RecordingListener();

  @Test
  void hostNameRule_isTheDefault_andRefusesAServerWhoseCertificateDoesNotNameTheHost() throws Exception {
    try (MtlsContext server = server(ca.server("other.example"));
        MtlsContext client = client(null);
        LoopbackServer loopback = new LoopbackServer(server)) {
      assertThatThrownBy(() -> LoopbackClient.connect(client, "localhost", loopback.port()))
          .isInstanceOf(SSLHandshakeException.class);
      assertRefused("server presented CN=other.example (DNS: other.example),"
          + " expected a certificate naming host localhost");
    }
  }

  @ParameterizedTest(name = "endpoint identification {0}")
  @NullAndEmptySource
  void hostNameRule_checksTheHost_evenWhenTheEngineSwitchesEndpointIdentificationOff(String algorithm)
      throws Exception {
    try (MtlsContext wrongServer = server(ca.server("other.example"));
        MtlsContext rightServer = server(ca.server("localhost"));
        MtlsContext client = client(ServerIdentity.hostName());
        LoopbackServer wrong = new LoopbackServer(wrongServer);
        LoopbackServer right = new LoopbackServer(rightServer)) {
      assertThat(LoopbackEngineClient.connect(endpointIdentification(client.newEngine("localhost", right.port()),
          algorithm), right.port()).getProtocol()).isEqualTo("TLSv1.3");

      assertThatThrownBy(() -> LoopbackEngineClient.connect(
          endpointIdentification(client.newEngine("localhost", wrong.port()), algorithm), wrong.port()))
          .isInstanceOf(SSLHandshakeException.class);
      assertRefused("expected a certificate naming host localhost");
    }
  }

  @ParameterizedTest(name = "endpoint identification {0}")
  @NullAndEmptySource
  void hostNameRule_checksTheHost_onASocketWhoseEndpointIdentificationIsSwitchedOff(String algorithm)
      throws Exception {
    try (MtlsContext server = server(ca.server("other.example"));
        MtlsContext client = client(null);
        LoopbackServer loopback = new LoopbackServer(server);
        SSLSocket socket = (SSLSocket) client.socketFactory().createSocket("localhost", loopback.port())) {
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setEndpointIdentificationAlgorithm(algorithm);
      socket.setSSLParameters(parameters);
      socket.setSoTimeout(10_000);

      assertThatThrownBy(socket::startHandshake).isInstanceOf(SSLHandshakeException.class);
      assertRefused("expected a certificate naming host localhost");
    }
  }

  @Test
  void hostNameRule_refusesAnEngineMadeWithoutAHost() throws Exception {
    try (MtlsContext server = server(ca.server("localhost"));
        MtlsContext client = client(null);
        LoopbackServer loopback = new LoopbackServer(server)) {
      SSLEngine engine = client.sslContext().createSSLEngine();
      engine.setUseClientMode(true);

      assertThatThrownBy(() -> LoopbackEngineClient.connect(engine, loopback.port()))
          .isInstanceOf(SSLHandshakeException.class);
      assertRefused("the server-identity rule needs the host connected to, but the connection has none");
    }
  }

  @Test
  void spiffeRule_acceptsTheNamedServer_whoseCertificateDoesNotNameTheHost() throws Exception {
    try (MtlsContext server = server(spiffeServer(PAYMENTS, "payments.internal"));
        MtlsContext client = client(ServerIdentity.peer(PeerPolicy.builder().allowSpiffeIds(PAYMENTS).build()));
        LoopbackServer loopback = new LoopbackServer(server)) {
      assertThat(LoopbackClient.connect(client, "localhost", loopback.port()).getProtocol()).isEqualTo("TLSv1.3");
      assertThat(loopback.nextOutcome().succeeded()).isTrue();
      assertThat(recording.rejected).isEmpty();
    }
  }

  @Test
  void spiffeRule_refusesAServerWithAnotherSpiffeId_namingBoth() throws Exception {
    try (MtlsContext server = server(spiffeServer(ORDERS, "orders.internal"));
        MtlsContext client = client(ServerIdentity.peer(PeerPolicy.builder().allowSpiffeIds(PAYMENTS).build()));
        LoopbackServer loopback = new LoopbackServer(server)) {
      assertThatThrownBy(() -> LoopbackClient.connect(client, "localhost", loopback.port()))
          .isInstanceOf(SSLHandshakeException.class);
      assertRefused("server presented " + ORDERS + " (DNS: orders.internal), expected " + PAYMENTS);
    }
  }

  @Test
  void spiffeRule_worksThroughTheJdkHttpClient_whichAsksForHttpsEndpointIdentification() throws Exception {
    try (MtlsContext right = server(spiffeServer(PAYMENTS, "payments.internal"));
        MtlsContext wrong = server(spiffeServer(ORDERS, "orders.internal"));
        MtlsContext client = client(ServerIdentity.peer(PeerPolicy.builder().allowSpiffeIds(PAYMENTS).build()));
        LoopbackHttpServer rightHttps = https(right);
        LoopbackHttpServer wrongHttps = https(wrong)) {
      HttpClient http = httpClient(client);

      assertThat(get(http, rightHttps, "localhost").body()).isEqualTo("payments");
      assertThatThrownBy(() -> get(http, wrongHttps, "localhost")).isInstanceOf(SSLHandshakeException.class);
      assertRefused("server presented " + ORDERS + " (DNS: orders.internal), expected " + PAYMENTS);
    }
  }

  @Test
  void hostNameRule_throughTheJdkHttpClient_refusesAServerWhoseCertificateDoesNotNameTheHost() throws Exception {
    try (MtlsContext right = server(ca.server("localhost"));
        MtlsContext wrong = server(ca.server("other.example"));
        MtlsContext client = client(null);
        LoopbackHttpServer rightHttps = https(right);
        LoopbackHttpServer wrongHttps = https(wrong)) {
      HttpClient http = httpClient(client);

      assertThat(get(http, rightHttps, "localhost").statusCode()).isEqualTo(200);
      assertThatThrownBy(() -> get(http, wrongHttps, "localhost")).isInstanceOf(SSLHandshakeException.class);
      assertRefused("expected a certificate naming host localhost");
    }
  }

  @Test
  void bothRule_needsTheHostNameAndThePolicy() throws Exception {
    ServerIdentity both = ServerIdentity.hostNameAnd(PeerPolicy.builder().allowSpiffeIds(PAYMENTS).build());
    try (MtlsContext namesHostAndId = server(spiffeServer(PAYMENTS, "localhost"));
        MtlsContext idOnly = server(spiffeServer(PAYMENTS, "payments.internal"));
        MtlsContext hostOnly = server(spiffeServer(ORDERS, "localhost"));
        MtlsContext client = client(both);
        LoopbackServer good = new LoopbackServer(namesHostAndId);
        LoopbackServer wrongHost = new LoopbackServer(idOnly);
        LoopbackServer wrongId = new LoopbackServer(hostOnly)) {
      assertThat(LoopbackClient.connect(client, "localhost", good.port()).getProtocol()).isEqualTo("TLSv1.3");

      assertThatThrownBy(() -> LoopbackClient.connect(client, "localhost", wrongHost.port()))
          .isInstanceOf(SSLHandshakeException.class);
      assertRefused("server presented " + PAYMENTS + " (DNS: payments.internal),"
          + " expected a certificate naming host localhost");
      assertThatThrownBy(() -> LoopbackClient.connect(client, "localhost", wrongId.port()))
          .isInstanceOf(SSLHandshakeException.class);
      assertRefused("server presented " + ORDERS + " (DNS: localhost), expected " + PAYMENTS);
    }
  }

  @Test
  void perHostRule_picksTheRuleByTheHostConnectedTo() throws Exception {
    Map<String, ServerIdentity> rules = Map.of(
        "localhost", ServerIdentity.peer(PeerPolicy.builder().allowSpiffeIds(PAYMENTS).build()),
        "127.0.0.1", ServerIdentity.hostName());
    try (MtlsContext server = server(spiffeServer(PAYMENTS, "payments.internal"));
        MtlsContext client = client(ServerIdentity.perHost(rules::get));
        LoopbackServer loopback = new LoopbackServer(server)) {
      // Same server, two names for it: the SPIFFE rule holds for one, the host name rule for the other.
      assertThat(LoopbackClient.connect(client, "LOCALHOST", loopback.port()).getProtocol()).isEqualTo("TLSv1.3");
      assertThatThrownBy(() -> LoopbackClient.connect(client, "127.0.0.1", loopback.port()))
          .isInstanceOf(SSLHandshakeException.class);
      assertRefused("expected a certificate naming host 127.0.0.1 (the rule for host 127.0.0.1)");
    }
  }

  @Test
  void insecureRule_acceptsAnyTrustedServer_unlessTheSocketAsksForEndpointIdentification() throws Exception {
    try (MtlsContext server = server(ca.server("other.example"));
        MtlsContext client = client(ServerIdentity.INSECURE_anyTrustedServer());
        LoopbackServer loopback = new LoopbackServer(server);
        LoopbackHttpServer https = https(server)) {
      assertThat(LoopbackClient.connect(client, "localhost", loopback.port()).getProtocol()).isEqualTo("TLSv1.3");

      // The JDK HttpClient asks for HTTPS endpoint identification: the host is checked then.
      assertThatThrownBy(() -> get(httpClient(client), https, "localhost")).isInstanceOf(SSLHandshakeException.class);
      assertRefused("expected a certificate naming host localhost");
    }
  }

  /** Null leaves the JDK's setting as it was; the empty string switches it off. */
  private static SSLEngine endpointIdentification(SSLEngine engine, String algorithm) {
    SSLParameters parameters = engine.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm(algorithm);
    engine.setSSLParameters(parameters);
    return engine;
  }

  private IssuedCertificate spiffeServer(String spiffeId, String dnsName) {
    return ca.leaf(spiffeId.substring(spiffeId.lastIndexOf('/') + 1)).serverAuth()
        .spiffeId(spiffeId).dnsNames(dnsName).issue();
  }

  @Test
  void verifyServer_afterTheHandshake_judgesTheSession_forTheHostTheApplicationMeant() throws Exception {
    IssuedCertificate orders = ca.leaf("orders").serverAuth().dnsNames("orders.internal")
        .ipAddresses("127.0.0.1").issue();
    try (MtlsContext server = server(orders);
        MtlsContext client = client(ServerIdentity.hostName());
        LoopbackServer loopback = new LoopbackServer(server)) {
      javax.net.ssl.SSLSession session = LoopbackClient.connect(client, "127.0.0.1", loopback.port());
      PeerVerifier verifier = client.verifier();

      assertThat(verifier.verifyServer(session, "orders.internal").isAllowed()).isTrue();
      assertThat(verifier.verifyServer(session, "ORDERS.internal.").isAllowed()).isTrue();
      assertThat(verifier.verifyServer(session, "::ffff:127.0.0.1").isAllowed()).as("IPv4-mapped").isTrue();
      assertThat(recording.rejected).isEmpty();

      Verdict wrongHost = verifier.verifyServer(session, "billing.internal");
      assertThat(wrongHost.isAllowed()).isFalse();
      assertRefused("server presented CN=orders (DNS: orders.internal; IP: 127.0.0.1),"
          + " expected a certificate naming host billing.internal");
      assertThat(verifier.verifyServer(session, "[::1]").isAllowed()).isFalse();
      assertRefused("expected a certificate naming host [::1]");
      assertThatThrownBy(() -> verifier.verifyServer(session, " "))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blank");
    }
  }

  private MtlsContext server(IssuedCertificate certificate) {
    return MtlsContext.forServer()
        .identity(MtlsContextHandshakeTest.identity(certificate))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .peerPolicy(PeerPolicy.anyTrustedPeer())
        .logging(false)
        .build();
  }

  private MtlsContext client(ServerIdentity rule) {
    ClientContextBuilder builder = MtlsContext.forClient()
        .identity(MtlsContextHandshakeTest.identity(clientCertificate))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .listener(recording);
    if (rule != null) {
      builder.serverIdentity(rule);
    }
    return builder.build();
  }

  private static LoopbackHttpServer https(MtlsContext server) throws IOException {
    LoopbackHttpServer https = LoopbackHttpServer.https(server);
    https.body.set(server.identityChain().get(0).getSubjectX500Principal().getName().substring(3)
        .getBytes(StandardCharsets.US_ASCII));
    return https;
  }

  private static HttpClient httpClient(MtlsContext client) {
    return HttpClient.newBuilder()
        .sslContext(client.sslContext())
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10))
        .build();
  }

  private static HttpResponse<String> get(HttpClient http, LoopbackHttpServer server, String host)
      throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(server.url(host, "/")).timeout(Duration.ofSeconds(10)).build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private void assertRefused(String detailPart) throws InterruptedException {
    MtlsListener.PeerRejected event = recording.rejected.poll(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(event).as("a refusal").isNotNull();
    assertThat(event.rejected().reason()).isEqualTo(RejectionReason.IDENTITY_NOT_ALLOWED);
    assertThat(event.rejected().detail()).contains(detailPart);
    assertThat(recording.rejected).as("one refusal per connection").isEmpty();
  }
}
