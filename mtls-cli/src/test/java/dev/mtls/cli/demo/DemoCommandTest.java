package dev.mtls.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.cli.Main;
import dev.mtls.cli.server.Engine;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * {@code mtls demo} through {@link Main#run} on each engine: a real server, real handshakes
 * over loopback, certificates made at run time; every row of the table as the issue lists it,
 * with the server's verdict and the client's explanation as reasons, and exit code 0.
 */
class DemoCommandTest {

  @ParameterizedTest
  @EnumSource(Engine.class)
  void demo_meetsEveryClientAsExpected_andEndsWithZero(Engine engine) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true),
        "demo", "--engine", engine.name().toLowerCase(Locale.ROOT));

    String table = out.toString();
    assertThat(code).as(table + err).isZero();
    assertThat(table).startsWith("mTLS server on " + engine.name().toLowerCase(Locale.ROOT) + " at https://");
    // Netty on OpenSSL answers a client certificate its trust manager refused with the alert
    // internal_error, which the client can only call SERVER_CERTIFICATE_REFUSED; the server's
    // verdict is the same on every engine.
    String refusedClient = engine == Engine.NETTY ? "(CLIENT|SERVER)_CERTIFICATE_REFUSED" : "CLIENT_CERTIFICATE_REFUSED";
    assertThat(rows(table)).hasSize(7);
    assertThat(rows(table).get(0)).isEqualTo(row("allowed (CN=orders)", "allowed (200)", "HTTP 200", "server: allowed"));
    assertThat(rows(table).get(1)).isEqualTo(
        row("no certificate", "refused 401 NO_CERTIFICATE", "HTTP 401", "server: NO_CERTIFICATE"));
    assertThat(rows(table).get(2)).isEqualTo(row("name not allowed (CN=intruder)", "refused 403 IDENTITY_NOT_ALLOWED",
        "HTTP 403", "server: IDENTITY_NOT_ALLOWED"));
    assertThat(rows(table).get(3)).matches(Pattern.quote(row("other CA", "refused in TLS UNTRUSTED_ISSUER",
        "no connection (TLS)", "server: UNTRUSTED_ISSUER; client: ")) + refusedClient);
    assertThat(rows(table).get(4)).isEqualTo(
        row("expired certificate", "refused in TLS EXPIRED", "no connection", "server: EXPIRED"));
    assertThat(rows(table).get(5)).matches(Pattern.quote(row("revoked certificate", "refused in TLS REVOKED",
        "no connection (TLS)", "server: REVOKED; client: ")) + refusedClient);
    assertThat(rows(table).get(6)).isEqualTo(row("TLS 1.2 only", "refused in TLS NO_COMMON_PROTOCOL",
        "no connection (TLS)", "client: NO_COMMON_PROTOCOL"));
    assertThat(table).containsPattern("\n  server certificate rotated +new serial, no restart +HTTP 200, serial"
        + " ([0-9a-f]+) -> (?!\\1)[0-9a-f]+ +server: identity reloaded\n");
    assertThat(table).doesNotContain("\n! ").contains("all 8 outcomes as expected (");
  }

  @Test
  void verbose_printsTheServersVerdictAndTheClientsExplanationUnderEachRow() {
    StringWriter out = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), "demo", "--verbose");

    assertThat(code).as(out.toString()).isZero();
    assertThat(out.toString())
        .contains("      server: CN=intruder")
        .containsPattern("      server: .*revoked")
        .contains("      client: cannot connect to https://")
        .contains("      server: identity RELOADED: CN=localhost (serial ");
  }

  @Test
  void help_documentsTheExitCodes() {
    StringWriter out = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), "demo", "--help");

    assertThat(code).isZero();
    assertThat(out.toString()).contains("--engine=ENGINE", "jetty, tomcat or netty", "Exit codes:",
        "0   every client's outcome was the expected one", "1   some client's outcome was not the expected one",
        "2   the demo could not run");
  }

  @Test
  void table_marksAnOutcomeNotAsExpected_andPrintsItsDetails() {
    StringWriter out = new StringWriter();
    ResultTable.print(new PrintWriter(out, true), List.of(
        new Tour.Row("allowed", "allowed (200)", "HTTP 200", "server: allowed", true, List.of("hidden")),
        new Tour.Row("revoked", "refused in TLS REVOKED", "HTTP 200", "server: allowed", false,
            List.of("server: allowed CN=orders"))), false);

    assertThat(out.toString()).isEqualTo(""
        + "  client   expected                outcome   reason\n"
        + "  ------   --------                -------   ------\n"
        + "  allowed  allowed (200)           HTTP 200  server: allowed\n"
        + "! revoked  refused in TLS REVOKED  HTTP 200  server: allowed\n"
        + "      server: allowed CN=orders\n");
  }

  private static List<String> rows(String table) {
    return table.lines().filter(line -> line.startsWith("  ") || line.startsWith("! "))
        .filter(line -> !line.startsWith("      "))
        .skip(2)
        .filter(line -> !line.startsWith("  server certificate rotated"))
        .map(line -> line.substring(2).replaceAll(" {2,}", " | ").trim())
        .toList();
  }

  private static String row(String... cells) {
    return String.join(" | ", cells);
  }
}
