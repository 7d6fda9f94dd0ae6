package dev.mtls.cli.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.cli.CliException;
import dev.mtls.cli.TestClients;
import dev.mtls.core.ClientAuth;
import dev.mtls.core.IdentitySource;
import dev.mtls.core.MtlsContext;
import dev.mtls.core.PeerPolicy;
import dev.mtls.core.ReloadPolicy;
import dev.mtls.core.TrustSource;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each engine started from the same spec, called over loopback by the JDK's HTTP client with
 * testkit certificates: the same answers, to the byte, on every engine.
 */
class ServersTest {
  private final TestCa ca = TestCa.create();
  private final IssuedCertificate identity = ca.server("localhost");
  private final MtlsContext server = MtlsContext.forServer()
      .identity(IdentitySource.of(identity.privateKey(), identity.chain()))
      .trust(TrustSource.of(List.of(ca.certificate())))
      .clientAuth(ClientAuth.OPTIONAL)
      .peerPolicy(PeerPolicy.anyTrustedPeer())
      .peerPolicyInHandshake(false)
      .reload(ReloadPolicy.disabled())
      .logging(false)
      .build();
  private RunningServer running;

  @AfterEach
  void stop() {
    if (running != null) {
      running.close();
    }
    server.close();
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void exemptPath_isAnswered_withoutACertificate(Engine engine) throws Exception {
    start(engine);
    try (MtlsContext anonymous = TestClients.anonymous(ca)) {
      HttpResponse<String> response = get(anonymous, "/health");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("{\"peer\":\"-\"}");
      assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
          type -> assertThat(type).startsWith("application/json"));
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void endpoint_answers401Problem_withoutACertificate(Engine engine) throws Exception {
    start(engine);
    try (MtlsContext anonymous = TestClients.anonymous(ca)) {
      HttpResponse<String> response = get(anonymous, "/whoami");

      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
          type -> assertThat(type).startsWith("application/problem+json"));
      assertThat(response.body()).isEqualTo("{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,"
          + "\"detail\":\"a client certificate is required for this path\",\"reason\":\"NO_CERTIFICATE\"}\n");
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void endpoint_answers_anAllowedClient_withItsIdentity(Engine engine) throws Exception {
    start(engine);
    try (MtlsContext orders = TestClients.client(ca, ca.client("orders"))) {
      HttpClient http = TestClients.http(orders);
      HttpResponse<String> first = get(http, "/whoami");
      HttpResponse<String> second = get(http, "/whoami");

      assertThat(first.statusCode()).isEqualTo(200);
      assertThat(first.body()).isEqualTo("{\"method\":\"GET\",\"cn\":\"orders\"}");
      assertThat(second.body()).as("the next request on the kept-alive connection").isEqualTo(first.body());
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void endpoint_answers403Problem_toAClientThePolicyRefuses(Engine engine) throws Exception {
    start(engine);
    try (MtlsContext intruder = TestClients.client(ca, ca.client("intruder"))) {
      HttpResponse<String> response = get(intruder, "/whoami");

      assertThat(response.statusCode()).isEqualTo(403);
      assertThat(response.body()).isEqualTo("{\"type\":\"about:blank\",\"title\":\"Forbidden\",\"status\":403,"
          + "\"detail\":\"the client certificate's identity is not allowed for this path\","
          + "\"reason\":\"IDENTITY_NOT_ALLOWED\"}\n");
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void pathWithoutEndpoint_answers404Problem_afterThePeerIsJudged(Engine engine) throws Exception {
    start(engine);
    try (MtlsContext orders = TestClients.client(ca, ca.client("orders")); MtlsContext anonymous = TestClients.anonymous(ca)) {
      HttpResponse<String> missing = get(orders, "/nothing-here");

      assertThat(missing.statusCode()).isEqualTo(404);
      assertThat(missing.body()).contains("\"status\":404").doesNotContain("nothing-here");
      assertThat(get(anonymous, "/nothing-here").statusCode()).as("no certificate: refused first").isEqualTo(401);
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void pathsThatLeaveAnExemptPath_neverReachAnEndpoint_withoutACertificate(Engine engine) throws Exception {
    start(engine);
    try (MtlsContext anonymous = TestClients.anonymous(ca)) {
      for (String attempt : List.of("/health/../whoami", "/health/%2e%2e/whoami", "/health;x=1/../whoami",
          "//whoami", "/whoami/.")) {
        String answer = raw(anonymous, attempt);

        assertThat(answer).as(attempt).doesNotContain("\"cn\"", "\"method\"")
            .containsPattern("^HTTP/1.1 (400|401|404) ");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void failingEndpoint_answers500_withoutItsException(Engine engine) throws Exception {
    start(engine);
    try (MtlsContext orders = TestClients.client(ca, ca.client("orders"))) {
      HttpResponse<String> response = get(orders, "/fails");

      assertThat(response.statusCode()).isEqualTo(500);
      assertThat(response.body()).contains("\"status\":500").doesNotContain("secret", "Exception");
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void closedServer_freesItsPort_andASecondCloseDoesNothing(Engine engine) throws Exception {
    start(engine);
    int port = running.uri().getPort();
    assertThat(running.uri()).isEqualTo(URI.create("https://localhost:" + port + "/"));
    assertThat(running.engine()).isEqualTo(engine);

    running.close();
    running.close();

    running = Servers.start(engine, spec(port));
    try (MtlsContext anonymous = TestClients.anonymous(ca)) {
      assertThat(get(anonymous, "/health").statusCode()).isEqualTo(200);
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void portInUse_failsWithOneLine(Engine engine) {
    start(engine);
    int port = running.uri().getPort();

    assertThatThrownBy(() -> Servers.start(engine, spec(port)))
        .isInstanceOf(CliException.class)
        .hasMessageContaining(engine.name())
        .hasMessageContaining(String.valueOf(port));
  }

  private void start(Engine engine) {
    running = Servers.start(engine, spec(0));
  }

  private ServerSpec spec(int port) {
    Map<String, Endpoint> endpoints = Map.of(
        "/health", exchange -> Reply.json(200, Map.of("peer",
            exchange.peer().flatMap(peer -> peer.commonName()).orElse("-"))),
        "/whoami", exchange -> {
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("method", exchange.method());
          body.put("cn", exchange.peer().orElseThrow().commonName().orElseThrow());
          return Reply.json(200, body);
        },
        "/fails", exchange -> {
          throw new IllegalStateException("secret");
        });
    return new ServerSpec(server, PeerPolicy.builder().allowCommonNames("orders").build(), Set.of("/health"),
        endpoints, port);
  }


  private HttpResponse<String> get(MtlsContext client, String path) throws IOException, InterruptedException {
    return get(TestClients.http(client), path);
  }

  /** A GET of a path sent byte for byte as given, for paths the JDK's client would normalise. */
  private String raw(MtlsContext client, String rawPath) throws IOException {
    try (SSLSocket socket = (SSLSocket) client.socketFactory().createSocket("localhost", running.uri().getPort())) {
      socket.setSoTimeout(20_000);
      socket.getOutputStream().write(("GET " + rawPath + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return new String(socket.getInputStream().readNBytes(64 * 1024), StandardCharsets.ISO_8859_1);
    }
  }

  private HttpResponse<String> get(HttpClient http, String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(running.uri().resolve(path)).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
