package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.PemFiles;
import dev.mtls.testkit.TestCa;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A foreign client proves the server's TLS policy: {@code openssl s_client} can only get in
 * with TLS 1.3, an AEAD suite and a client certificate. CI installs openssl and fails here
 * without it (environment variable {@code CI} set); a developer's machine without openssl
 * skips these tests with a message saying why.
 */
class OpensslClientTest {
  @TempDir Path dir;

  private final TestCa ca = TestCa.create();
  private PemFiles clientFiles;
  private MtlsContext server;
  private LoopbackServer loopback;

  @BeforeAll
  static void opensslIsInstalled() throws Exception {
    boolean installed;
    try {
      Process process = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
      installed = process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      installed = false;
    }
    String ci = System.getenv("CI");
    if (ci != null && !ci.isEmpty() && !ci.equalsIgnoreCase("false")) {
      assertThat(installed).as("openssl must be on the PATH in CI").isTrue();
    }
    Assumptions.assumeTrue(installed, "openssl is not on the PATH: the foreign-client tests need it");
  }

  @BeforeEach
  void startServer() throws IOException {
    IssuedCertificate clientCertificate = ca.client("openssl-client");
    clientFiles = clientCertificate.writePem(dir.resolve("client"));
    IssuedCertificate serverCertificate = ca.server("localhost");
    server = MtlsContext.forServer()
        .identity(IdentitySource.of(serverCertificate.privateKey(), serverCertificate.chain()))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .peerPolicy(PeerPolicy.anyTrustedPeer())
        .logging(false)
        .build();
    loopback = new LoopbackServer(server);
  }

  @org.junit.jupiter.api.AfterEach
  void stopServer() throws IOException {
    loopback.close();
    server.close();
  }

  @Test
  void tls13WithClientCertificate_succeeds_withAnAeadSuite() throws Exception {
    Result result = sClient("-tls1_3", "-cert", clientFiles.certificate().toString(),
        "-key", clientFiles.privateKey().toString());

    LoopbackServer.Outcome outcome = loopback.nextOutcome();
    assertThat(outcome.succeeded()).as("server: %s; openssl: %s", outcome.failure(), result.output).isTrue();
    assertThat(outcome.session().getProtocol()).isEqualTo("TLSv1.3");
    assertThat(outcome.session().getCipherSuite()).isIn(TlsPolicy.MODERN.cipherSuites());
    assertThat(result.output).contains("TLSv1.3").containsPattern("TLS_AES_256_GCM_SHA384|TLS_CHACHA20_POLY1305_SHA256|TLS_AES_128_GCM_SHA256");
  }

  @Test
  void tls13WithoutClientCertificate_failsWhenRequired() throws Exception {
    sClient("-tls1_3");

    LoopbackServer.Outcome outcome = loopback.nextOutcome();
    assertThat(outcome.succeeded()).isFalse();
    assertThat(outcome.failure()).hasMessageContaining("certificate");
  }

  @Test
  void tls12_isRefused() throws Exception {
    Result result = sClient("-tls1_2", "-cert", clientFiles.certificate().toString(),
        "-key", clientFiles.privateKey().toString());

    assertThat(result.exitCode).as(result.output).isNotZero();
    LoopbackServer.Outcome outcome = loopback.nextOutcome();
    assertThat(outcome.succeeded()).isFalse();
    assertThat(outcome.failure()).hasMessageContaining("TLSv1.2");
  }

  @Test
  void tls11_isRefused_byTheServerItself() throws Exception {
    // Security level 0 lets openssl 3 offer TLS 1.1 at all, so the refusal is our server's.
    Result result = sClient("-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0", "-cert", clientFiles.certificate().toString(),
        "-key", clientFiles.privateKey().toString());

    assertThat(result.exitCode).as(result.output).isNotZero();
    LoopbackServer.Outcome outcome = loopback.nextOutcome();
    assertThat(outcome.succeeded()).isFalse();
    assertThat(outcome.failure()).hasMessageContaining("TLSv1.1");
  }

  private Result sClient(String... options) throws Exception {
    List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect",
        "127.0.0.1:" + loopback.port(), "-servername", "localhost", "-CAfile",
        clientFiles.caCertificate().toString(), "-brief"));
    command.addAll(List.of(options));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close(); // EOF on stdin: s_client closes after the handshake
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("openssl s_client did not finish: " + command);
    }
    return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  private record Result(int exitCode, String output) {}
}
