package dev.mtls.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.cli.CliException;
import dev.mtls.cli.ExitCode;
import dev.mtls.cli.Main;
import dev.mtls.cli.TestClients;
import dev.mtls.cli.server.Engine;
import dev.mtls.core.Material;
import dev.mtls.core.MtlsContext;
import dev.mtls.core.MtlsListener;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.KubernetesSecretDirectory;
import dev.mtls.testkit.PemFiles;
import dev.mtls.testkit.TestCa;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code mtls serve} on each engine, started in-process as the command line starts it, with
 * files on disk from the testkit's CA, called by the JDK's client, curl and openssl.
 */
class ServeCommandTest {
  @TempDir Path dir;

  private final TestCa ca = TestCa.create();
  private final IssuedCertificate orders = ca.client("orders");
  private final IssuedCertificate intruder = ca.client("intruder");
  private final BlockingQueue<MtlsListener.Reloaded> reloads = new LinkedBlockingQueue<>();
  private PemFiles serverFiles;
  private Serving serving;

  @BeforeEach
  void writeServerFiles() {
    serverFiles = ca.server("localhost").writePem(dir.resolve("server"));
  }

  @AfterEach
  void stop() {
    if (serving != null) {
      serving.close();
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void endpoints_answerEachClient_asTheirPolicySays(Engine engine) throws Exception {
    start(engine, serverFiles.chain(), serverFiles.privateKey(), serverFiles.caCertificate());
    assertThat(serving.listeningLine())
        .matches("listening on https://localhost:\\d+/ \\(" + engine.name().toLowerCase(Locale.ROOT) + "\\)");
    try (MtlsContext anonymous = TestClients.anonymous(ca); MtlsContext allowed = TestClients.client(ca, orders);
        MtlsContext refused = TestClients.client(ca, intruder)) {
      assertThat(get(anonymous, "/health").body()).isEqualTo("{\"status\":\"ok\"}");
      assertThat(get(anonymous, "/whoami").statusCode()).isEqualTo(401);
      assertThat(get(anonymous, "/metrics").statusCode()).isEqualTo(401);

      HttpResponse<String> whoami = get(allowed, "/whoami");
      assertThat(whoami.statusCode()).isEqualTo(200);
      assertThat(whoami.body()).startsWith("{\"commonName\":\"orders\",")
          .contains("\"dnsNames\":[", "\"uris\":[", "\"spiffeId\":",
              "\"issuer\":\"" + ca.certificate().getSubjectX500Principal().getName() + "\"",
              "\"serial\":\"" + orders.certificate().getSerialNumber().toString(16) + "\"",
              "\"notAfter\":\"" + orders.certificate().getNotAfter().toInstant() + "\"");
      assertThat(get(allowed, "/certificate-info").body()).startsWith("{\"chain\":[{\"subject\":")
          .contains("\"commonName\":\"orders\"", "\"sha256Fingerprint\":", "\"keyType\":");
      HttpResponse<String> metrics = get(allowed, "/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(
          type -> assertThat(type).startsWith("text/plain"));
      assertThat(metrics.body()).contains("context=\"serve\"");

      HttpResponse<String> notAllowed = get(refused, "/whoami");
      assertThat(notAllowed.statusCode()).isEqualTo(403);
      assertThat(notAllowed.body()).contains("\"reason\":\"IDENTITY_NOT_ALLOWED\"").doesNotContain("intruder");
      assertThat(get(refused, "/metrics").statusCode()).isEqualTo(403);
      assertThat(TestClients.http(allowed).send(request("/whoami").POST(HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void curl_isAnswered_asTheIssueSays(Engine engine) throws Exception {
    Tools.assumeInstalled("curl");
    start(engine, serverFiles.chain(), serverFiles.privateKey(), serverFiles.caCertificate());
    PemFiles allowed = orders.writePem(dir.resolve("orders"));
    PemFiles refused = intruder.writePem(dir.resolve("intruder"));

    assertThat(curl("/health")).isEqualTo("{\"status\":\"ok\"}\n200");
    assertThat(curl("/whoami")).endsWith("\n401").contains("NO_CERTIFICATE");
    assertThat(curl("/whoami", "--cert", allowed.chain().toString(), "--key", allowed.privateKey().toString()))
        .startsWith("{\"commonName\":\"orders\",").endsWith("\n200");
    assertThat(curl("/whoami", "--cert", refused.chain().toString(), "--key", refused.privateKey().toString()))
        .contains("IDENTITY_NOT_ALLOWED").endsWith("\n403");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void opensslClient_isServedOnTls13_andRefusedOnTls12(Engine engine) throws Exception {
    Tools.assumeInstalled("openssl");
    start(engine, serverFiles.chain(), serverFiles.privateKey(), serverFiles.caCertificate());
    PemFiles allowed = orders.writePem(dir.resolve("orders"));
    String connect = "127.0.0.1:" + serving.server().uri().getPort();

    Tools.Run tls12 = Tools.run(List.of("openssl", "s_client", "-connect", connect, "-servername", "localhost",
        "-tls1_2", "-CAfile", serverFiles.caCertificate().toString(), "-cert", allowed.chain().toString(), "-key",
        allowed.privateKey().toString()), "");
    assertThat(tls12.exitCode()).as(tls12.output()).isNotZero();
    assertThat(tls12.output()).contains("alert protocol version", "no peer certificate available")
        .doesNotContain("commonName");

    Tools.Run tls13 = Tools.run(List.of("openssl", "s_client", "-connect", connect, "-servername", "localhost",
        "-tls1_3", "-ign_eof", "-verify_return_error", "-CAfile", serverFiles.caCertificate().toString(),
        "-cert", allowed.chain().toString(), "-key", allowed.privateKey().toString()),
        "GET /whoami HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    assertThat(tls13.output()).contains("HTTP/1.1 200", "\"commonName\":\"orders\"", "TLSv1.3");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void serverCertificateReplacedOnDisk_isServed_withoutARestart(Engine engine) throws Exception {
    start(engine, serverFiles.chain(), serverFiles.privateKey(), serverFiles.caCertificate());
    BigInteger before = servedSerial();
    IssuedCertificate renewed = ca.server("localhost");
    PemFiles staged = renewed.writePem(dir.resolve("staged"));

    Files.move(staged.privateKey(), serverFiles.privateKey(), StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    Files.move(staged.chain(), serverFiles.chain(), StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);

    awaitIdentityServing(renewed.certificate());
    assertThat(servedSerial()).isEqualTo(renewed.certificate().getSerialNumber()).isNotEqualTo(before);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void kubernetesSecretVolumeSwap_isServed_withoutARestart(Engine engine) throws Exception {
    KubernetesSecretDirectory secret = KubernetesSecretDirectory.create(dir.resolve("secret"));
    secret.update(ca.server("localhost"));
    start(engine, secret.file("tls.crt"), secret.file("tls.key"), secret.file("ca.crt"));
    IssuedCertificate rotated = ca.server("localhost");

    secret.update(rotated);

    awaitIdentityServing(rotated.certificate());
    assertThat(servedSerial()).isEqualTo(rotated.certificate().getSerialNumber());
    try (MtlsContext allowed = TestClients.client(ca, orders)) {
      assertThat(get(allowed, "/whoami").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void tlsSettings_startTheSameServer_withoutFileFlags() throws Exception {
    serving = ServeCommand.start(Map.of(
        "TLS_CERT_FILE", serverFiles.chain().toString(),
        "TLS_KEY_FILE", serverFiles.privateKey().toString(),
        "TLS_CA_CERT_FILE", serverFiles.caCertificate().toString(),
        "TLS_ALLOWED_COMMON_NAMES", "orders",
        "PATH", "/usr/bin"), "--port", "0");
    try (MtlsContext anonymous = TestClients.anonymous(ca); MtlsContext allowed = TestClients.client(ca, orders);
        MtlsContext refused = TestClients.client(ca, intruder)) {
      assertThat(serving.server().engine()).isEqualTo(Engine.JETTY);
      assertThat(get(anonymous, "/health").statusCode()).isEqualTo(200);
      assertThat(get(allowed, "/whoami").body()).startsWith("{\"commonName\":\"orders\",");
      assertThat(get(refused, "/whoami").statusCode()).isEqualTo(403);
    }
  }

  @Test
  void withoutAllowCn_everyClientOfTheCa_isLetIn() throws Exception {
    serving = ServeCommand.start(Map.of(), "--cert", serverFiles.chain().toString(), "--key",
        serverFiles.privateKey().toString(), "--ca", serverFiles.caCertificate().toString(), "--port", "0");
    try (MtlsContext other = TestClients.client(ca, intruder); MtlsContext stranger = TestClients.client(ca, TestCa.create().client("orders"))) {
      assertThat(get(other, "/whoami").statusCode()).isEqualTo(200);
      assertThatThrownBy(() -> get(stranger, "/whoami")).as("a client of another CA fails its handshake")
          .isInstanceOf(IOException.class);
    }
  }

  @Test
  void crl_refusesARevokedClient_inItsHandshake() throws Exception {
    IssuedCertificate revoked = ca.client("orders");
    ca.revoke(revoked);
    Path crl = ca.writeCrl(dir.resolve("crl.pem"));
    serving = ServeCommand.start(Map.of(), "--cert", serverFiles.chain().toString(), "--key",
        serverFiles.privateKey().toString(), "--ca", serverFiles.caCertificate().toString(), "--crl", crl.toString(),
        "--allow-cn", "orders", "--port", "0");
    try (MtlsContext current = TestClients.client(ca, orders); MtlsContext old = TestClients.client(ca, revoked)) {
      assertThat(get(current, "/whoami").statusCode()).isEqualTo(200);
      assertThatThrownBy(() -> get(old, "/whoami")).isInstanceOf(IOException.class);
    }
  }

  @Test
  void wrongArguments_areOneLine_namingWhatIsWrong() {
    assertThatThrownBy(() -> ServeCommand.start(Map.of(), "--port", "0"))
        .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
        .hasMessageContaining("--cert, --key and --ca").hasMessageContaining("TLS_CERT_FILE");
    assertThatThrownBy(() -> ServeCommand.start(Map.of(), "--cert", "a.pem", "--ca", "ca.pem"))
        .hasMessageContaining("--key is missing");
    assertThatThrownBy(() -> ServeCommand.start(Map.of("TLS_CERT_FILE", "a.pem", "TLS_VERIFY_MODE", "CERT_NONE")))
        .hasMessageContaining("CERT_NONE");
    assertThatThrownBy(() -> ServeCommand.start(Map.of("TLS_CERT_FILE", "a.pem", "TLS_ALLOWED_COMMON_NAMES", "x"),
        "--allow-cn", "orders")).hasMessageContaining("--allow-cn and TLS_ALLOWED_COMMON_NAMES");
    assertThatThrownBy(() -> ServeCommand.start(Map.of(), "--engine", "undertow"))
        .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE));

    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "serve",
        "--cert", dir.resolve("missing.pem").toString(), "--key", serverFiles.privateKey().toString(),
        "--ca", serverFiles.caCertificate().toString(), "--port", "0");
    assertThat(code).isEqualTo(ExitCode.FAILED);
    assertThat(err.toString()).startsWith("mtls serve: ").contains("missing.pem").doesNotContain("\tat ");
  }

  @Test
  void help_describesTheEndpoints_andThatMetricsNeedACertificate() {
    StringWriter out = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), "serve", "--help");

    assertThat(code).isZero();
    assertThat(out.toString().replaceAll("\\s+", " ")).contains("/health", "/whoami", "/certificate-info", "/metrics",
        "needs an allowed client certificate", "--allow-cn", "--engine", "TLS_CERT_FILE", "--port");
  }

  private void start(Engine engine, Path cert, Path key, Path caFile) {
    serving = ServeCommand.start(Map.of(), "--cert", cert.toString(), "--key", key.toString(), "--ca",
        caFile.toString(), "--port", "0", "--allow-cn", "orders", "--engine", engine.name().toLowerCase(Locale.ROOT),
        "--reload-interval", "1s");
    serving.context().addListener(new MtlsListener() {
      @Override
      public void reloaded(Reloaded event) {
        reloads.add(event);
      }
    });
  }

  /** Waits for the identity reload that brings in this certificate. */
  private void awaitIdentityServing(X509Certificate certificate) throws InterruptedException {
    while (true) {
      MtlsListener.Reloaded event = reloads.poll(30, TimeUnit.SECONDS);
      assertThat(event).as("an identity reload bringing in serial " + certificate.getSerialNumber()).isNotNull();
      if (event.material() == Material.IDENTITY && !event.after().isEmpty()
          && event.after().get(0).serialNumber().equals(certificate.getSerialNumber())) {
        return;
      }
    }
  }

  /** The serial of the certificate the server presents to a new client. */
  private BigInteger servedSerial() throws Exception {
    try (MtlsContext anonymous = TestClients.anonymous(ca)) {
      HttpResponse<String> response = get(anonymous, "/health");
      X509Certificate served = (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
      return served.getSerialNumber();
    }
  }

  private String curl(String path, String... more) throws Exception {
    List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "30", "--cacert",
        serverFiles.caCertificate().toString(), "-w", "\n%{http_code}"));
    command.addAll(List.of(more));
    command.add(serving.server().uri().resolve(path).toString());
    Tools.Run run = Tools.run(command, "");
    assertThat(run.exitCode()).as(run.output()).isZero();
    return run.output();
  }


  private HttpResponse<String> get(MtlsContext client, String path) throws IOException, InterruptedException {
    return TestClients.http(client).send(request(path).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(serving.server().uri().resolve(path)).timeout(Duration.ofSeconds(20));
  }

}
