package dev.mtls.cli.inspect;

import dev.mtls.cli.CliException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code mtls inspect}: Shows certificates, chains, keys and CRLs in readable form. */
@Command(name = "inspect", mixinStandardHelpOptions = true, description = "Shows certificates, chains, keys and CRLs in readable form.")
public final class InspectCommand implements Callable<Integer> {

  @Override
  public Integer call() {
    throw new CliException("inspect is not built yet");
  }
}
