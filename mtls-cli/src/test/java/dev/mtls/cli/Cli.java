package dev.mtls.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the command line in-process, as {@code java -jar mtls.jar} would, and keeps what it printed. */
public record Cli(int exitCode, String out, String err) {

  /**
   * Runs {@code mtls args...}.
   *
   * @param args the command and its arguments
   * @return the exit code and both streams
   */
  public static Cli run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Cli(code, out.toString(), err.toString());
  }

  /**
   * Both streams, for assertion messages.
   *
   * @return out then err
   */
  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- out:\n" + out + "--- err:\n" + err;
  }
}
