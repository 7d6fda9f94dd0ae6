package dev.mtls.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A command-line client (curl, openssl), run bounded in time. A test that needs one skips with
 * the reason when it is not installed, and fails instead in CI (environment variable {@code CI}
 * set), where {@code .ci/run} installs it.
 */
final class Tool {
  private Tool() {}

  /** What a run printed (stdout and stderr together) and how it ended. */
  record Result(int exitCode, String output) {}

  static void assumeInstalled(String name) throws InterruptedException {
    boolean installed;
    try {
      Process probe = new ProcessBuilder(name, name.equals("openssl") ? "version" : "--version")
          .redirectErrorStream(true).start();
      probe.getInputStream().readAllBytes();
      installed = probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0;
    } catch (IOException e) {
      installed = false;
    }
    if (System.getenv("CI") != null) {
      assertThat(installed).as(name + " must be on the PATH in CI").isTrue();
    }
    Assumptions.assumeTrue(installed, name + " is not on the PATH: the foreign-client tests need it");
  }

  static Result run(List<String> command, String input) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
      try {
        return new String(process.getInputStream().readNBytes(256 * 1024), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "(output unreadable: " + e + ")";
      }
    });
    process.getOutputStream().write(input.getBytes(StandardCharsets.US_ASCII));
    process.getOutputStream().close();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(command + " did not finish within 30 s");
    }
    return new Result(process.exitValue(), output.join());
  }
}
