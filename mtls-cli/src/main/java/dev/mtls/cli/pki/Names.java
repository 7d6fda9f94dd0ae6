package dev.mtls.cli.pki;

import dev.mtls.cli.CliException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the PKI accepts as a certificate name (which is also a file name in the PKI directory)
 * and as a subject alternative name: nothing that could leave the directory, hide in a listing
 * or mean something else to a TLS peer.
 */
final class Names {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
  private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
  private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|.*:.*");
  private static final Set<String> RESERVED = Set.of("ca", "ca-key", "crl", "inventory");

  private Names() {}

  /** Checks a certificate's name: letters, digits, dots, dashes, underscores; not a PKI file. */
  static String checkName(String name) {
    if (!NAME.matcher(name).matches() || name.contains("..")) {
      throw new CliException("not a usable certificate name: \"" + printable(name) + "\" (1 to 63"
          + " letters, digits, '.', '-' or '_', starting with a letter or digit)");
    }
    String lower = name.toLowerCase(Locale.ROOT);
    if (RESERVED.contains(lower) || lower.endsWith("-key") || lower.endsWith("-fullchain")) {
      throw new CliException("the name \"" + name + "\" is taken by the PKI's own files: choose another");
    }
    return name;
  }

  /** Whether the text is an IPv4 or IPv6 address literal. */
  static boolean isIpAddress(String text) {
    if (!IP_LITERAL.matcher(text).matches()) {
      return false;
    }
    try {
      // Only literals reach this point: no name lookup happens.
      InetAddress.getByName(text);
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** Checks a DNS name: labels of letters, digits and dashes; a leading {@code *.} if allowed. */
  static String checkDnsName(String name, String what) {
    String rest = name.startsWith("*.") ? name.substring(2) : name;
    boolean ok = name.length() <= 253 && !rest.isEmpty();
    for (String label : rest.split("\\.", -1)) {
      ok &= LABEL.matcher(label).matches();
    }
    if (!ok) {
      throw new CliException("not a DNS name in " + what + ": \"" + printable(name) + "\"");
    }
    return name.toLowerCase(Locale.ROOT);
  }

  static String printable(String text) {
    return dev.mtls.core.internal.SafeText.printable(text);
  }
}
