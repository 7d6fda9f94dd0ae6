package dev.mtls.cli.pki;

import dev.mtls.cli.CliException;
import dev.mtls.cli.ExitCode;
import dev.mtls.testkit.CertificateBuilder;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.KeyType;
import dev.mtls.testkit.TestCa;
import dev.mtls.testkit.TestClock;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mtls pki renew DIR}: re-issues every certificate that expires within the window, in
 * place. Each file is replaced in one atomic move. By default the certificate is re-issued for
 * the key it already has, so a service watching its files sees one change (the certificate) and
 * never a key that does not match it. With {@code --new-key} the key is replaced first and the
 * certificate after it: mtls-core reads the pair twice and refuses a pair that does not match,
 * keeping the old identity until the certificate lands (a reload refused once, then the new pair).
 */
@Command(name = "renew", mixinStandardHelpOptions = true,
    description = {"Re-issues, in place and atomically, every certificate in DIR that expires within the window,",
        "for the same names, usage and validity length; re-signs crl.pem if its next update falls in the window.",
        "Revoked certificates are left alone. For cron: `mtls pki renew DIR --within 30d`."})
final class RenewCommand implements Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR", description = "The PKI directory.")
  Path directory;

  @Option(names = "--within", defaultValue = "30d", converter = DaysConverter.class,
      description = "Renew what expires within this window: 30d, 12h, or days. Default: ${DEFAULT-VALUE}.")
  Duration within;

  @Option(names = "--new-key", description = "Give renewed certificates a fresh key (where the PKI holds the key).")
  boolean newKey;

  @Option(names = "--password-file", paramLabel = "FILE", description = "The keys' password, if encrypted.")
  @Nullable Path passwordFile;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PkiDirectory pki = new PkiDirectory(directory);
    pki.requirePki();
    TestClock clock = new TestClock();
    Instant horizon = clock.instant().plus(within);
    PkiDirectory.CrlState crl = pki.crl();
    List<PkiDirectory.Leaf> due = new ArrayList<>();
    for (PkiDirectory.Leaf leaf : pki.leaves()) {
      if (crl.revokes(leaf.certificate().getSerialNumber())) {
        out.printf("  %-20s revoked: not renewed%n", leaf.name());
      } else if (leaf.certificate().getNotAfter().toInstant().isBefore(horizon)) {
        due.add(leaf);
      }
    }
    boolean crlDue = crl.nextUpdate().isBefore(horizon);
    if (due.isEmpty() && !crlDue) {
      out.printf("Nothing in %s expires within %s: nothing renewed%n", directory, describe(within));
      return ExitCode.OK;
    }
    try (PkiDirectory.Authority authority = pki.authority(passwordFile, clock)) {
      for (PkiDirectory.Leaf leaf : due) {
        renew(out, pki, authority, leaf);
      }
      if (crlDue) {
        pki.writeCrl(authority.ca(), crl, Map.of());
        out.printf("  %-20s re-signed: CRL number %s, next update in %d days%n", PkiDirectory.CRL,
            crl.number().add(java.math.BigInteger.ONE), PkiDirectory.CRL_VALIDITY.toDays());
      }
      pki.writeInventory();
    }
    out.printf("Renewed %d certificate%s in %s%n", due.size(), due.size() == 1 ? "" : "s", directory);
    return ExitCode.OK;
  }

  private void renew(PrintWriter out, PkiDirectory pki, PkiDirectory.Authority authority, PkiDirectory.Leaf leaf) {
    X509Certificate old = leaf.certificate();
    TestCa ca = authority.ca();
    int days = (int) Math.max(1, Math.min(Issuing.MAX_DAYS,
        Duration.between(old.getNotBefore().toInstant(), old.getNotAfter().toInstant()).toDays()));
    Instant caEnd = ca.certificate().getNotAfter().toInstant();
    if (ca.clock().instant().plus(Duration.ofDays(days)).isAfter(caEnd)) {
      throw new CliException("cannot renew " + leaf.name() + ": " + days + " more days would outlive the CA"
          + " (valid until " + caEnd + "); the CA itself needs replacing");
    }
    CertificateBuilder builder = likeOld(ca, old).validFor(Duration.ofDays(days));
    X509Certificate renewed;
    boolean freshKey = newKey && Files.exists(pki.key(leaf.name()));
    if (freshKey) {
      IssuedCertificate issued = builder.keyType(keyTypeOf(old)).issue();
      // The key first, then the certificate: see the class comment for why a watcher is safe.
      Issuing.writeKey(pki, leaf.name(), issued, authority.password());
      renewed = issued.certificate();
    } else {
      renewed = builder.issueFor(old.getPublicKey());
    }
    pki.writeCertificate(leaf.name(), renewed, ca.certificate());
    out.printf("  %-20s renewed (%s): serial %s -> %s, until %s, %s%n", leaf.name(), leaf.role().label(),
        old.getSerialNumber().toString(16), renewed.getSerialNumber().toString(16),
        renewed.getNotAfter().toInstant(), freshKey ? "new key" : "same key");
  }

  /** A builder for a certificate with the old one's subject, names and extended key usage. */
  private static CertificateBuilder likeOld(TestCa ca, X509Certificate old) {
    CertificateBuilder builder = ca.leaf("renewed").subject(
        old.getSubjectX500Principal().getName(javax.security.auth.x500.X500Principal.RFC2253));
    for (String name : PkiDirectory.subjectAltNames(old)) {
      String value = name.substring(name.indexOf(':') + 1);
      if (name.startsWith("DNS:")) {
        builder.dnsNames(value);
      } else if (name.startsWith("IP:")) {
        builder.ipAddresses(value);
      } else if (name.startsWith("URI:")) {
        builder.uris(value);
      } else {
        builder.emails(value);
      }
    }
    try {
      List<String> usages = old.getExtendedKeyUsage();
      if (usages != null) {
        builder.extendedKeyUsages(usages.toArray(String[]::new));
      }
    } catch (CertificateParsingException e) {
      throw new CliException("cannot read the extended key usage of " + old.getSubjectX500Principal());
    }
    return builder;
  }

  private static KeyType keyTypeOf(X509Certificate certificate) {
    return KeyChoice.like(certificate.getPublicKey()).type();
  }

  private static String describe(Duration window) {
    return window.toHours() % 24 == 0 ? window.toDays() + " days" : window.toHours() + " hours";
  }

  /** Reads {@code 30d}, {@code 12h} or a number of days. */
  static final class DaysConverter implements ITypeConverter<Duration> {
    private static final Pattern FORM = Pattern.compile("(\\d{1,5})([dh]?)");

    @Override
    public Duration convert(String value) {
      Matcher matcher = FORM.matcher(value.trim());
      if (!matcher.matches()) {
        throw new CommandLine.TypeConversionException("not a window: '" + value + "' (such as 30d or 12h)");
      }
      long amount = Long.parseLong(matcher.group(1));
      Duration window = matcher.group(2).equals("h") ? Duration.ofHours(amount) : Duration.ofDays(amount);
      if (window.isZero() || window.compareTo(Duration.ofDays(Issuing.MAX_DAYS)) > 0) {
        throw new CommandLine.TypeConversionException("the window must be between 1 hour and "
            + Issuing.MAX_DAYS + " days: '" + value + "'");
      }
      return window;
    }
  }
}
