package dev.mtls.cli.pki;

import dev.mtls.cli.CliException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code mtls pki}: A development PKI on disk: init, issue, revoke, renew, csr, sign. */
@Command(name = "pki", mixinStandardHelpOptions = true, description = "A development PKI on disk: init, issue, revoke, renew, csr, sign.")
public final class PkiCommand implements Callable<Integer> {

  @Override
  public Integer call() {
    throw new CliException("pki is not built yet");
  }
}
