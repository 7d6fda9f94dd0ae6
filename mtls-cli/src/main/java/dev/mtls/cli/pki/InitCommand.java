package dev.mtls.cli.pki;

import dev.mtls.cli.CliException;
import dev.mtls.cli.ExitCode;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import dev.mtls.testkit.TestClock;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mtls pki init DIR}: a CA, server and client certificates, full chains and an empty CRL. */
@Command(name = "init", mixinStandardHelpOptions = true,
    description = {"Makes a development PKI in DIR: ca.pem, ca-key.pem, NAME.pem, NAME-key.pem,",
        "NAME-fullchain.pem per certificate, an empty crl.pem and inventory.json.",
        "Refuses to overwrite an existing PKI."})
final class InitCommand implements Callable<Integer> {
  /** The CA outlives every certificate the profiles make. */
  private static final Duration CA_VALIDITY = Duration.ofDays(Issuing.MAX_DAYS + 1);

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR", description = "The directory; made if missing.")
  Path directory;

  @Option(names = "--server", paramLabel = "NAME", description = "A server certificate (repeatable).")
  List<String> servers = new ArrayList<>();

  @Option(names = "--client", paramLabel = "NAME", description = "A client certificate (repeatable).")
  List<String> clients = new ArrayList<>();

  @Option(names = "--san", paramLabel = "NAME",
      description = "A further DNS name, IP address or spiffe:// URI for every server (repeatable).")
  List<String> sans = new ArrayList<>();

  @Option(names = "--profile", defaultValue = "dev",
      description = "dev (365 days) or prod (90 days). Default: ${DEFAULT-VALUE}.")
  Profile profile;

  @Option(names = "--days", description = "Validity of the certificates in days; overrides the profile.")
  @Nullable Integer days;

  @Option(names = "--key", defaultValue = "ec", description = "ec (P-256) or rsa (2048). Default: ${DEFAULT-VALUE}.")
  KeyChoice key;

  @Option(names = "--encrypt-keys",
      description = "Encrypt the private keys (PKCS#8, AES-256); the password from --password-file or the terminal.")
  boolean encryptKeys;

  @Option(names = "--password-file", paramLabel = "FILE",
      description = "A file whose first line is the keys' password.")
  @Nullable Path passwordFile;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    int validDays = days != null ? days : profile.days();
    Issuing.checkDays(validDays);
    if (passwordFile != null && !encryptKeys) {
      throw new CliException("--password-file is for --encrypt-keys", ExitCode.USAGE);
    }
    Set<String> names = new LinkedHashSet<>();
    for (String name : concat(servers, clients)) {
      if (!names.add(Names.checkName(name))) {
        throw new CliException("the name " + name + " is given twice: every certificate needs its own",
            ExitCode.USAGE);
      }
    }
    PkiDirectory pki = new PkiDirectory(directory);
    refuseExisting(pki, names);
    char[] password = encryptKeys ? Passwords.read(passwordFile, true) : null;
    try {
      TestClock clock = new TestClock();
      TestCa ca = TestCa.builder()
          .commonName("mtls development CA " + clock.instant().toString().substring(0, 10))
          .keyType(key.type())
          .clock(clock)
          .validity(CA_VALIDITY)
          .build();
      PkiDirectory.Authority authority = new PkiDirectory.Authority(ca, password);
      AtomicFiles.writePublic(pki.file(PkiDirectory.CA_CERTIFICATE), ca.certificatePem());
      AtomicFiles.writeSecret(pki.file(PkiDirectory.CA_KEY),
          password == null ? ca.privateKeyPem() : ca.encryptedPrivateKeyPem(password));
      out.printf("Made a PKI in %s (%s profile, %d days, %s keys%s):%n", directory,
          profile.name().toLowerCase(java.util.Locale.ROOT), validDays, key.label(),
          password == null ? "" : ", encrypted");
      out.printf("  %-28s the CA certificate (%s, until %s): what peers trust%n",
          PkiDirectory.CA_CERTIFICATE, ca.subject().getName(), ca.certificate().getNotAfter().toInstant());
      out.printf("  %-28s the CA's private key: PROTECT IT. Whoever holds it can issue certificates"
          + " your services trust; keep it off servers and out of version control.%n", PkiDirectory.CA_KEY);
      for (String name : servers) {
        IssuedCertificate issued = Issuing.issueAndWrite(pki, authority, name, Role.SERVER, sans, validDays, key);
        Issuing.describe(out, name, issued.certificate());
      }
      for (String name : clients) {
        IssuedCertificate issued = Issuing.issueAndWrite(pki, authority, name, Role.CLIENT, List.of(), validDays, key);
        Issuing.describe(out, name, issued.certificate());
      }
      pki.writeCrl(ca, null, Map.of());
      pki.writeInventory();
      out.printf("  %-28s an empty CRL, number 1, next update in %d days (pki revoke and pki renew re-sign it)%n",
          PkiDirectory.CRL, PkiDirectory.CRL_VALIDITY.toDays());
      out.printf("  %-28s name, role, serial, SANs and expiry of each certificate%n", PkiDirectory.INVENTORY);
      out.println("Private keys (*-key.pem) are readable by their owner only.");
      return ExitCode.OK;
    } finally {
      if (password != null) {
        Arrays.fill(password, '\0');
      }
    }
  }

  private void refuseExisting(PkiDirectory pki, Set<String> names) {
    if (Files.exists(directory) && !Files.isDirectory(directory)) {
      throw new CliException(directory + " is not a directory");
    }
    Set<String> files = new LinkedHashSet<>(List.of(PkiDirectory.CA_CERTIFICATE, PkiDirectory.CA_KEY,
        PkiDirectory.CRL, PkiDirectory.INVENTORY));
    for (String name : names) {
      files.add(name + ".pem");
      files.add(name + "-key.pem");
      files.add(name + "-fullchain.pem");
    }
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new CliException("cannot make the directory " + directory + ": " + e);
    }
    List<String> existing = pki.existing(files);
    if (!existing.isEmpty()) {
      throw new CliException(directory + " already holds a PKI (" + String.join(", ", existing)
          + "): refusing to overwrite it. Use `mtls pki issue` to add certificates, or another directory");
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
