package dev.mtls.core.internal.validation;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.jspecify.annotations.Nullable;

/**
 * The CA/Browser Forum's rules for publicly trusted TLS server certificates (<a
 * href="https://cabforum.org/working-groups/server/baseline-requirements/">Baseline
 * Requirements</a>, 7.1.2), those a client can check in the chain it is shown: the server's
 * certificate has subject alternative names and a non-critical extended key usage without
 * {@code anyExtendedKeyUsage} (7.1.2.7.10); its subject common name, if any, is one of its
 * SANs, written as it is there or, for an IP address, in canonical text (7.1.4.3); its DNS names hold no underscore and a wildcard only as
 * the whole leftmost label, never over a public suffix (3.2.2.6, 7.1.2.7.12); the root has no
 * extended key usage (7.1.2.1). Off for private PKIs, which need none of it.
 */
final class CaBrowserForumProfile {
  private static final String EXTENDED_KEY_USAGE = Extension.extendedKeyUsage.getId();
  private static final String SUBJECT_ALT_NAME = Extension.subjectAlternativeName.getId();
  private static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";

  private CaBrowserForumProfile() {}

  /**
   * The first rule a validated server chain breaks.
   *
   * @param path leaf first, the trust anchor's certificate last
   * @return {@code null} when it keeps every rule; otherwise which rule it breaks
   */
  static @Nullable String problem(List<X509Certificate> path) {
    X509Certificate leaf = path.get(0);
    X509Certificate root = path.get(path.size() - 1);
    String problem = leafProblem(leaf);
    if (problem != null) {
      return "certificate " + leaf.getSubjectX500Principal() + " " + problem + " (CA/Browser Forum profile)";
    }
    if (root.getExtensionValue(EXTENDED_KEY_USAGE) != null) {
      return "trust anchor " + root.getSubjectX500Principal()
          + " has an extended key usage, which a root MUST NOT (CA/Browser Forum profile, BR 7.1.2.1)";
    }
    return null;
  }

  private static @Nullable String leafProblem(X509Certificate leaf) {
    List<String> usages;
    try {
      usages = leaf.getExtendedKeyUsage();
    } catch (CertificateParsingException e) {
      return "has an extended key usage that cannot be read";
    }
    if (usages == null) {
      return "has no extended key usage; a public server's MUST have one";
    }
    if (Rfc5280Profile.criticalOids(leaf).contains(EXTENDED_KEY_USAGE)) {
      return "has a critical extended key usage; a public server's MUST NOT be";
    }
    if (usages.contains(ANY_EXTENDED_KEY_USAGE)) {
      return "has anyExtendedKeyUsage, which a public server's MUST NOT";
    }
    GeneralName[] names = subjectAlternativeNames(leaf);
    if (names == null || names.length == 0) {
      return "has no subject alternative names; a public server's MUST";
    }
    for (GeneralName name : names) {
      if (name.getTagNo() == GeneralName.dNSName && name.getName() instanceof ASN1String text) {
        String problem = dnsNameProblem(text.getString());
        if (problem != null) {
          return problem;
        }
      }
    }
    for (String commonName : commonNames(leaf)) {
      if (!isOneOf(commonName, names)) {
        return "has the subject common name \"" + commonName + "\", which is not one of its subject alternative"
            + " names in canonical form";
      }
    }
    return null;
  }

  private static @Nullable String dnsNameProblem(String dnsName) {
    if (dnsName.indexOf('_') >= 0) {
      return "has the DNS name \"" + dnsName + "\" with an underscore";
    }
    int star = dnsName.indexOf('*');
    if (star < 0) {
      return null;
    }
    if (!dnsName.startsWith("*.") || dnsName.indexOf('*', 1) >= 0) {
      return "has the DNS name \"" + dnsName + "\" with a wildcard that is not the whole leftmost label";
    }
    String base = dnsName.substring(2).toLowerCase(Locale.ROOT);
    base = base.endsWith(".") ? base.substring(0, base.length() - 1) : base;
    if (PublicSuffixes.isPublicSuffix(base)) {
      return "has the wildcard name \"" + dnsName + "\" over the public suffix " + base;
    }
    return null;
  }

  /**
   * Whether a common name is one of the SANs as BR 7.1.4.3 asks: a character-for-character copy
   * of a DNS name, or an IP address in its canonical text (dotted decimal, RFC 5952 for IPv6).
   */
  private static boolean isOneOf(String commonName, GeneralName[] names) {
    for (GeneralName name : names) {
      if (name.getTagNo() == GeneralName.dNSName && name.getName() instanceof ASN1String text
          && text.getString().equals(commonName)) {
        return true;
      }
      if (name.getTagNo() == GeneralName.iPAddress
          && canonicalAddress(ASN1OctetString.getInstance(name.getName()).getOctets()).equals(commonName)) {
        return true;
      }
    }
    return false;
  }

  /** An IP address in canonical text: dotted decimal, or RFC 5952 (lower case, longest zero run as ::). */
  static String canonicalAddress(byte[] address) {
    if (address.length == 4) {
      return (address[0] & 0xff) + "." + (address[1] & 0xff) + "." + (address[2] & 0xff) + "." + (address[3] & 0xff);
    }
    if (address.length != 16) {
      return "";
    }
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((address[2 * i] & 0xff) << 8) | (address[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; i++) {
      int length = 0;
      while (i + length < 8 && groups[i + length] == 0) {
        length++;
      }
      if (length > bestLength) {
        bestStart = i;
        bestLength = length;
      }
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        text.append("::");
        i += bestLength - 1;
        continue;
      }
      if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
        text.append(':');
      }
      text.append(Integer.toHexString(groups[i]));
    }
    return text.toString();
  }

  private static List<String> commonNames(X509Certificate certificate) {
    List<String> names = new ArrayList<>();
    X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
    for (RDN rdn : subject.getRDNs(BCStyle.CN)) {
      for (AttributeTypeAndValue value : rdn.getTypesAndValues()) {
        if (value.getType().equals(BCStyle.CN) && value.getValue() instanceof ASN1String text) {
          names.add(text.getString());
        }
      }
    }
    return names;
  }

  private static GeneralName @Nullable [] subjectAlternativeNames(X509Certificate certificate) {
    byte[] extension = certificate.getExtensionValue(SUBJECT_ALT_NAME);
    if (extension == null) {
      return null;
    }
    try {
      return GeneralNames.getInstance(Rfc5280Profile.octets(extension)).getNames();
    } catch (RuntimeException e) {
      return new GeneralName[0];
    }
  }
}
