package dev.mtls.cli.pki;

import dev.mtls.cli.CliException;
import dev.mtls.cli.ExitCode;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestClock;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mtls pki issue DIR --server|--client NAME}: one more certificate from the PKI's CA. */
@Command(name = "issue", mixinStandardHelpOptions = true,
    description = "Issues a server or client certificate from the CA in DIR: NAME.pem, NAME-key.pem, NAME-fullchain.pem.")
final class IssueCommand implements Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR", description = "The PKI directory.")
  Path directory;

  @ArgGroup(exclusive = true, multiplicity = "1")
  RoleName target;

  @Option(names = "--san", paramLabel = "NAME",
      description = "A further DNS name, IP address or spiffe:// URI of a server (repeatable).")
  List<String> sans = new ArrayList<>();

  @Option(names = "--profile", defaultValue = "dev", description = "dev (365 days) or prod (90 days).")
  Profile profile;

  @Option(names = "--days", description = "Validity in days; overrides the profile.")
  @Nullable Integer days;

  @Option(names = "--key", description = "ec or rsa. Default: the CA's kind.")
  @Nullable KeyChoice key;

  @Option(names = "--password-file", paramLabel = "FILE", description = "The keys' password, if encrypted.")
  @Nullable Path passwordFile;

  /** {@code --server NAME} or {@code --client NAME}. */
  static final class RoleName {
    @Option(names = "--server", paramLabel = "NAME", required = true, description = "A server certificate.")
    @Nullable String server;

    @Option(names = "--client", paramLabel = "NAME", required = true, description = "A client certificate.")
    @Nullable String client;

    Role role() {
      return server != null ? Role.SERVER : Role.CLIENT;
    }

    String name() {
      return Names.checkName(server != null ? server : java.util.Objects.requireNonNull(client));
    }
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    String name = target.name();
    Role role = target.role();
    if (role == Role.CLIENT && !sans.isEmpty()) {
      throw new CliException("--san is for server certificates", ExitCode.USAGE);
    }
    int validDays = days != null ? days : profile.days();
    Issuing.checkDays(validDays);
    PkiDirectory pki = new PkiDirectory(directory);
    pki.requirePki();
    PkiDirectory.Leaf existing = pki.leaf(name);
    if (existing != null && !pki.crl().revokes(existing.certificate().getSerialNumber())) {
      throw new CliException(pki.certificate(name) + " exists and is not revoked: renew it with"
          + " `mtls pki renew`, or revoke it first to replace it");
    }
    try (PkiDirectory.Authority authority = pki.authority(passwordFile, new TestClock())) {
      KeyChoice keyChoice = key != null ? key : KeyChoice.like(authority.ca().certificate().getPublicKey());
      IssuedCertificate issued = Issuing.issueAndWrite(pki, authority, name, role, sans, validDays, keyChoice);
      pki.writeInventory();
      out.println("Issued in " + directory + ":");
      Issuing.describe(out, name, issued.certificate());
      return ExitCode.OK;
    }
  }
}
