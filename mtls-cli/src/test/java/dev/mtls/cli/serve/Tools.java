package dev.mtls.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The foreign clients, curl and openssl, run with a time limit. Missing, a test skips saying
 * so; in CI (environment variable {@code CI} set), where {@code .ci/run} installs them, it fails.
 */
final class Tools {
  private static final int MAX_OUTPUT = 256 * 1024;

  private Tools() {}

  /** How a run ended and what it printed, both streams together. */
  record Run(int exitCode, String output) {}

  static void assumeInstalled(String tool) throws InterruptedException {
    boolean found;
    try {
      Process version = new ProcessBuilder(tool, tool.equals("openssl") ? "version" : "--version")
          .redirectErrorStream(true).start();
      version.getInputStream().readAllBytes();
      found = version.waitFor(10, TimeUnit.SECONDS) && version.exitValue() == 0;
    } catch (IOException e) {
      found = false;
    }
    if (System.getenv("CI") != null) {
      assertThat(found).as(tool + " must be installed in CI").isTrue();
    }
    Assumptions.assumeTrue(found, tool + " is not installed: the tests with foreign clients need it");
  }

  static Run run(List<String> command, String input) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
      try {
        return new String(process.getInputStream().readNBytes(MAX_OUTPUT), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "(unreadable: " + e + ")";
      }
    });
    process.getOutputStream().write(input.getBytes(StandardCharsets.US_ASCII));
    process.getOutputStream().close();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(command + " still running after 60 s");
    }
    return new Run(process.exitValue(), output.join());
  }
}
