package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.PemFiles;
import dev.mtls.testkit.TestCa;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The smallest HTTPS server: the JDK's {@code HttpsServer} with
 * {@code new HttpsConfigurator(context.sslContext())} and nothing else. It must serve mutual
 * TLS 1.3 and nothing less, to {@code curl} as to the JDK's {@code HttpClient}. CI installs
 * curl and fails here without it ({@code CI} set); elsewhere these tests are skipped without
 * it.
 */
class HttpsServerTest {
  @TempDir Path dir;

  private final TestCa ca = TestCa.create();
  private final AtomicInteger served = new AtomicInteger();
  private MtlsContext server;
  private HttpsServer https;

  @BeforeAll
  static void curlIsInstalled() throws Exception {
    boolean installed;
    try {
      Process process = new ProcessBuilder("curl", "--version").redirectErrorStream(true).start();
      installed = process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      installed = false;
    }
    String ci = System.getenv("CI");
    if (ci != null && !ci.isEmpty() && !ci.equalsIgnoreCase("false")) {
      assertThat(installed).as("curl must be on the PATH in CI").isTrue();
    }
    Assumptions.assumeTrue(installed, "curl is not on the PATH: the HttpsServer tests need it");
  }

  @BeforeEach
  void startServer() throws IOException {
    IssuedCertificate serverCertificate = ca.server("localhost");
    server = MtlsContext.forServer()
        .identity(IdentitySource.of(serverCertificate.privateKey(), serverCertificate.chain()))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .peerPolicy(PeerPolicy.builder().allowCommonNames("orders").build())
        .logging(false)
        .build();
    https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    https.setHttpsConfigurator(new HttpsConfigurator(server.sslContext()));
    https.createContext("/", exchange -> {
      served.incrementAndGet();
      byte[] body = "served".getBytes(StandardCharsets.US_ASCII);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    https.start();
  }

  @AfterEach
  void stopServer() {
    https.stop(0);
    server.close();
  }

  @Test
  void curl_getsIn_onlyWithAnAllowedCertificate_overTls13() throws Exception {
    PemFiles allowed = ca.client("orders").writePem(dir.resolve("orders"));
    PemFiles notListed = ca.client("billing").writePem(dir.resolve("billing"));
    PemFiles otherCa = TestCa.create().client("orders").writePem(dir.resolve("intruder"));

    assertRefused(curl());
    assertRefused(curl("--cert", otherCa.chain().toString(), "--key", otherCa.privateKey().toString()));
    assertRefused(curl("--cert", notListed.chain().toString(), "--key", notListed.privateKey().toString()));
    assertRefused(curl("--tlsv1.2", "--tls-max", "1.2",
        "--cert", allowed.chain().toString(), "--key", allowed.privateKey().toString()));
    assertThat(served).as("nothing served to a refused client").hasValue(0);

    Curl ok = curl("--cert", allowed.chain().toString(), "--key", allowed.privateKey().toString(),
        "-w", "\n%{http_code}");
    assertThat(ok.exitCode).as(ok.output).isZero();
    assertThat(ok.output).startsWith("served").endsWith("200");
    assertThat(served).hasValue(1);
  }

  @Test
  void jdkHttpClient_getsIn_withTheClientContext_andNotWithoutACertificate() throws Exception {
    IssuedCertificate clientCertificate = ca.client("orders");
    try (MtlsContext client = MtlsContext.forClient()
        .identity(IdentitySource.of(clientCertificate.privateKey(), clientCertificate.chain()))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .logging(false)
        .build()) {
      HttpResponse<String> response = HttpClient.newBuilder().sslContext(client.sslContext())
          .connectTimeout(Duration.ofSeconds(10)).build()
          .send(request(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("served");
      assertThat(response.sslSession()).hasValueSatisfying(s -> assertThat(s.getProtocol()).isEqualTo("TLSv1.3"));
    }

    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(ca.trustStore());
    SSLContext noCertificate = SSLContext.getInstance("TLSv1.3");
    noCertificate.init(null, trust.getTrustManagers(), null);
    HttpClient anonymous = HttpClient.newBuilder().sslContext(noCertificate).connectTimeout(Duration.ofSeconds(10))
        .build();
    assertThatThrownBy(() -> anonymous.send(request(), HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(IOException.class);
    assertThat(served).hasValue(1);
  }

  private HttpRequest request() {
    return HttpRequest.newBuilder(URI.create("https://localhost:" + https.getAddress().getPort() + "/"))
        .timeout(Duration.ofSeconds(10)).build();
  }

  private static void assertRefused(Curl result) {
    assertThat(result.exitCode).as("curl should fail: %s", result.output).isNotZero();
    assertThat(result.output).doesNotContain("served");
  }

  private Curl curl(String... options) throws Exception {
    int port = https.getAddress().getPort();
    List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20",
        "--cacert", ca.writeCertificatePem(dir.resolve("ca.pem")).toString(),
        "--resolve", "localhost:" + port + ":127.0.0.1"));
    command.addAll(List.of(options));
    command.add("https://localhost:" + port + "/");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("curl did not finish within 30 s: " + command);
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    return new Curl(process.exitValue(), output);
  }

  private record Curl(int exitCode, String output) {}
}
