package dev.mtls.cli.demo;

import dev.mtls.cli.CliException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code mtls demo}: Runs an in-memory CA, an mTLS server and a scripted tour of clients. */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Runs an in-memory CA, an mTLS server and a scripted tour of clients.")
public final class DemoCommand implements Callable<Integer> {

  @Override
  public Integer call() {
    throw new CliException("demo is not built yet");
  }
}
