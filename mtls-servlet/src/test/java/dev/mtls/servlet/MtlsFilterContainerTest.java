package dev.mtls.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.core.ClientAuth;
import dev.mtls.core.IdentitySource;
import dev.mtls.core.Material;
import dev.mtls.core.MtlsContext;
import dev.mtls.core.MtlsListener;
import dev.mtls.core.PeerPolicy;
import dev.mtls.core.RejectionReason;
import dev.mtls.core.ReloadPolicy;
import dev.mtls.core.ReloadResult;
import dev.mtls.core.Revocation;
import dev.mtls.core.TrustSource;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.PemFiles;
import dev.mtls.testkit.TestCa;
import dev.mtls.testkit.TestClock;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The filter on real embedded Jetty 12 and Tomcat 11 over loopback, each wired through the
 * library's connector helper: the same requests get the same answers in a container that
 * exposes the TLS session (Jetty) and one that exposes only its id and the chain (Tomcat).
 */
class MtlsFilterContainerTest extends ContainerScenario {
  private final TestClock clock = new TestClock();
  private final TestCa ca = TestCa.builder().clock(clock).build();
  private final BlockingQueue<MtlsListener.PeerRejected> rejections = new LinkedBlockingQueue<>();

  @ParameterizedTest
  @MethodSource("dev.mtls.servlet.Container#underTest")
  void exemptPath_answers200_withoutACertificate(Container container) throws Exception {
    start(container);
    try (MtlsContext anonymous = anonymousClient()) {
      HttpResponse<String> response = Clients.get(Clients.http(anonymous), running.port(), "/health");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).startsWith("handler /health\n").contains("cn=-");
      assertThat(Clients.get(Clients.http(anonymous), running.port(), "/docs/api/index.html").statusCode())
          .isEqualTo(200);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.mtls.servlet.Container#underTest")
  void protectedPath_answers401WithAProblem_withoutACertificate(Container container) throws Exception {
    start(container);
    try (MtlsContext anonymous = anonymousClient()) {
      HttpResponse<String> response = Clients.get(Clients.http(anonymous), running.port(), "/api/orders");

      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
          type -> assertThat(type).startsWith("application/problem+json"));
      assertThat(response.body()).contains("\"status\":401", "\"reason\":\"NO_CERTIFICATE\"")
          .doesNotContain("handler", "Exception");
      MtlsListener.PeerRejected event = nextRejection(RejectionReason.NO_CERTIFICATE);
      assertThat(event.request()).isNotNull();
      assertThat(event.request().path()).isEqualTo("/api/orders");
      assertThat(event.request().remoteAddress()).startsWith("127.0.0.1:");
    }
  }

  @ParameterizedTest
  @MethodSource("dev.mtls.servlet.Container#underTest")
  void allowedClient_answers200_andTheHandlerSeesItsIdentity(Container container) throws Exception {
    start(container);
    IssuedCertificate orders = ca.leaf("orders").clientAuth().spiffeId("spiffe://prod.example/ns/shop/sa/orders")
        .issue();
    try (MtlsContext client = client(orders)) {
      HttpResponse<String> response = Clients.get(Clients.http(client), running.port(), "/api/orders");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("handler /api/orders\n"
          + "cn=orders\n"
          + "spiffe=spiffe://prod.example/ns/shop/sa/orders\n"
          + "principal=" + orders.certificate().getSubjectX500Principal().getName() + "\n"
          + "auth=CLIENT_CERT\n"
          + "user=orders\n"
          + "tls=" + (container == Container.JETTY ? "SSLSession" : "session id and chain") + "\n");
    }
  }

  @ParameterizedTest
  @MethodSource("dev.mtls.servlet.Container#underTest")
  void clientNotAllowed_answers403_identityNotAllowed(Container container) throws Exception {
    start(container);
    try (MtlsContext client = client(ca.client("intruder"))) {
      HttpResponse<String> response = Clients.get(Clients.http(client), running.port(), "/api/orders");

      assertThat(response.statusCode()).isEqualTo(403);
      assertThat(response.body()).contains("\"reason\":\"IDENTITY_NOT_ALLOWED\"").doesNotContain("intruder");
      assertThat(nextRejection(RejectionReason.IDENTITY_NOT_ALLOWED).rejected().detail()).contains("intruder");
    }
  }

  @ParameterizedTest
  @MethodSource("dev.mtls.servlet.Container#underTest")
  void pathRule_refusesAClientAllowedElsewhere_andAllowsItsOwn(Container container) throws Exception {
    start(container);
    try (MtlsContext orders = client(ca.client("orders"));
        MtlsContext admin = client(ca.client("admin-client"))) {
      HttpClient ordersHttp = Clients.http(orders);
      assertThat(Clients.get(ordersHttp, running.port(), "/api/orders").statusCode()).isEqualTo(200);

      HttpResponse<String> refused = Clients.get(ordersHttp, running.port(), "/admin/users");
      assertThat(refused.statusCode()).isEqualTo(403);
      assertThat(refused.body()).contains("IDENTITY_NOT_ALLOWED");

      HttpClient adminHttp = Clients.http(admin);
      assertThat(Clients.get(adminHttp, running.port(), "/admin/users").body()).startsWith("handler /admin/users");
      assertThat(Clients.get(adminHttp, running.port(), "/api/orders").statusCode())
          .as("the admin client is not on the default list").isEqualTo(403);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.mtls.servlet.Container#underTest")
  void revokedClient_isRefusedOnItsOpenConnection_andInTheNextHandshake(Container container) throws Exception {
    Path crl = ca.writeCrl(dir.resolve("ca.crl"));
    start(container, Revocation.crls().file(crl).build());
    IssuedCertificate orders = ca.client("orders");
    try (MtlsContext client = client(orders)) {
      HttpClient http = Clients.http(client);
      assertThat(Clients.get(http, running.port(), "/api/orders").statusCode()).isEqualTo(200);

      ca.revoke(orders);
      writeAtomically(crl, ca.crlPem());
      assertThat(server.reloadNow().of(Material.CRL).status()).isEqualTo(ReloadResult.Status.RELOADED);

      // The same HttpClient: its kept-alive connection, whose session was judged before.
      HttpResponse<String> refused = Clients.get(http, running.port(), "/api/orders");
      assertThat(refused.statusCode()).isEqualTo(403);
      assertThat(refused.body()).contains("\"reason\":\"REVOKED\"");
      assertThatThrownBy(() -> Clients.get(Clients.http(client), running.port(), "/api/orders"))
          .as("a new connection is refused in the handshake").isInstanceOf(IOException.class);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.mtls.servlet.Container#underTest")
  void clientWhoseCertificateExpires_isRefusedFromItsNextRequestOn(Container container) throws Exception {
    start(container);
    IssuedCertificate orders = ca.leaf("orders").clientAuth().validFor(Duration.ofHours(1)).issue();
    try (MtlsContext client = client(orders)) {
      HttpClient http = Clients.http(client);
      assertThat(Clients.get(http, running.port(), "/api/orders").statusCode()).isEqualTo(200);

      clock.advance(Duration.ofHours(2));

      HttpResponse<String> refused = Clients.get(http, running.port(), "/api/orders");
      assertThat(refused.statusCode()).isEqualTo(403);
      assertThat(refused.body()).contains("\"reason\":\"EXPIRED\"");
    }
  }

  @ParameterizedTest
  @MethodSource("dev.mtls.servlet.Container#underTest")
  void expiredClient_isRefusedInTheHandshake(Container container) throws Exception {
    start(container);
    // A plain JDK client: the library's own client context would not load an expired identity.
    IssuedCertificate expired = ca.leaf("orders").clientAuth().expired().issue();
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(expired.keyStore("secret".toCharArray()), "secret".toCharArray());
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(ca.trustStore());
    SSLContext jdk = SSLContext.getInstance("TLS");
    jdk.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
    HttpClient http = HttpClient.newBuilder().sslContext(jdk).version(HttpClient.Version.HTTP_1_1).build();

    assertThatThrownBy(() -> Clients.get(http, running.port(), "/api/orders")).isInstanceOf(IOException.class);
    assertThat(nextRejection(RejectionReason.EXPIRED).rejected().detail()).contains("orders");
  }

  @ParameterizedTest
  @MethodSource("dev.mtls.servlet.Container#underTest")
  void traversalFromAnExemptPath_neverReachesAProtectedHandler(Container container) throws Exception {
    start(container);
    List<String> attempts = List.of(
        "/health/../admin/users", "//admin/users", "/health;x=1/../admin/users", "/health/%2e%2e/admin/users",
        "/health/%2E%2E/admin/users", "/Health/../admin/users", "/health/..%2fadmin/users",
        "/health%2f..%2fadmin/users", "/health/.%2e/admin/users", "/health/%252e%252e/admin/users",
        "/docs/..;/admin/users", "/health/..\\admin/users", "/health/%5c../admin/users", "/./admin/users",
        "/docs/%2e%2e/%2e%2e/admin/users", "/health/%00/../admin/users", "/HEALTH", "/health/",
        "/docs/../admin/users", "/admin/users");
    try (MtlsContext anonymous = anonymousClient(); MtlsContext orders = client(ca.client("orders"))) {
      for (String attempt : attempts) {
        for (MtlsContext client : List.of(anonymous, orders)) {
          Clients.Answer answer = Clients.raw(client, running.port(), attempt);

          // Whatever the container makes of the path: never the admin handler for a client not
          // allowed there, and never any protected handler for a client without a certificate.
          assertThat(answer.body()).as(attempt + " answered " + answer.head()).doesNotContain("handler /admin");
          if (client == anonymous) {
            assertThat(answer.body()).as(attempt + " answered " + answer.head()).doesNotContain("handler");
            assertThat(answer.status()).as(attempt + " answered " + answer.head()).isIn(400, 401, 404);
          }
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("dev.mtls.servlet.Container#underTest")
  void filterFromInitParameters_answersAsTheBuiltOne(Container container) throws Exception {
    server = serverContext(Revocation.none());
    running = container.start(server, new MtlsFilter(), java.util.Map.of(
        "EXEMPT_PATHS", "/health, /docs/*",
        "ALLOWED_COMMON_NAMES", "orders",
        "ALLOWED_COMMON_NAMES@/admin/*", "admin-client"), dir);
    try (MtlsContext anonymous = anonymousClient(); MtlsContext orders = client(ca.client("orders"))) {
      assertThat(Clients.get(Clients.http(anonymous), running.port(), "/health").statusCode()).isEqualTo(200);
      HttpClient http = Clients.http(orders);
      assertThat(Clients.get(http, running.port(), "/api/orders").statusCode()).isEqualTo(200);
      assertThat(Clients.get(http, running.port(), "/admin/users").statusCode()).isEqualTo(403);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.mtls.servlet.Container#underTest")
  void curlWithAClientCertificate_isServed_andWithoutOneIsRefused(Container container) throws Exception {
    Tool.assumeInstalled("curl");
    start(container);
    PemFiles files = ca.client("orders").writePem(Files.createDirectories(dir.resolve("curl")));
    String url = "https://localhost:" + running.port() + "/api/orders";
    List<String> curl = List.of("curl", "-sS", "--max-time", "20", "--cacert", files.caCertificate().toString(),
        "-w", "\nstatus=%{http_code}");

    Tool.Result served = Tool.run(concat(curl, "--cert", files.chain().toString(), "--key",
        files.privateKey().toString(), url), "");
    Tool.Result refused = Tool.run(concat(curl, url), "");

    assertThat(served.output()).contains("handler /api/orders", "cn=orders", "status=200");
    assertThat(refused.output()).contains("\"reason\":\"NO_CERTIFICATE\"", "status=401");
  }

  private static List<String> concat(List<String> first, String... more) {
    List<String> all = new java.util.ArrayList<>(first);
    all.addAll(List.of(more));
    return all;
  }

  private void start(Container container) throws Exception {
    start(container, Revocation.none());
  }

  private void start(Container container, Revocation revocation) throws Exception {
    server = serverContext(revocation);
    MtlsFilter filter = MtlsFilter.builder(server)
        .exemptPaths("/health", "/docs/*")
        .rule("/admin/*", PeerPolicy.builder().allowCommonNames("admin-client").build())
        .policy(PeerPolicy.builder().allowCommonNames("orders", "billing").build())
        .build();
    running = container.start(server, filter, dir);
  }

  private MtlsContext serverContext(Revocation revocation) {
    IssuedCertificate certificate = ca.server("localhost");
    return MtlsContext.forServer()
        .identity(IdentitySource.of(certificate.privateKey(), certificate.chain()))
        .trust(TrustSource.of(List.of(ca.certificate())))
        // Exempt paths serve clients without a certificate: the handshake asks, the filter insists.
        .clientAuth(ClientAuth.OPTIONAL)
        .peerPolicy(PeerPolicy.anyTrustedPeer())
        .revocation(revocation)
        .reload(ReloadPolicy.disabled())
        .clock(clock)
        .listener(new MtlsListener() {
          @Override
          public void peerRejected(PeerRejected event) {
            rejections.add(event);
          }
        })
        .logging(false)
        .build();
  }

  private MtlsContext client(IssuedCertificate identity) {
    return MtlsContext.forClient()
        .identity(IdentitySource.of(identity.privateKey(), identity.chain()))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .reload(ReloadPolicy.disabled())
        .logging(false)
        .build();
  }

  private MtlsContext anonymousClient() {
    return MtlsContext.forClient()
        .trust(TrustSource.of(List.of(ca.certificate())))
        .reload(ReloadPolicy.disabled())
        .logging(false)
        .build();
  }

  private MtlsListener.PeerRejected nextRejection(RejectionReason reason) throws InterruptedException {
    while (true) {
      MtlsListener.PeerRejected event = rejections.poll(10, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(event).as("a " + reason + " rejection").isNotNull();
      if (event.rejected().reason() == reason) {
        return event;
      }
    }
  }

  private static void writeAtomically(Path file, String content) throws IOException {
    Path temporary = Files.writeString(file.resolveSibling(file.getFileName() + ".tmp"), content);
    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
