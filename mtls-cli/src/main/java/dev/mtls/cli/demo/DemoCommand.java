package dev.mtls.cli.demo;

import dev.mtls.cli.CliException;
import dev.mtls.cli.server.Engine;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mtls demo}: in one process, an in-memory CA, an mTLS HTTPS server on the engine asked
 * for, and a scripted tour of clients; prints a table of what each client should meet, what it
 * met and why, and ends with 0 only when every outcome was the expected one.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Runs, in one process, an in-memory CA, an mTLS HTTPS server and a scripted tour of clients: allowed,"
            + " no certificate, name not allowed, other CA, expired, revoked, TLS 1.2 only, and a server"
            + " certificate rotated on disk and picked up without a restart.",
        "Prints a table: each client, what should happen, what did, and why (the server context's verdict"
            + " and the client's explanation). Needs nothing but the JDK; writes only to a temporary"
            + " directory, deleted at the end."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        " 0:every client's outcome was the expected one",
        " 1:some client's outcome was not the expected one (the table marks it, --verbose says more)",
        " 2:the demo could not run (the server did not start, say)",
        "64:wrong arguments"})
public final class DemoCommand implements Callable<Integer> {
  /** Exit code: some outcome was not the expected one. */
  public static final int UNEXPECTED_OUTCOME = 1;
  /** Exit code: the demo could not run at all. */
  public static final int COULD_NOT_RUN = 2;

  @Spec
  @Nullable CommandSpec spec;

  @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "jetty",
      description = "The adapter the server runs on: jetty, tomcat or netty (default ${DEFAULT-VALUE}).")
  Engine engine = Engine.JETTY;

  @Option(names = {"-v", "--verbose"}, description = "Prints the server's verdict and the client's explanation in"
      + " full under each row.")
  boolean verbose;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec().commandLine().getOut();
    long started = System.nanoTime();
    List<Tour.Row> rows;
    String where;
    try (DemoPki pki = DemoPki.create()) {
      DemoServer server;
      try {
        server = DemoServer.start(engine, pki);
      } catch (RuntimeException e) {
        throw new CliException("the demo server did not start on " + engine.name().toLowerCase(Locale.ROOT)
            + ": " + e.getMessage(), COULD_NOT_RUN);
      }
      try (server) {
        where = "mTLS server on " + engine.name().toLowerCase(Locale.ROOT) + " at " + server.hello().resolve("/")
            + " (TLS 1.3, client CN=orders allowed, CA " + pki.ca.subject().getName() + ")";
        out.println(where);
        out.println();
        rows = new Tour(pki, server).run();
      }
    }
    ResultTable.print(out, rows, verbose);
    long failed = rows.stream().filter(row -> !row.asExpected()).count();
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    out.println();
    out.println(failed == 0
        ? "all " + rows.size() + " outcomes as expected (" + took.toMillis() + " ms)"
        : failed + " of " + rows.size() + " outcomes NOT as expected (" + took.toMillis() + " ms)");
    out.flush();
    return failed == 0 ? 0 : UNEXPECTED_OUTCOME;
  }

  private CommandSpec spec() {
    if (spec == null) {
      throw new IllegalStateException("picocli did not inject the command spec");
    }
    return spec;
  }
}
