package dev.mtls.cli.check;

import dev.mtls.cli.CliException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code mtls check}: Checks expiry, key-certificate pairs, chains and CRLs, for cron and monitoring. */
@Command(name = "check", mixinStandardHelpOptions = true, description = "Checks expiry, key-certificate pairs, chains and CRLs, for cron and monitoring.")
public final class CheckCommand implements Callable<Integer> {

  @Override
  public Integer call() {
    throw new CliException("check is not built yet");
  }
}
