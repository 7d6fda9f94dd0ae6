package dev.mtls.core.internal.validation;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.jspecify.annotations.Nullable;

/**
 * The name constraints of a path (<a
 * href="https://www.rfc-editor.org/rfc/rfc5280#section-4.2.1.10">RFC 5280, 4.2.1.10</a>) beyond
 * what PKIX validation judges: the work they may cost, their form, and wildcard names.
 *
 * <ul>
 *   <li>Cost: every name of a certificate is compared with every subtree of every CA above it,
 *       so a chain with thousands of both costs seconds in PKIX (1.8 s for 1,024 of each, measured
 *       with {@code NameConstraintsBenchmark}). Before PKIX runs, the comparisons a path asks
 *       for are counted and a path that asks for more than {@link #MAX_COMPARISONS} is refused.
 *       Go caps them at 250,000 per chain, but a comparison in Bouncy Castle's validator costs
 *       microseconds (about 6 us on a busy machine), so the cap here is lower: a CA with 64
 *       subtrees over 128 names still passes.
 *   <li>Form: only CA certificates may carry the extension, and it MUST be critical; it MUST
 *       have permitted or excluded subtrees, and a list of subtrees is never empty; a subtree's
 *       minimum MUST be zero and its maximum absent; a dNSName subtree is a domain name, never
 *       {@code .example.com} (that form is for URIs and e-mail addresses).
 *   <li>Wildcards: {@code *.example.com} may match every name one label under {@code
 *       example.com}, so an excluded {@code admin.example.com} refuses it, where a
 *       literal comparison of the two strings would let it through.
 * </ul>
 *
 * <p>The trust anchor's own constraints are applied here too ({@link AnchorNameConstraints}):
 * PKIX applies only those of the certificates below it.
 */
final class PathNameConstraints {
  /** The most name-to-subtree comparisons a path may ask for. */
  static final int MAX_COMPARISONS = 16_384;

  private static final String NAME_CONSTRAINTS = Extension.nameConstraints.getId();
  private static final String SUBJECT_ALT_NAME = Extension.subjectAlternativeName.getId();

  private PathNameConstraints() {}

  /**
   * Refuses a path whose name constraints would cost too much to check, before PKIX checks them.
   *
   * @param path the presented certificates in issuing order, leaf first, without the anchor
   * @param anchors the anchors the path may end at (those named as its top certificate's issuer)
   * @return {@code null} when the work is within {@link #MAX_COMPARISONS}; otherwise how much it is
   */
  static @Nullable String costProblem(List<X509Certificate> path, List<X509Certificate> anchors) {
    long names = 0;
    long subtrees = 0;
    long comparisons = 0;
    for (X509Certificate certificate : path) {
      comparisons += cost(subtreeCount(certificate), names, subtrees);
      subtrees += subtreeCount(certificate);
      names += nameCount(certificate);
    }
    int anchorSubtrees = 0;
    for (X509Certificate anchor : anchors) {
      anchorSubtrees = Math.max(anchorSubtrees, subtreeCount(anchor));
    }
    comparisons += cost(anchorSubtrees, names, subtrees);
    if (comparisons > MAX_COMPARISONS) {
      return "the chain's name constraints ask for " + comparisons + " comparisons of names with subtrees,"
          + " more than the " + MAX_COMPARISONS + " allowed: " + names + " names under constraints";
    }
    return null;
  }

  /**
   * The first problem with the form of the name constraints of a validated path, or a wildcard
   * name that may match an excluded name.
   *
   * @param path leaf first, the trust anchor's certificate last
   * @return {@code null} when there is none
   */
  static @Nullable String problem(List<X509Certificate> path) {
    for (int i = 0; i < path.size(); i++) {
      X509Certificate certificate = path.get(i);
      byte[] extension = certificate.getExtensionValue(NAME_CONSTRAINTS);
      if (extension == null) {
        continue;
      }
      String which = which(path, i);
      if (i == 0) {
        return which + " is an end-entity certificate with name constraints, which only a CA certificate may"
            + " carry (RFC 5280, 4.2.1.10)";
      }
      if (!Rfc5280Profile.criticalOids(certificate).contains(NAME_CONSTRAINTS)) {
        return which + " has name constraints that are not marked critical (RFC 5280, 4.2.1.10: MUST be)";
      }
      NameConstraints constraints;
      try {
        constraints = NameConstraints.getInstance(Rfc5280Profile.octets(extension));
      } catch (RuntimeException e) {
        return which + " has name constraints that cannot be read";
      }
      String malformed = malformed(constraints);
      if (malformed != null) {
        return which + " has malformed name constraints: " + malformed + " (RFC 5280, 4.2.1.10)";
      }
      String wildcard = wildcardProblem(constraints, path.subList(0, i));
      if (wildcard != null) {
        return wildcard + ", excluded by the name constraints of " + which;
      }
    }
    return AnchorNameConstraints.violation(path.get(path.size() - 1), path.subList(0, path.size() - 1));
  }

  private static String which(List<X509Certificate> path, int i) {
    String role = i == 0 ? "certificate " : i == path.size() - 1 ? "trust anchor " : "issuing certificate ";
    return role + path.get(i).getSubjectX500Principal();
  }

  private static @Nullable String malformed(NameConstraints constraints) {
    GeneralSubtree[] permitted = constraints.getPermittedSubtrees();
    GeneralSubtree[] excluded = constraints.getExcludedSubtrees();
    if (permitted == null && excluded == null) {
      return "neither permitted nor excluded subtrees";
    }
    if (permitted != null && permitted.length == 0) {
      return "an empty list of permitted subtrees";
    }
    if (excluded != null && excluded.length == 0) {
      return "an empty list of excluded subtrees";
    }
    for (GeneralSubtree[] subtrees : new GeneralSubtree[][] {permitted, excluded}) {
      if (subtrees == null) {
        continue;
      }
      for (GeneralSubtree subtree : subtrees) {
        if (subtree.getMinimum().signum() != 0 || subtree.getMaximum() != null) {
          return "a subtree with a minimum other than zero or with a maximum";
        }
        String dnsName = dnsName(subtree.getBase());
        if (dnsName != null && dnsName.startsWith(".")) {
          return "the dNSName subtree \"" + dnsName + "\" starts with a period";
        }
      }
    }
    return null;
  }

  /** A wildcard DNS name below that may match one of the excluded dNSName subtrees. */
  private static @Nullable String wildcardProblem(NameConstraints constraints, List<X509Certificate> below) {
    GeneralSubtree[] excluded = constraints.getExcludedSubtrees();
    if (excluded == null) {
      return null;
    }
    List<String> excludedNames = new ArrayList<>();
    for (GeneralSubtree subtree : excluded) {
      String dnsName = dnsName(subtree.getBase());
      if (dnsName != null) {
        excludedNames.add(canonical(dnsName));
      }
    }
    if (excludedNames.isEmpty()) {
      return null;
    }
    for (X509Certificate certificate : below) {
      for (String name : dnsNames(certificate)) {
        if (!name.startsWith("*.")) {
          continue;
        }
        String base = canonical(name.substring(2));
        for (String excludedName : excludedNames) {
          // The wildcard matches exactly one more label: it may match the excluded name itself
          // when that is one label under its base. (A base within the subtree is refused by
          // PKIX already.)
          int dot = excludedName.indexOf('.');
          if (dot > 0 && excludedName.substring(dot + 1).equals(base)) {
            return "certificate " + certificate.getSubjectX500Principal() + ": the wildcard name " + name
                + " may match the excluded name " + excludedName;
          }
        }
      }
    }
    return null;
  }

  private static String canonical(String dnsName) {
    String lower = dnsName.toLowerCase(Locale.ROOT);
    return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
  }

  private static @Nullable String dnsName(GeneralName name) {
    return name.getTagNo() == GeneralName.dNSName && name.getName() instanceof ASN1String text
        ? text.getString()
        : null;
  }

  private static List<String> dnsNames(X509Certificate certificate) {
    GeneralNames names = subjectAlternativeNames(certificate);
    if (names == null) {
      return List.of();
    }
    List<String> dnsNames = new ArrayList<>();
    for (GeneralName name : names.getNames()) {
      String dnsName = dnsName(name);
      if (dnsName != null) {
        dnsNames.add(dnsName);
      }
    }
    return dnsNames;
  }

  private static @Nullable GeneralNames subjectAlternativeNames(X509Certificate certificate) {
    byte[] extension = certificate.getExtensionValue(SUBJECT_ALT_NAME);
    if (extension == null) {
      return null;
    }
    try {
      return GeneralNames.getInstance(Rfc5280Profile.octets(extension));
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The names of a certificate a constraint is compared with: its subject and each SAN. */
  private static int nameCount(X509Certificate certificate) {
    GeneralNames names = subjectAlternativeNames(certificate);
    return 1 + (names == null ? 0 : names.getNames().length);
  }

  /**
   * The comparisons a certificate's subtrees cost: each with every name below, and each with
   * every subtree of its own and below (Bouncy Castle merges a new subtree into those it holds
   * by comparing it with each).
   */
  private static long cost(long subtreesHere, long namesBelow, long subtreesBelow) {
    return subtreesHere * (namesBelow + subtreesBelow + subtreesHere);
  }

  private static int subtreeCount(X509Certificate certificate) {
    byte[] extension = certificate.getExtensionValue(NAME_CONSTRAINTS);
    if (extension == null) {
      return 0;
    }
    try {
      NameConstraints constraints = NameConstraints.getInstance(Rfc5280Profile.octets(extension));
      GeneralSubtree[] permitted = constraints.getPermittedSubtrees();
      GeneralSubtree[] excluded = constraints.getExcludedSubtrees();
      return (permitted == null ? 0 : permitted.length) + (excluded == null ? 0 : excluded.length);
    } catch (RuntimeException e) {
      // Unreadable: PKIX refuses it, at no cost worth counting.
      return 0;
    }
  }
}
