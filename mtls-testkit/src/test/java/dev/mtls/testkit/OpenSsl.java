package dev.mtls.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the {@code openssl} command line tool. CI installs it, and there (environment
 * variable {@code CI} set) a missing openssl fails the tests that need it. On a developer's
 * machine without openssl those tests are skipped with a message saying why, so the README's
 * test command works with nothing but a JDK.
 */
final class OpenSsl {
  private static final long TIMEOUT_SECONDS = 30;

  private OpenSsl() {}

  /** The outcome of one openssl run. */
  record Result(List<String> command, int exitCode, String stdout, String stderr) {
    Result assertSuccess() {
      assertThat(exitCode)
          .as("%s failed with exit code %d%nstdout: %s%nstderr: %s", String.join(" ", command),
              exitCode, stdout, stderr)
          .isZero();
      return this;
    }

    Result assertFailure() {
      assertThat(exitCode)
          .as("%s succeeded but should have failed%nstdout: %s%nstderr: %s",
              String.join(" ", command), stdout, stderr)
          .isNotZero();
      return this;
    }

    String output() {
      return stdout + stderr;
    }
  }

  /** Runs {@code openssl args...} in {@code directory}; fails the test if it cannot run. */
  static Result run(Path directory, String... args) {
    List<String> command = new ArrayList<>();
    command.add("openssl");
    command.addAll(List.of(args));
    try {
      Path stdout = Files.createTempFile(directory, "openssl-", ".out");
      Path stderr = Files.createTempFile(directory, "openssl-", ".err");
      Process process = new ProcessBuilder(command)
          .directory(directory.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
          .redirectOutput(stdout.toFile())
          .redirectError(stderr.toFile())
          .start();
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not finish within "
            + TIMEOUT_SECONDS + " s; stderr so far: " + read(stderr));
      }
      return new Result(command, process.exitValue(), read(stdout), read(stderr));
    } catch (IOException e) {
      String message = "cannot run `" + String.join(" ", command) + "`: is openssl on the PATH? These"
          + " tests need the openssl command line tool: " + e;
      if (isCi()) {
        throw new AssertionError(message + " (CI must install it)", e);
      }
      Assumptions.abort(message);
      throw new AssertionError("unreachable", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + String.join(" ", command), e);
    }
  }

  private static boolean isCi() {
    String ci = System.getenv("CI");
    return ci != null && !ci.isEmpty() && !ci.equalsIgnoreCase("false");
  }

  private static java.io.File nullDevice() {
    return new java.io.File(
        System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }
}
