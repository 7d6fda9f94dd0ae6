package dev.mtls.cli.probe;

import dev.mtls.cli.CliException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code mtls probe}: Connects to an mTLS server and explains what happened. */
@Command(name = "probe", mixinStandardHelpOptions = true, description = "Connects to an mTLS server and explains what happened.")
public final class ProbeCommand implements Callable<Integer> {

  @Override
  public Integer call() {
    throw new CliException("probe is not built yet");
  }
}
