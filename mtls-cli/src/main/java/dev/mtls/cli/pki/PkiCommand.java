package dev.mtls.cli.pki;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code mtls pki}: a development PKI on disk, in place of the openssl scripts every team
 * writes: {@code init} makes a CA with server and client certificates, {@code issue}, {@code
 * revoke}, {@code renew} and {@code sign} keep it up, {@code csr} makes a key and a request for
 * a CA elsewhere.
 *
 * <pre>{@code
 * mtls pki init ./pki --server orders --client billing
 * mtls pki revoke ./pki billing --reason key_compromise
 * mtls pki renew ./pki --within 30d
 * }</pre>
 */
@Command(name = "pki", mixinStandardHelpOptions = true,
    description = "A development PKI on disk: init, issue, revoke, renew, csr, sign.",
    subcommands = {
        InitCommand.class,
        IssueCommand.class,
        RevokeCommand.class,
        RenewCommand.class,
        CsrCommand.class,
        SignCommand.class,
    })
public final class PkiCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** Creates the command; picocli calls this. */
  public PkiCommand() {}

  /** Without a subcommand: prints the usage. */
  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
