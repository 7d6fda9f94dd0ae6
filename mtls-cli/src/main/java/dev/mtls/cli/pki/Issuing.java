package dev.mtls.cli.pki;

import dev.mtls.cli.CliException;
import dev.mtls.testkit.CertificateBuilder;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import java.io.PrintWriter;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Issues the PKI's leaf certificates: servers get their name, {@code localhost}, {@code
 * 127.0.0.1} and any {@code --san} as subject alternative names and {@code serverAuth}; clients
 * their name as common name and {@code clientAuth}. No certificate outlives the CA.
 */
final class Issuing {
  static final int MAX_DAYS = 3650;

  private Issuing() {}

  /** A builder for {@code name}'s certificate, valid for {@code days}, without names or usage yet. */
  static CertificateBuilder validFor(TestCa ca, String name, int days) {
    checkDays(days);
    Instant notAfter = ca.clock().instant().plus(Duration.ofDays(days));
    if (notAfter.isAfter(ca.certificate().getNotAfter().toInstant())) {
      throw new CliException("a certificate for " + days + " days would outlive the CA (valid until "
          + ca.certificate().getNotAfter().toInstant() + "): give fewer --days");
    }
    return ca.leaf(name).validFor(Duration.ofDays(days));
  }

  /** A builder for {@code name}'s certificate, with the role's names and usage. */
  static CertificateBuilder builder(TestCa ca, String name, Role role, List<String> sans, int days) {
    CertificateBuilder builder = validFor(ca, name, days);
    if (role == Role.CLIENT) {
      return builder.clientAuth();
    }
    Set<String> dns = new LinkedHashSet<>();
    Set<String> ips = new LinkedHashSet<>();
    List<String> uris = new ArrayList<>();
    if (isDnsName(name)) {
      dns.add(name.toLowerCase(java.util.Locale.ROOT));
    }
    dns.add("localhost");
    ips.add("127.0.0.1");
    for (String san : sans) {
      if (Names.isIpAddress(san)) {
        ips.add(san);
      } else if (san.startsWith("spiffe://")) {
        uris.add(san);
      } else {
        dns.add(Names.checkDnsName(san, "--san"));
      }
    }
    return builder.dnsNames(dns.toArray(String[]::new)).ipAddresses(ips.toArray(String[]::new))
        .uris(uris.toArray(String[]::new)).serverAuth();
  }

  static void checkDays(int days) {
    if (days < 1 || days > MAX_DAYS) {
      throw new CliException("--days must be between 1 and " + MAX_DAYS + ": " + days);
    }
  }

  private static boolean isDnsName(String name) {
    try {
      Names.checkDnsName(name, "name");
      return true;
    } catch (CliException e) {
      return false;
    }
  }

  /** Issues a certificate with a fresh key and writes its key, certificate and full chain. */
  static IssuedCertificate issueAndWrite(PkiDirectory pki, PkiDirectory.Authority authority,
      String name, Role role, List<String> sans, int days, KeyChoice key) {
    IssuedCertificate issued = builder(authority.ca(), name, role, sans, days).keyType(key.type()).issue();
    writeKey(pki, name, issued, authority.password());
    pki.writeCertificate(name, issued.certificate(), authority.ca().certificate());
    return issued;
  }

  static void writeKey(PkiDirectory pki, String name, IssuedCertificate issued, char @Nullable [] password) {
    AtomicFiles.writeSecret(pki.key(name),
        password == null ? issued.privateKeyPem() : issued.encryptedPrivateKeyPem(password));
  }

  /** One line about a certificate just made. */
  static void describe(PrintWriter out, String name, X509Certificate certificate) {
    String names = String.join(" ", PkiDirectory.subjectAltNames(certificate));
    out.printf("  %-28s %s certificate, serial %s, %s, until %s%n", name + ".pem",
        Role.of(certificate).label(), certificate.getSerialNumber().toString(16),
        names.isEmpty() ? "CN=" + name : names, certificate.getNotAfter().toInstant());
  }
}
