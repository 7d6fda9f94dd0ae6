package dev.mtls.cli.pki;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;

/** What a certificate of the PKI is for: its extended key usage. */
enum Role {
  /** A TLS server: {@code serverAuth}. */
  SERVER("1.3.6.1.5.5.7.3.1"),
  /** A TLS client: {@code clientAuth}. */
  CLIENT("1.3.6.1.5.5.7.3.2");

  private final String oid;

  Role(String oid) {
    this.oid = oid;
  }

  String oid() {
    return oid;
  }

  String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The role a certificate was issued for, by its extended key usage; server when it has both. */
  static Role of(X509Certificate certificate) {
    try {
      List<String> usages = certificate.getExtendedKeyUsage();
      return usages != null && usages.contains(CLIENT.oid) && !usages.contains(SERVER.oid) ? CLIENT : SERVER;
    } catch (CertificateParsingException e) {
      return SERVER;
    }
  }
}
