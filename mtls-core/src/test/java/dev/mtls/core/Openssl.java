package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs {@code openssl s_client} and {@code s_server} for tests that need a foreign peer, each
 * bounded in time. As in {@link OpensslClientTest}: CI (environment variable {@code CI} set)
 * fails without openssl; elsewhere the tests are skipped with a message saying why.
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
    Assumptions.assumeTrue(installed, "openssl is not on the PATH: the foreign-peer tests need it");
  }

  /**
   * Runs {@code openssl s_client -brief} against a local port, writing {@code input} to its
   * standard input and then closing it (s_client ends after the handshake and what the input
   * asks for).
   */
  static Result sClient(int port, String input, List<String> options) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
        "-servername", "localhost", "-brief"));
    command.addAll(options);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    CompletableFuture<String> output = readAll(process);
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.write(input.getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      // s_client ended before reading its input: its output says why
    }
    return finish(process, output, command);
  }

  /** A running {@code openssl s_server} on a free loopback port, stopped by {@link #close()}. */
  static Server sServer(List<String> options) throws IOException {
    List<String> command = new ArrayList<>(List.of("openssl", "s_server", "-accept", "127.0.0.1:0", "-naccept", "1"));
    command.addAll(options);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    CompletableFuture<Integer> port = CompletableFuture.supplyAsync(() -> {
      try {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          seen.append(line).append('\n');
          if (line.startsWith("ACCEPT ")) {
            return Integer.parseInt(line.substring(line.lastIndexOf(':') + 1).trim());
          }
        }
        throw new IllegalStateException("openssl s_server ended: " + seen);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });
    try {
      int accepting = port.get(WAIT_SECONDS, TimeUnit.SECONDS);
      CompletableFuture<String> rest = CompletableFuture.supplyAsync(() -> {
        StringBuilder all = new StringBuilder(seen);
        try {
          for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            all.append(line).append('\n');
          }
        } catch (IOException e) {
          all.append(e);
        }
        return all.toString();
      });
      return new Server(process, accepting, rest);
    } catch (Exception e) {
      process.destroyForcibly();
      throw new IOException("openssl s_server did not start: " + command + ": " + seen, e);
    }
  }

  private static CompletableFuture<String> readAll(Process process) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return e.toString();
      }
    });
  }

  private static Result finish(Process process, CompletableFuture<String> output, List<String> command)
      throws InterruptedException {
    if (!process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("openssl did not finish within " + WAIT_SECONDS + " s: " + command);
    }
    try {
      return new Result(process.exitValue(), output.get(WAIT_SECONDS, TimeUnit.SECONDS));
    } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
      throw new AssertionError("cannot read openssl's output: " + command, e);
    }
  }

  /** What an openssl run printed, and how it ended. */
  record Result(int exitCode, String output) {
    boolean connected() {
      return output.contains("CONNECTION ESTABLISHED");
    }
  }

  /** A running s_server; closing it stops the process. */
  record Server(Process process, int port, CompletableFuture<String> output) implements AutoCloseable {
    /** Everything the server printed, once it has ended (it ends after one connection). */
    String outputAfterExit() throws InterruptedException {
      if (!process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
      try {
        return output.get(WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
        return "(no output: " + e + ")";
      }
    }

    @Override
    public void close() {
      process.destroyForcibly();
    }
  }
}
