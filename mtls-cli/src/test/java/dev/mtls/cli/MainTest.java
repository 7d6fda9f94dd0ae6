package dev.mtls.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class MainTest {

  @Test
  void help_listsEveryCommand() {
    StringWriter out = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), "--help");

    assertThat(code).isZero();
    assertThat(out.toString()).contains("demo", "pki", "inspect", "check", "serve", "probe");
  }

  @Test
  void unknownCommand_endsWithUsageCode() {
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "frobnicate");

    assertThat(code).isEqualTo(ExitCode.USAGE);
    assertThat(err.toString()).contains("frobnicate");
  }
}
