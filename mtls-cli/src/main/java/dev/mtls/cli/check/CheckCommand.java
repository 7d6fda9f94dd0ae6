package dev.mtls.cli.check;

import dev.mtls.cli.CliException;
import dev.mtls.cli.ExitCode;
import dev.mtls.cli.describe.CertificateDetails;
import dev.mtls.cli.describe.CrlDetails;
import dev.mtls.cli.describe.KeyDetails;
import dev.mtls.cli.describe.MaterialFile;
import dev.mtls.cli.text.Json;
import dev.mtls.core.internal.SafeText;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mtls check PATH...}: for cron and monitoring. Every certificate's expiry, every key
 * against its certificate, every chain against the CA, every CRL's freshness and signature; one
 * line per finding, starting with {@code OK}, {@code EXPIRING}, {@code EXPIRED} or {@code
 * BROKEN}; exit 0 when all is well, 1 when something expires within {@code --warn-days}, 2 when
 * something is broken (expired included).
 */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = {"Checks certificates, keys, chains and CRLs in files and directories, for cron and monitoring:",
        "expiry, each key against its certificate (NAME.pem/NAME-key.pem, cert.pem/key.pem, tls.crt/tls.key),",
        "chains leading to the CA (--ca, else any ca.pem found), CRLs fresh and signed by the CA, certificates revoked.",
        "One line per finding: OK, EXPIRING, EXPIRED or BROKEN.",
        "Exit 0 all good, 1 something expires within --warn-days, 2 something is broken."})
public final class CheckCommand implements Callable<Integer> {
  /** How deep a directory is searched, and how many files are read at most. */
  static final int MAX_DEPTH = 4;
  static final int MAX_FILES = 1000;
  private static final Set<String> EXTENSIONS = Set.of(".pem", ".crt", ".cer", ".key", ".crl", ".der");
  /** A CRL counts as expiring when its next update is this close: CRLs are re-signed often. */
  private static final Duration CRL_WARNING = Duration.ofDays(1);

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files or directories (searched "
      + MAX_DEPTH + " levels deep, at most " + MAX_FILES + " files).")
  List<Path> paths;

  @Option(names = "--warn-days", defaultValue = "30",
      description = "EXPIRING when a certificate ends within this many days. Default: ${DEFAULT-VALUE}.")
  int warnDays;

  @Option(names = "--ca", paramLabel = "FILE", description = "The CA certificate(s) chains must lead to. Default: any ca.pem found.")
  @Nullable Path ca;

  @Option(names = "--json", description = "One JSON document, for tools.")
  boolean json;

  /** Creates the command; picocli calls this. */
  public CheckCommand() {}

  /** How bad a finding is, in the order of the exit codes. */
  enum Level {
    OK, NOTE, EXPIRING, EXPIRED, BROKEN
  }

  /** One line of the report. */
  record Finding(Level level, String file, String what, String message) {
    Map<String, Object> toMap() {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("level", level.name());
      map.put("file", file);
      map.put("subject", what);
      map.put("message", message);
      return map;
    }

    String line() {
      return String.format("%-8s %s: %s%s", level, SafeText.line(file),
          what.isEmpty() ? "" : SafeText.line(what) + ": ", SafeText.line(message));
    }
  }

  @Override
  public Integer call() {
    if (warnDays < 0 || warnDays > 3650) {
      throw new CliException("--warn-days must be between 0 and 3650: " + warnDays, ExitCode.USAGE);
    }
    Instant now = Instant.now();
    List<Finding> findings = new ArrayList<>();
    List<MaterialFile> files = new ArrayList<>();
    for (Path file : collect(findings)) {
      try {
        files.add(MaterialFile.read(file));
      } catch (CliException e) {
        findings.add(new Finding(Level.BROKEN, file.toString(), "", e.getMessage()));
      }
    }
    List<X509Certificate> anchors = anchors(files, findings);
    List<X509CRL> crls = new ArrayList<>();
    int certificates = 0;
    for (MaterialFile file : files) {
      crls.addAll(file.crls());
      certificates += file.certificates().size();
    }
    if (certificates == 0 && findings.stream().noneMatch(f -> f.level() == Level.BROKEN)) {
      findings.add(new Finding(Level.BROKEN, String.join(" ", paths.stream().map(Path::toString).toList()), "",
          "no certificate found"));
    }
    for (MaterialFile file : files) {
      checkCertificates(file, anchors, crls, now, findings);
      checkKeys(file, findings);
      checkCrls(file, anchors, now, findings);
    }
    Level worst = findings.stream().map(Finding::level).max(Enum::compareTo).orElse(Level.OK);
    int code = switch (worst) {
      case OK, NOTE -> ExitCode.OK;
      case EXPIRING -> ExitCode.WARNING;
      case EXPIRED, BROKEN -> ExitCode.BROKEN;
    };
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> report = new LinkedHashMap<>();
      report.put("exitCode", code);
      report.put("findings", findings.stream().map(Finding::toMap).toList());
      out.println(Json.write(report));
    } else {
      findings.forEach(finding -> out.println(finding.line()));
      Map<Level, Long> counts = new LinkedHashMap<>();
      findings.forEach(finding -> counts.merge(finding.level(), 1L, Long::sum));
      out.printf("check: %d file%s, %d certificate%s: %s%n", files.size(), files.size() == 1 ? "" : "s",
          certificates, certificates == 1 ? "" : "s",
          String.join(", ", counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).toList()));
    }
    return code;
  }

  /** The files to read: those named, and those found in the directories named, within the limits. */
  private List<Path> collect(List<Finding> findings) {
    Set<Path> found = new LinkedHashSet<>();
    for (Path path : paths) {
      if (Files.isDirectory(path)) {
        try (Stream<Path> walk = Files.walk(path, MAX_DEPTH)) {
          walk.filter(p -> !p.equals(path) && !hidden(path.relativize(p)))
              .filter(p -> Files.isRegularFile(p) && known(p))
              .limit(MAX_FILES + 1L - found.size())
              .sorted()
              .forEach(found::add);
        } catch (IOException | java.io.UncheckedIOException e) {
          findings.add(new Finding(Level.BROKEN, path.toString(), "", "cannot be searched: " + e.getMessage()));
        }
      } else if (Files.exists(path)) {
        found.add(path);
      } else {
        findings.add(new Finding(Level.BROKEN, path.toString(), "", "no such file or directory"));
      }
      if (found.size() > MAX_FILES) {
        throw new CliException("more than " + MAX_FILES + " files to check under " + path
            + ": name the directories that hold the certificates", ExitCode.BROKEN);
      }
    }
    return List.copyOf(found);
  }

  /** Kubernetes secret volumes hold every file twice, behind {@code ..data}: the hidden copies are skipped. */
  private static boolean hidden(Path relative) {
    for (Path part : relative) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  private static boolean known(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return EXTENSIONS.stream().anyMatch(name::endsWith);
  }

  private List<X509Certificate> anchors(List<MaterialFile> files, List<Finding> findings) {
    List<X509Certificate> anchors = new ArrayList<>();
    if (ca != null) {
      try {
        anchors.addAll(MaterialFile.read(ca).certificates());
      } catch (CliException e) {
        findings.add(new Finding(Level.BROKEN, ca.toString(), "", "the CA file: " + e.getMessage()));
      }
      return anchors;
    }
    for (MaterialFile file : files) {
      String name = file.file().getFileName().toString();
      if (name.equals("ca.pem") || name.equals("ca.crt")) {
        anchors.addAll(file.certificates());
      }
    }
    if (anchors.isEmpty()) {
      findings.add(new Finding(Level.NOTE, String.join(" ", paths.stream().map(Path::toString).toList()), "",
          "no CA given (--ca) or found (ca.pem, ca.crt): chains not checked"));
    }
    return anchors;
  }

  private void checkCertificates(MaterialFile file, List<X509Certificate> anchors, List<X509CRL> crls,
      Instant now, List<Finding> findings) {
    List<X509Certificate> certificates = file.certificates();
    for (int i = 0; i < certificates.size(); i++) {
      X509Certificate certificate = certificates.get(i);
      String what = certificate.getSubjectX500Principal().getName() + " (serial "
          + certificate.getSerialNumber().toString(16) + ")";
      Instant notAfter = certificate.getNotAfter().toInstant();
      long days = Duration.between(now, notAfter).toDays();
      boolean problem = false;
      if (now.isAfter(notAfter)) {
        findings.add(new Finding(Level.EXPIRED, file.file().toString(), what,
            "expired " + Duration.between(notAfter, now).toDays() + " days ago, " + notAfter));
        problem = true;
      } else if (now.plus(Duration.ofDays(warnDays)).isAfter(notAfter)) {
        findings.add(new Finding(Level.EXPIRING, file.file().toString(), what,
            "expires in " + days + " days, " + notAfter));
        problem = true;
      }
      if (now.isBefore(certificate.getNotBefore().toInstant())) {
        findings.add(new Finding(Level.BROKEN, file.file().toString(), what,
            "not valid before " + certificate.getNotBefore().toInstant()));
        problem = true;
      }
      boolean isAnchor = anchors.contains(certificate);
      if (i == 0 && !isAnchor && !anchors.isEmpty() && !problem) {
        String chainProblem = chainProblem(certificates, anchors, now);
        if (chainProblem != null) {
          findings.add(new Finding(Level.BROKEN, file.file().toString(), what, chainProblem));
          problem = true;
        }
      }
      for (X509CRL crl : crls) {
        X509CRLEntry entry = crl.getIssuerX500Principal().equals(certificate.getIssuerX500Principal())
            ? crl.getRevokedCertificate(certificate.getSerialNumber()) : null;
        if (entry != null && i == 0) {
          findings.add(new Finding(Level.BROKEN, file.file().toString(), what, "revoked "
              + entry.getRevocationDate().toInstant() + " (CRL number " + CrlDetails.number(crl) + ")"));
          problem = true;
        }
      }
      CertificateDetails.weakKey(certificate.getPublicKey()).ifPresent(weak ->
          findings.add(new Finding(Level.BROKEN, file.file().toString(), what, weak)));
      if (!problem && i == 0) {
        findings.add(new Finding(Level.OK, file.file().toString(), what, "valid for " + days + " more days, until "
            + notAfter + (isAnchor || anchors.isEmpty() ? "" : ", chain leads to the CA")));
      }
    }
  }

  private static @Nullable String chainProblem(List<X509Certificate> chain, List<X509Certificate> anchors,
      Instant now) {
    try {
      Set<TrustAnchor> trust = new LinkedHashSet<>();
      anchors.forEach(anchor -> trust.add(new TrustAnchor(anchor, null)));
      List<X509Certificate> path = new ArrayList<>(chain);
      path.removeIf(anchors::contains);
      PKIXParameters parameters = new PKIXParameters(trust);
      parameters.setRevocationEnabled(false);
      parameters.setDate(Date.from(now));
      CertPathValidator.getInstance("PKIX").validate(
          CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
      return null;
    } catch (CertPathValidatorException e) {
      return "does not lead to the CA: " + e.getMessage();
    } catch (GeneralSecurityException | RuntimeException e) {
      return "the chain cannot be checked: " + e.getMessage();
    }
  }

  private static void checkKeys(MaterialFile file, List<Finding> findings) {
    List<MaterialFile.Key> keys = file.keys();
    if (keys.isEmpty()) {
      return;
    }
    Path certificateFile = certificateFor(file.file());
    List<X509Certificate> candidates = new ArrayList<>(file.certificates());
    String certificateName = "the same file";
    if (candidates.isEmpty() && certificateFile != null) {
      try {
        candidates.addAll(MaterialFile.read(certificateFile).certificates());
        certificateName = certificateFile.getFileName().toString();
      } catch (CliException e) {
        // Its own finding: the certificate file is checked on its own.
      }
    }
    for (MaterialFile.Key key : keys) {
      String what = "private key (" + key.label() + ")";
      if (key.key() == null) {
        findings.add(new Finding(Level.NOTE, file.file().toString(), what, key.problem() + "; not matched"));
      } else if (candidates.isEmpty()) {
        findings.add(new Finding(Level.NOTE, file.file().toString(), what,
            "no certificate beside it (in the file, or NAME.pem for NAME-key.pem): not matched"));
      } else if (KeyDetails.matches(key.key(), candidates.get(0).getPublicKey())) {
        findings.add(new Finding(Level.OK, file.file().toString(), what,
            "matches the certificate in " + certificateName + " (" + candidates.get(0).getSubjectX500Principal().getName() + ")"));
      } else {
        findings.add(new Finding(Level.BROKEN, file.file().toString(), what,
            "does not match the certificate in " + certificateName + " ("
                + candidates.get(0).getSubjectX500Principal().getName() + ")"));
      }
    }
  }

  /** The certificate file a key file belongs to by name: NAME-key.pem, key.pem, tls.key. */
  private static @Nullable Path certificateFor(Path keyFile) {
    String name = keyFile.getFileName().toString();
    List<String> candidates = new ArrayList<>();
    if (name.endsWith("-key.pem")) {
      candidates.add(name.substring(0, name.length() - "-key.pem".length()) + ".pem");
    } else if (name.equals("key.pem")) {
      candidates.addAll(List.of("cert.pem", "fullchain.pem", "chain.pem"));
    } else if (name.endsWith(".key")) {
      String base = name.substring(0, name.length() - ".key".length());
      candidates.addAll(List.of(base + ".crt", base + ".pem"));
    }
    for (String candidate : candidates) {
      Path path = keyFile.resolveSibling(candidate);
      if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) || Files.isRegularFile(path)) {
        return path;
      }
    }
    return null;
  }

  private static void checkCrls(MaterialFile file, List<X509Certificate> anchors, Instant now,
      List<Finding> findings) {
    for (X509CRL crl : file.crls()) {
      String what = "CRL of " + crl.getIssuerX500Principal().getName() + " (number " + CrlDetails.number(crl) + ")";
      List<String> broken = new ArrayList<>(CrlDetails.warnings(crl, now));
      if (anchors.isEmpty()) {
        findings.add(new Finding(Level.NOTE, file.file().toString(), what, "no CA to check its signature with"));
      } else if (anchors.stream().noneMatch(anchor -> signedBy(crl, anchor))) {
        broken.add("its signature does not verify with the CA certificate");
      }
      for (String problem : broken) {
        findings.add(new Finding(Level.BROKEN, file.file().toString(), what, problem));
      }
      if (broken.isEmpty()) {
        Instant next = crl.getNextUpdate().toInstant();
        boolean soon = now.plus(CRL_WARNING).isAfter(next);
        findings.add(new Finding(soon ? Level.EXPIRING : Level.OK, file.file().toString(), what,
            (soon ? "next update due within a day, " : "fresh until ") + next
                + (soon ? ": re-sign it (mtls pki renew)" : ", " + revokedCount(crl) + " revoked")));
      }
    }
  }

  private static int revokedCount(X509CRL crl) {
    return crl.getRevokedCertificates() == null ? 0 : crl.getRevokedCertificates().size();
  }

  private static boolean signedBy(X509CRL crl, X509Certificate ca) {
    if (!crl.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
      return false;
    }
    try {
      crl.verify(ca.getPublicKey());
      return true;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }
}
