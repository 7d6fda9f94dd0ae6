package dev.mtls.core.internal.validation;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The extended key usage of CA certificates as a constraint on what they issue: a CA
 * certificate that carries the extension may issue only for the purposes it lists (or any,
 * with {@code anyExtendedKeyUsage}). RFC 5280 leaves the extension on a CA certificate
 * undefined; Go, rustls-webpki, Windows and the CA/Browser Forum read it this way, so a CA
 * limited to e-mail protection cannot vouch for a TLS server.
 */
final class ChainPurpose {
  private static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";

  private ChainPurpose() {}

  /**
   * The first CA certificate of the path whose extended key usage leaves the purpose out.
   *
   * @param path leaf first, the trust anchor's certificate last
   * @param purpose the dotted OID of the peer's purpose
   * @return {@code null} when every CA certificate allows it; otherwise which does not
   */
  static @Nullable String problem(List<X509Certificate> path, String purpose) {
    for (int i = 1; i < path.size(); i++) {
      X509Certificate ca = path.get(i);
      List<String> usages;
      try {
        usages = ca.getExtendedKeyUsage();
      } catch (CertificateParsingException e) {
        return "issuing certificate " + ca.getSubjectX500Principal() + " has an extended key usage that cannot be read";
      }
      if (usages != null && !usages.contains(purpose) && !usages.contains(ANY_EXTENDED_KEY_USAGE)) {
        String which = i == path.size() - 1 ? "trust anchor " : "issuing certificate ";
        return which + ca.getSubjectX500Principal() + " may issue only for the purposes of its extended key usage "
            + describe(usages) + ", which leave out " + name(purpose);
      }
    }
    return null;
  }

  private static String describe(List<String> usages) {
    return usages.stream().map(ChainPurpose::name).toList().toString();
  }

  static String name(String oid) {
    return switch (oid) {
      case "1.3.6.1.5.5.7.3.1" -> "serverAuth";
      case "1.3.6.1.5.5.7.3.2" -> "clientAuth";
      case "1.3.6.1.5.5.7.3.4" -> "emailProtection";
      case ANY_EXTENDED_KEY_USAGE -> "anyExtendedKeyUsage";
      default -> oid;
    };
  }
}
