package dev.mtls.cli.pki;

import dev.mtls.cli.CliException;
import dev.mtls.cli.ExitCode;
import dev.mtls.testkit.RevocationReason;
import dev.mtls.testkit.TestClock;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mtls pki revoke DIR NAME}: lists a certificate in a new crl.pem. */
@Command(name = "revoke", mixinStandardHelpOptions = true,
    description = {"Revokes NAME's certificate: crl.pem is re-signed with it listed and a new CRL number,",
        "replaced in one atomic move, so services watching it refuse the certificate at their next reload."})
final class RevokeCommand implements Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR", description = "The PKI directory.")
  Path directory;

  @Parameters(index = "1", paramLabel = "NAME", description = "The certificate's name.")
  String name;

  @Option(names = "--reason", defaultValue = "unspecified",
      description = "unspecified, key_compromise, affiliation_changed, superseded, cessation_of_operation,"
          + " certificate_hold, privilege_withdrawn. Default: ${DEFAULT-VALUE}.")
  RevocationReason reason;

  @Option(names = "--password-file", paramLabel = "FILE", description = "The keys' password, if encrypted.")
  @Nullable Path passwordFile;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PkiDirectory pki = new PkiDirectory(directory);
    pki.requirePki();
    PkiDirectory.Leaf leaf = pki.leaf(Names.checkName(name));
    if (leaf == null) {
      throw new CliException("no certificate named " + name + " in " + directory);
    }
    BigInteger serial = leaf.certificate().getSerialNumber();
    PkiDirectory.CrlState crl = pki.crl();
    if (crl.revokes(serial)) {
      out.printf("%s (serial %s) is already revoked in %s%n", name, serial.toString(16), pki.file(PkiDirectory.CRL));
      return ExitCode.OK;
    }
    try (PkiDirectory.Authority authority = pki.authority(passwordFile, new TestClock())) {
      pki.writeCrl(authority.ca(), crl, Map.of(serial, reason));
      pki.writeInventory();
    }
    out.printf("Revoked %s (%s, serial %s, reason %s): %s is now CRL number %s%n", name,
        leaf.role().label(), serial.toString(16), reason.name().toLowerCase(java.util.Locale.ROOT),
        pki.file(PkiDirectory.CRL), crl.number().add(BigInteger.ONE));
    return ExitCode.OK;
  }
}
