package dev.mtls.cli.inspect;

import dev.mtls.cli.CliException;
import dev.mtls.cli.ExitCode;
import dev.mtls.cli.describe.CertificateDetails;
import dev.mtls.cli.describe.CrlDetails;
import dev.mtls.cli.describe.KeyDetails;
import dev.mtls.cli.describe.MaterialFile;
import dev.mtls.cli.text.Json;
import dev.mtls.core.internal.SafeText;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mtls inspect FILE...}: certificates, chains, private keys and CRLs in readable form,
 * with warnings; a key is shown by type and size only, with the certificate it belongs to among
 * those given alongside it, never its material.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = {"Shows certificates, chains, keys and CRLs in readable form (PEM or DER):",
        "subject, issuer, SANs, EKU, validity and days left, key type and size, SHA-256 fingerprint,",
        "revoked entries; warnings for expiring soon, weak keys, SHA-1 and missing EKU.",
        "Keys are shown by type and size, and which certificate given alongside they match; never their material.",
        "Exit code 0, or 3 when a file cannot be read."})
public final class InspectCommand implements Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "PEM or DER files.")
  List<Path> files;

  @Option(names = "--json", description = "One JSON document, for tools.")
  boolean json;

  @Option(names = "--warn-days", defaultValue = "30",
      description = "Warn about certificates expiring within this many days. Default: ${DEFAULT-VALUE}.")
  int warnDays;

  /** Creates the command; picocli calls this. */
  public InspectCommand() {}

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Instant now = Instant.now();
    Duration warnWithin = Duration.ofDays(Math.max(0, warnDays));
    List<MaterialFile> read = new ArrayList<>();
    Map<Path, String> failures = new LinkedHashMap<>();
    for (Path file : files) {
      try {
        read.add(MaterialFile.read(file));
      } catch (CliException e) {
        failures.put(file, e.getMessage());
      }
    }
    List<Map<String, Object>> reports = new ArrayList<>();
    for (Path file : files) {
      Map<String, Object> report = new LinkedHashMap<>();
      report.put("file", file.toString());
      if (failures.containsKey(file)) {
        report.put("error", failures.get(file));
      } else {
        MaterialFile material = read.stream().filter(m -> m.file().equals(file)).findFirst().orElseThrow();
        report.put("items", items(material, read, now, warnWithin));
      }
      reports.add(report);
    }
    if (json) {
      out.println(Json.write(Map.of("files", reports)));
    } else {
      reports.forEach(report -> print(out, report));
    }
    if (!failures.isEmpty()) {
      failures.values().forEach(message -> spec.commandLine().getErr().println("mtls inspect: " + message));
      return ExitCode.FAILED;
    }
    return ExitCode.OK;
  }

  private static List<Map<String, Object>> items(MaterialFile file, List<MaterialFile> all, Instant now,
      Duration warnWithin) {
    List<Map<String, Object>> items = new ArrayList<>();
    List<X509Certificate> certificates = file.certificates();
    for (int i = 0; i < certificates.size(); i++) {
      X509Certificate certificate = certificates.get(i);
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("kind", certificates.size() == 1 ? "certificate"
          : "certificate " + (i + 1) + " of " + certificates.size() + " (chain)");
      item.putAll(CertificateDetails.of(certificate, now));
      List<String> warnings = new ArrayList<>(CertificateDetails.warnings(certificate, now, warnWithin));
      if (i + 1 < certificates.size() && !issued(certificates.get(i + 1), certificate)) {
        warnings.add("the next certificate in the file did not issue this one: the chain is out of order or broken");
      }
      item.put("warnings", warnings);
      items.add(item);
    }
    for (MaterialFile.Key key : file.keys()) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("kind", "private key");
      item.put("format", key.label());
      List<String> warnings = new ArrayList<>();
      if (key.key() == null) {
        item.put("note", key.problem());
      } else {
        item.putAll(KeyDetails.of(key.key()));
        List<String> matches = new ArrayList<>();
        for (MaterialFile other : all) {
          for (X509Certificate certificate : other.certificates()) {
            if (KeyDetails.matches(key.key(), certificate.getPublicKey())) {
              matches.add(certificate.getSubjectX500Principal().getName() + " (" + other.file() + ")");
            }
          }
        }
        item.put("matches", matches);
        if (matches.isEmpty()) {
          warnings.add(all.stream().mapToInt(m -> m.certificates().size()).sum() == 0
              ? "no certificate given alongside to match it with"
              : "it matches none of the certificates given");
        }
      }
      item.put("warnings", warnings);
      items.add(item);
    }
    for (X509CRL crl : file.crls()) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("kind", "CRL");
      item.putAll(CrlDetails.of(crl, now));
      List<String> warnings = new ArrayList<>(CrlDetails.warnings(crl, now));
      X509Certificate issuer = issuerOf(crl, all);
      if (issuer == null) {
        item.put("signature", "not checked: the issuer's certificate was not given alongside");
      } else {
        item.put("signature", "verified with " + issuer.getSubjectX500Principal().getName());
      }
      if (issuer == null && all.stream().anyMatch(m -> m.certificates().stream()
          .anyMatch(c -> c.getSubjectX500Principal().equals(crl.getIssuerX500Principal())))) {
        warnings.add("its signature does not verify with the issuer's certificate given");
        item.put("signature", "FAILS");
      }
      item.put("warnings", warnings);
      items.add(item);
    }
    return items;
  }

  private static X509Certificate issuerOf(X509CRL crl, List<MaterialFile> all) {
    for (MaterialFile file : all) {
      for (X509Certificate certificate : file.certificates()) {
        if (certificate.getSubjectX500Principal().equals(crl.getIssuerX500Principal())) {
          try {
            crl.verify(certificate.getPublicKey());
            return certificate;
          } catch (GeneralSecurityException | RuntimeException e) {
            // Another certificate of the same name may hold the key that signed it.
          }
        }
      }
    }
    return null;
  }

  private static boolean issued(X509Certificate issuer, X509Certificate certificate) {
    try {
      certificate.verify(issuer.getPublicKey());
      return certificate.getIssuerX500Principal().equals(issuer.getSubjectX500Principal());
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  @SuppressWarnings("unchecked")
  private static void print(PrintWriter out, Map<String, Object> report) {
    out.println(SafeText.line(String.valueOf(report.get("file"))));
    if (report.containsKey("error")) {
      out.println("  ERROR " + SafeText.line(String.valueOf(report.get("error"))));
      return;
    }
    for (Map<String, Object> item : (List<Map<String, Object>>) report.get("items")) {
      out.println("  " + item.get("kind"));
      for (Map.Entry<String, Object> field : item.entrySet()) {
        if (field.getKey().equals("kind") || field.getKey().equals("warnings")) {
          continue;
        }
        if (field.getKey().equals("revoked") && field.getValue() instanceof List<?> entries) {
          for (Object entry : entries) {
            out.printf("    %-20s %s%n", "revoked", text(((Map<String, Object>) entry).values()));
          }
          continue;
        }
        out.printf("    %-20s %s%n", field.getKey(), text(field.getValue()));
      }
      for (Object warning : (List<Object>) item.get("warnings")) {
        out.printf("    %-20s %s%n", "WARNING", SafeText.line(String.valueOf(warning)));
      }
    }
  }

  private static String text(Object value) {
    if (value instanceof Collection<?> values) {
      List<String> parts = new ArrayList<>();
      values.forEach(v -> parts.add(SafeText.line(String.valueOf(v))));
      return parts.isEmpty() ? "-" : String.join(", ", parts);
    }
    return SafeText.line(String.valueOf(value));
  }
}
