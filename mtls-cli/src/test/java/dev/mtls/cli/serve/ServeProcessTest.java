package dev.mtls.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.core.MtlsContext;
import dev.mtls.core.ReloadPolicy;
import dev.mtls.core.TrustSource;
import dev.mtls.testkit.PemFiles;
import dev.mtls.testkit.TestCa;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mtls serve} as its own process, started with the test class path: it prints where it
 * listens, logs refusals, and on SIGTERM stops the server, prints {@code stopped} and exits 0.
 */
class ServeProcessTest {
  private static final Pattern LISTENING = Pattern.compile("listening on (https://localhost:\\d+/) \\(netty\\)");

  @TempDir Path dir;

  @Test
  void sigterm_stopsTheServer_printsStopped_andExitsZero() throws Exception {
    TestCa ca = TestCa.create();
    PemFiles server = ca.server("localhost").writePem(dir.resolve("server"));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process process = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
        "dev.mtls.cli.Main", "serve", "--cert", server.chain().toString(), "--key", server.privateKey().toString(),
        "--ca", server.caCertificate().toString(), "--allow-cn", "orders", "--port", "0", "--engine", "netty")
        .start();
    BlockingQueue<String> out = lines(process.getInputStream());
    BlockingQueue<String> err = lines(process.getErrorStream());
    try {
      Matcher listening = LISTENING.matcher(awaitLine(out, "listening on"));
      assertThat(listening.matches()).isTrue();
      URI uri = URI.create(listening.group(1));

      try (MtlsContext anonymous = MtlsContext.forClient().trust(TrustSource.of(List.of(ca.certificate())))
          .reload(ReloadPolicy.disabled()).logging(false).build()) {
        HttpClient http = HttpClient.newBuilder().sslContext(anonymous.sslContext())
            .sslParameters(anonymous.sslParameters()).version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(uri.resolve("/whoami"))
            .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(401);
      }
      assertThat(awaitLine(err, "mTLS peer rejected")).contains("NO_CERTIFICATE", "/whoami");

      // SIGTERM, as Process.destroy() sends it, but without closing this side's pipes, so that
      // what the process prints as it stops can still be read.
      assertThat(process.toHandle().destroy()).isTrue();

      assertThat(awaitLine(out, "stopped")).isEqualTo("stopped");
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
      assertThat(process.exitValue()).isZero();
    } finally {
      process.destroyForcibly();
    }
  }

  /** The lines of a stream as they come, read on a thread of their own. */
  private static BlockingQueue<String> lines(java.io.InputStream stream) {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          lines.add(line);
        }
      } catch (java.io.IOException e) {
        lines.add("(stream failed: " + e + ")");
      }
    }, "serve-output");
    reader.setDaemon(true);
    reader.start();
    return lines;
  }

  private static String awaitLine(BlockingQueue<String> lines, String part) throws InterruptedException {
    StringBuilder seen = new StringBuilder();
    while (true) {
      String line = lines.poll(60, TimeUnit.SECONDS);
      assertThat(line).as("a line with '" + part + "' after:\n" + seen).isNotNull();
      if (line.contains(part)) {
        return line;
      }
      seen.append(line).append('\n');
    }
  }
}
