package dev.mtls.core.internal.validation;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Checks that a server certificate was issued for the host the client meant to reach
 * (RFC 6125 and RFC 2818, 3.1): a DNS name is matched against DNS subject alternative names,
 * an IP literal against IP address SANs. A wildcard stands only for the whole left-most
 * label ({@code *.example.com} matches {@code a.example.com}, not {@code a.b.example.com}
 * nor {@code example.com}). The subject CN is not consulted: certificates name their hosts
 * in SANs.
 */
public final class HostnameMatcher {
  private static final int DNS = 2;
  private static final int IP = 7;

  private HostnameMatcher() {}

  /**
   * Checks a certificate against a host.
   *
   * @param host the host name or IP literal the client connected to
   * @param certificate the server's certificate
   * @return {@code null} when it matches, otherwise a sentence saying what the certificate names
   */
  public static @Nullable String mismatch(String host, X509Certificate certificate) {
    String wanted = stripBrackets(host);
    boolean ipLiteral = isIpLiteral(wanted);
    List<String> names = new ArrayList<>();
    Collection<List<?>> sans;
    try {
      sans = certificate.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      return "its subject alternative names cannot be parsed: " + e.getMessage();
    }
    if (sans != null) {
      for (List<?> san : sans) {
        int type = (Integer) san.get(0);
        String value = String.valueOf(san.get(1));
        if (ipLiteral && type == IP) {
          names.add(value);
          if (sameAddress(wanted, value)) {
            return null;
          }
        } else if (!ipLiteral && type == DNS) {
          names.add(value);
          if (dnsMatches(wanted, value)) {
            return null;
          }
        }
      }
    }
    return "certificate for " + certificate.getSubjectX500Principal() + " does not name host "
        + host + " (its " + (ipLiteral ? "IP" : "DNS") + " names: " + names + ")";
  }

  private static String stripBrackets(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  /**
   * Whether a host is an IP literal (IPv4 dotted quad, or IPv6, bracketed or not) rather than
   * a DNS name.
   *
   * @param host the host
   * @return {@code true} for an IP literal
   */
  public static boolean isIpLiteral(String host) {
    if (host.indexOf(':') >= 0) {
      return true;
    }
    return host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
  }

  private static boolean sameAddress(String host, String certificateName) {
    // Parsed, never resolved: InetAddress.getByName would look up a host such as 999.1.1.1
    // that only looks like a literal.
    IpAddress wanted = IpAddress.parse(host);
    return wanted != null && wanted.equals(IpAddress.parse(certificateName));
  }

  static boolean dnsMatches(String host, String pattern) {
    String h = trimDot(host).toLowerCase(Locale.ROOT);
    String p = trimDot(pattern).toLowerCase(Locale.ROOT);
    if (h.isEmpty() || p.isEmpty() || !isAscii(h) || !isAscii(p)) {
      return false;
    }
    if (!p.startsWith("*.")) {
      return p.indexOf('*') < 0 && h.equals(p);
    }
    String suffix = p.substring(1); // ".example.com"
    if (suffix.indexOf('*') >= 0 || suffix.chars().filter(c -> c == '.').count() < 2) {
      // No wildcards beyond the first label, and none directly under a top-level domain.
      return false;
    }
    int firstDot = h.indexOf('.');
    return firstDot > 0 && h.substring(firstDot).equals(suffix);
  }

  private static String trimDot(String name) {
    return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) > 0x7f) {
        return false;
      }
    }
    return true;
  }
}
