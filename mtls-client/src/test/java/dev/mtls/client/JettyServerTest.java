package dev.mtls.client;

import static dev.mtls.client.Tls.ORDERS;
import static dev.mtls.client.Tls.PAYMENTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.core.MtlsContext;
import dev.mtls.core.PeerIdentity;
import dev.mtls.core.PeerPolicy;
import dev.mtls.servlet.JettyMtls;
import dev.mtls.servlet.MtlsFilter;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import javax.net.ssl.SSLHandshakeException;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/**
 * The clients against an embedded Jetty 12 server wired with the servlet module (its connector
 * and its filter), as a service calling another service meets it: the call gets in and the
 * server's filter sees who called; a server of the wrong identity is refused before any request.
 */
class JettyServerTest {
  private final TestCa ca = TestCa.create();
  private final IssuedCertificate caller = ca.client("caller");

  @Test
  void call_getsThroughTheServersFilter_whichSeesTheCallersCertificate() throws Exception {
    try (MtlsContext server = Tls.server(ca.server("localhost"), ca).build();
        MtlsContext client = Tls.client(caller, ca).build();
        Jetty jetty = Jetty.start(server)) {
      HttpResponse<String> response = get(MtlsHttpClients.create(client), jetty.uri("/whoami"));

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("cn=caller serial=" + caller.serialNumber().toString(16));
    }
  }

  @Test
  void spiffeRule_refusesAJettyServerOfAnotherIdentity_namingBoth() throws Exception {
    try (MtlsContext server = Tls.server(Tls.spiffeServer(ca, ORDERS, "localhost"), ca).build();
        MtlsContext client = Tls.paymentsClient(caller, ca).build();
        Jetty jetty = Jetty.start(server)) {
      assertThatThrownBy(() -> get(MtlsHttpClients.create(client), jetty.uri("/whoami")))
          .isInstanceOfSatisfying(MtlsConnectException.class, e -> {
            assertThat(e.problem()).isEqualTo(MtlsConnectException.Problem.WRONG_SERVER_IDENTITY);
            assertThat(e.getMessage()).contains("server presented " + ORDERS).contains("expected " + PAYMENTS);
            assertThat(e.getCause()).isInstanceOf(SSLHandshakeException.class);
          });
    }
  }

  @Test
  void socketFactoryPair_reachesTheJettyServer() throws Exception {
    try (MtlsContext server = Tls.server(ca.server("localhost"), ca).build();
        MtlsContext client = Tls.client(caller, ca).build();
        Jetty jetty = Jetty.start(server)) {
      MtlsSockets tls = MtlsSockets.of(client);
      okhttp3.OkHttpClient okHttp = new okhttp3.OkHttpClient.Builder()
          .sslSocketFactory(tls.socketFactory(), tls.trustManager())
          .hostnameVerifier(tls.hostnameVerifier())
          .retryOnConnectionFailure(false)
          .build();
      try (okhttp3.Response response = okHttp.newCall(
          new okhttp3.Request.Builder().url(jetty.uri("/whoami").toString()).build()).execute()) {
        assertThat(response.code()).isEqualTo(200);
        assertThat(response.body().string()).startsWith("cn=caller ");
      } finally {
        okHttp.connectionPool().evictAll();
        okHttp.dispatcher().executorService().shutdown();
      }
    }
  }

  private static HttpResponse<String> get(HttpClient http, URI uri) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Jetty with the library's connector and filter, and a servlet that says who called. */
  private static final class Jetty implements AutoCloseable {
    private final Server server;
    private final int port;

    private Jetty(Server server, int port) {
      this.server = server;
      this.port = port;
    }

    static Jetty start(MtlsContext context) throws Exception {
      Server server = new Server();
      ServerConnector connector = JettyMtls.connector(server, context);
      connector.setHost("127.0.0.1");
      connector.setPort(0);
      server.addConnector(connector);
      ServletContextHandler app = new ServletContextHandler();
      app.setContextPath("/");
      app.addFilter(new FilterHolder(MtlsFilter.builder(context).policy(PeerPolicy.anyTrustedPeer()).build()), "/*",
          EnumSet.of(DispatcherType.REQUEST));
      app.addServlet(new ServletHolder(new WhoAmI()), "/*");
      server.setHandler(app);
      server.start();
      return new Jetty(server, connector.getLocalPort());
    }

    URI uri(String path) {
      return URI.create("https://localhost:" + port + path);
    }

    @Override
    public void close() throws Exception {
      server.stop();
    }
  }

  private static final class WhoAmI extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
      PeerIdentity peer = MtlsFilter.peer(request).orElseThrow();
      String body = "cn=" + peer.commonName().orElse("-") + " serial=" + peer.serialNumber().toString(16);
      response.setContentType("text/plain");
      response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
    }
  }
}
