package dev.mtls.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the {@code openssl} tool as a foreign judge of what the CLI writes. CI installs it (with
 * {@code CI} set, a missing openssl fails); elsewhere the tests that need it are skipped, saying why.
 */
public final class OpenSsl {
  private static final long TIMEOUT_SECONDS = 60;

  private OpenSsl() {}

  /**
   * One run's outcome.
   *
   * @param exitCode the exit code
   * @param output stdout then stderr
   */
  public record Result(int exitCode, String output) {}

  /**
   * Runs {@code openssl args...} in {@code directory}.
   *
   * @param directory the working directory
   * @param args the arguments
   * @return what it did
   */
  public static Result run(Path directory, String... args) {
    List<String> command = new ArrayList<>();
    command.add("openssl");
    command.addAll(List.of(args));
    try {
      Path output = Files.createTempFile(directory, ".openssl-", ".out");
      Process process = new ProcessBuilder(command).directory(directory.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectErrorStream(true).redirectOutput(output.toFile()).start();
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not finish within " + TIMEOUT_SECONDS + " s");
      }
      String text = Files.readString(output, StandardCharsets.UTF_8);
      Files.delete(output);
      return new Result(process.exitValue(), text);
    } catch (IOException e) {
      String message = "cannot run openssl (" + e.getMessage() + "): these tests need the openssl tool";
      if (System.getenv("CI") != null) {
        throw new AssertionError(message + " (CI must install it)", e);
      }
      Assumptions.abort(message);
      throw new AssertionError("unreachable", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted running " + command, e);
    }
  }
}
