package dev.mtls.client;

import static dev.mtls.client.Tls.ORDERS;
import static dev.mtls.client.Tls.PAYMENTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.core.ContextChange;
import dev.mtls.core.IdentitySource;
import dev.mtls.core.MtlsContext;
import dev.mtls.core.ReloadPolicy;
import dev.mtls.core.Subscription;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.PemFiles;
import dev.mtls.testkit.TestCa;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JDK {@code HttpClient} of {@link MtlsHttpClients} against the JDK's {@code HttpsServer}
 * set up from a server context, over loopback: the client's certificate, its rotation, and the
 * server-identity rule through a client that asks for HTTPS host-name checking.
 */
class MtlsHttpClientsTest {
  private final TestCa ca = TestCa.create();
  private final IssuedCertificate caller = ca.client("caller");

  @Test
  void call_succeeds_andTheServerSeesTheClientsCertificate() throws Exception {
    try (MtlsContext server = Tls.server(ca.server("localhost"), ca).build();
        MtlsContext client = Tls.client(caller, ca).build();
        TestHttpsServer https = TestHttpsServer.https(server)) {
      HttpClient http = MtlsHttpClients.create(client);

      HttpResponse<String> response = get(http, https.uri("/"));

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).startsWith("serial=" + caller.serialNumber().toString(16) + " ");
      assertThat(response.sslSession()).hasValueSatisfying(session ->
          assertThat(session.getProtocol()).isEqualTo("TLSv1.3"));
    }
  }

  @Test
  void rotatedClientCertificate_isPresentedOnTheNextNewConnection_andThePooledConnectionCarriesOn(@TempDir Path dir)
      throws Exception {
    IssuedCertificate next = ca.client("caller");
    PemFiles files = caller.writePem(dir);
    try (MtlsContext server = Tls.server(ca.server("localhost"), ca).build();
        MtlsContext client = MtlsContext.forClient()
            .identity(IdentitySource.pemFiles(files.chain(), files.privateKey()))
            .trust(dev.mtls.core.TrustSource.of(java.util.List.of(ca.certificate())))
            .reload(ReloadPolicy.disabled())
            .logging(false)
            .build();
        TestHttpsServer https = TestHttpsServer.https(server)) {
      HttpClient http = MtlsHttpClients.create(client);
      Connection first = Connection.of(get(http, https.uri("/")));
      assertThat(first.serial).isEqualTo(caller.serialNumber().toString(16));

      CountDownLatch renewed = new CountDownLatch(1);
      try (Subscription changes = client.onChange(change -> {
        if (change == ContextChange.SESSIONS_RENEWED) {
          renewed.countDown();
        }
      })) {
        writeAtomically(files.chain(), next.chainPem());
        writeAtomically(files.privateKey(), next.privateKeyPem());
        assertThat(client.reloadNow().reloaded()).as("the identity was reloaded").isTrue();
        assertThat(renewed.await(10, TimeUnit.SECONDS)).as("sessions renewed").isTrue();
      }

      // The pooled connection is not broken by the rotation: same connection, old certificate.
      Connection pooled = Connection.of(get(http, https.uri("/close")));
      assertThat(pooled.port).isEqualTo(first.port);
      assertThat(pooled.serial).isEqualTo(caller.serialNumber().toString(16));
      // The server closed that one: the next request opens a new connection, with the new certificate.
      Connection fresh = Connection.of(get(http, https.uri("/")));
      assertThat(fresh.port).isNotEqualTo(first.port);
      assertThat(fresh.serial).isEqualTo(next.serialNumber().toString(16));
    }
  }

  @Test
  void spiffeRule_acceptsTheNamedServer_whoseCertificateHasOnlyAUriSan() throws Exception {
    IssuedCertificate uriOnly = Tls.spiffeServer(ca, PAYMENTS);
    try (MtlsContext server = Tls.server(uriOnly, ca).build();
        MtlsContext client = Tls.paymentsClient(caller, ca).build();
        TestHttpsServer https = TestHttpsServer.https(server)) {
      assertThat(get(MtlsHttpClients.create(client), https.uri("/")).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void spiffeRule_refusesAnotherServer_namingWhatItPresentedAndWhatWasExpected() throws Exception {
    IssuedCertificate orders = Tls.spiffeServer(ca, ORDERS, "localhost");
    try (MtlsContext server = Tls.server(orders, ca).build();
        MtlsContext client = Tls.paymentsClient(caller, ca).build();
        TestHttpsServer https = TestHttpsServer.https(server)) {
      assertThatThrownBy(() -> get(MtlsHttpClients.create(client), https.uri("/")))
          .isInstanceOfSatisfying(MtlsConnectException.class, e -> {
            assertThat(e.problem()).isEqualTo(MtlsConnectException.Problem.WRONG_SERVER_IDENTITY);
            assertThat(e.getMessage()).contains("the server is not the one this client expects: server presented "
                + ORDERS + " (DNS: localhost), expected " + PAYMENTS);
            assertThat(e.getCause()).isInstanceOf(SSLHandshakeException.class);
          });
    }
  }

  @Test
  void defaultRule_isTheHostName_throughTheJdkClient() throws Exception {
    IssuedCertificate spiffeOnly = Tls.spiffeServer(ca, PAYMENTS);
    try (MtlsContext server = Tls.server(spiffeOnly, ca).build();
        MtlsContext client = Tls.client(caller, ca).build();
        TestHttpsServer https = TestHttpsServer.https(server)) {
      assertThatThrownBy(() -> get(MtlsHttpClients.create(client), https.uri("/")))
          .isInstanceOfSatisfying(MtlsConnectException.class, e ->
              assertThat(e.problem()).isEqualTo(MtlsConnectException.Problem.WRONG_SERVER_IDENTITY));
    }
  }

  @Test
  void sendAsync_failsWithTheExplainedException() throws Exception {
    try (MtlsContext server = Tls.server(ca.server("other.example"), ca).build();
        MtlsContext client = Tls.client(caller, ca).build();
        TestHttpsServer https = TestHttpsServer.https(server)) {
      HttpRequest request = HttpRequest.newBuilder(https.uri("/")).timeout(Duration.ofSeconds(10)).build();

      assertThatThrownBy(() -> MtlsHttpClients.create(client).sendAsync(request, HttpResponse.BodyHandlers.ofString())
          .join())
          .isInstanceOf(CompletionException.class)
          .cause()
          .isInstanceOfSatisfying(MtlsConnectException.class, e ->
              assertThat(e.problem()).isEqualTo(MtlsConnectException.Problem.WRONG_SERVER_IDENTITY));
    }
  }

  @Test
  void newBuilder_takesTheUsersSettings_andExplainFailuresWrapsWhatItBuilds() throws Exception {
    try (MtlsContext server = Tls.server(ca.server("localhost"), ca).build();
        MtlsContext client = Tls.client(caller, ca).handshakeTimeout(Duration.ofSeconds(3)).build();
        TestHttpsServer https = TestHttpsServer.https(server)) {
      HttpClient.Builder builder = MtlsHttpClients.newBuilder(client).version(HttpClient.Version.HTTP_1_1);
      HttpClient http = MtlsHttpClients.explainFailures(client, builder.build());

      assertThat(http.connectTimeout()).contains(Duration.ofSeconds(3));
      assertThat(http.sslContext()).isSameAs(client.sslContext());
      assertThat(get(http, https.uri("/")).version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    }
  }

  @Test
  void close_endsTheJdkClient_onJdk21AndLater() throws Exception {
    try (MtlsContext client = Tls.client(caller, ca).build()) {
      ExplainingHttpClient http = (ExplainingHttpClient) MtlsHttpClients.create(client);
      boolean hasLifecycle = Runtime.version().feature() >= 21;

      assertThat(http.isTerminated()).isFalse();
      http.close();

      assertThat(http.isTerminated()).as("terminated on JDK %s", Runtime.version()).isEqualTo(hasLifecycle);
      assertThat(http.awaitTermination(Duration.ofSeconds(5))).isEqualTo(hasLifecycle);
    }
  }

  @Test
  void explainFailures_refusesAClientBuiltWithAnotherSslContext() throws Exception {
    try (MtlsContext client = Tls.client(caller, ca).build()) {
      assertThatThrownBy(() -> MtlsHttpClients.explainFailures(client, HttpClient.newHttpClient()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("build it from MtlsHttpClients.newBuilder(context)");
    }
  }

  @Test
  void aServerContext_isRefused() throws Exception {
    try (MtlsContext server = Tls.server(ca.server("localhost"), ca).build()) {
      assertThatThrownBy(() -> MtlsHttpClients.newBuilder(server))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("a client needs a client context (MtlsContext.forClient()), not MtlsContext{SERVER");
    }
  }

  static HttpResponse<String> get(HttpClient http, URI uri) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void writeAtomically(Path file, String content) throws Exception {
    Path temporary = Files.createTempFile(file.getParent(), ".rotate", ".tmp");
    Files.writeString(temporary, content);
    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** What the test server answered: the client certificate's serial and the client's port. */
  private record Connection(String serial, int port) {
    static Connection of(HttpResponse<String> response) {
      assertThat(response.statusCode()).isEqualTo(200);
      String[] parts = response.body().split(" ");
      return new Connection(parts[0].substring("serial=".length()), Integer.parseInt(parts[1].substring("port=".length())));
    }
  }
}
