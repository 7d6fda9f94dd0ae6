package dev.mtls.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs {@code openssl s_client} against a local port, bounded in time: a foreign client for
 * what the server offers and accepts. CI (environment variable {@code CI} set) fails without
 * openssl; elsewhere the calling test is skipped, saying why.
 */
final class Openssl {
  private static final long WAIT_SECONDS = 20;

  private Openssl() {}

  /** Skips the calling test, or fails it in CI, when openssl is not on the PATH. */
  static void assumeInstalled() throws InterruptedException {
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

  /**
   * Runs {@code openssl s_client -brief} against a loopback port, writes {@code input} to it
   * and closes its input, so that it ends after the handshake and the exchange.
   */
  static Result sClient(int port, String input, List<String> options) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
        "-servername", "localhost", "-brief"));
    command.addAll(options);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
      try {
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return e.toString();
      }
    });
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.write(input.getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      // s_client ended before reading its input: its output says why
    }
    if (!process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("openssl did not finish within " + WAIT_SECONDS + " s: " + command);
    }
    try {
      return new Result(process.exitValue(), output.get(WAIT_SECONDS, TimeUnit.SECONDS));
    } catch (ExecutionException | TimeoutException e) {
      throw new AssertionError("cannot read openssl's output: " + command, e);
    }
  }

  /** What an s_client run printed, and how it ended. */
  record Result(int exitCode, String output) {
    boolean connected() {
      return output.contains("CONNECTION ESTABLISHED");
    }
  }
}
