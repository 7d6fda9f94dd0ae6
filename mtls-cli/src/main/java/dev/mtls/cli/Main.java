package dev.mtls.cli;

import dev.mtls.cli.check.CheckCommand;
import dev.mtls.cli.demo.DemoCommand;
import dev.mtls.cli.inspect.InspectCommand;
import dev.mtls.cli.pki.PkiCommand;
import dev.mtls.cli.probe.ProbeCommand;
import dev.mtls.cli.serve.ServeCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code mtls} command line: {@code java -jar mtls.jar <command>}.
 *
 * <p>{@link #run} is the entry point tests drive: it returns the exit code instead of ending the
 * process, and writes to the given streams.
 */
@Command(
    name = "mtls",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "Mutual TLS without the openssl scripts: a development PKI, certificate checks,"
        + " a probe that explains failed connections, and mTLS servers to try things on.",
    subcommands = {
        DemoCommand.class,
        PkiCommand.class,
        InspectCommand.class,
        CheckCommand.class,
        ServeCommand.class,
        ProbeCommand.class,
        CommandLine.HelpCommand.class,
    })
public final class Main implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /**
   * Runs the command line and ends the process with its exit code.
   *
   * @param args the arguments, the command first
   */
  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    int code = run(out, err, args);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /**
   * Runs the command line without ending the process.
   *
   * @param out where results go
   * @param err where errors and usage go
   * @param args the arguments, the command first
   * @return the exit code
   */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine line = new CommandLine(new Main());
    line.setOut(out);
    line.setErr(err);
    line.setCaseInsensitiveEnumValuesAllowed(true);
    line.setExecutionExceptionHandler(new Failures());
    useUsageCode(line);
    return line.execute(args);
  }

  /** Wrong arguments end with {@link ExitCode#USAGE} on every command, not picocli's 2 (which {@code check} uses). */
  private static void useUsageCode(CommandLine line) {
    line.getCommandSpec().exitCodeOnInvalidInput(ExitCode.USAGE);
    for (CommandLine sub : line.getSubcommands().values()) {
      useUsageCode(sub);
    }
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
