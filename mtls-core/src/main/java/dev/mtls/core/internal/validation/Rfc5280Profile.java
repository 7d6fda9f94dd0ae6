package dev.mtls.core.internal.validation;

import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.jspecify.annotations.Nullable;

/**
 * The checkable MUSTs of <a href="https://www.rfc-editor.org/rfc/rfc5280#section-4.1">RFC
 * 5280, sections 4.1 and 4.2</a> for each certificate of a path below its trust anchor, which
 * PKIX validation leaves alone: a positive serial number of at most 20 octets (4.1.2.2); on a
 * CA certificate a critical {@code basicConstraints} (4.2.1.9), a key usage with {@code
 * keyCertSign} (4.2.1.3) and a subject key identifier (4.2.1.2); no {@code keyCertSign} without
 * {@code cA} (4.2.1.3); a non-critical authority key identifier with a key identifier that is
 * its issuer's subject key identifier, when the issuer has one (4.2.1.1); a non-critical,
 * well-formed authority information access (4.2.2.1). The anchor itself is configuration,
 * judged by {@link TrustAnchorChecks}.
 */
final class Rfc5280Profile {
  private static final String BASIC_CONSTRAINTS = Extension.basicConstraints.getId();
  private static final String AUTHORITY_KEY_ID = Extension.authorityKeyIdentifier.getId();
  private static final String SUBJECT_KEY_ID = Extension.subjectKeyIdentifier.getId();
  private static final String AUTHORITY_INFO_ACCESS = Extension.authorityInfoAccess.getId();
  private static final int KEY_CERT_SIGN = 5;
  private static final int MAX_SERIAL_OCTETS = 20;

  private Rfc5280Profile() {}

  /**
   * The first broken MUST in a validated path.
   *
   * @param path leaf first, the trust anchor's certificate last
   * @return {@code null} when every certificate below the anchor keeps them; otherwise which
   *     certificate breaks which rule
   */
  static @Nullable String problem(List<X509Certificate> path) {
    for (int i = 0; i < path.size() - 1; i++) {
      X509Certificate certificate = path.get(i);
      String problem = problem(certificate, path.get(i + 1), i > 0);
      if (problem != null) {
        return (i == 0 ? "certificate " : "issuing certificate ") + certificate.getSubjectX500Principal()
            + " " + problem;
      }
    }
    return null;
  }

  private static @Nullable String problem(X509Certificate certificate, X509Certificate issuer, boolean issuing) {
    BigInteger serial = certificate.getSerialNumber();
    if (serial.signum() <= 0) {
      return "has a serial number that is not positive (" + serial + "; RFC 5280, 4.1.2.2)";
    }
    if (serial.toByteArray().length > MAX_SERIAL_OCTETS) {
      return "has a serial number of " + serial.toByteArray().length + " octets, more than 20 (RFC 5280, 4.1.2.2)";
    }
    Set<String> critical = criticalOids(certificate);
    boolean ca = certificate.getBasicConstraints() >= 0;
    boolean[] keyUsage = certificate.getKeyUsage();
    boolean keyCertSign = keyUsage != null && keyUsage.length > KEY_CERT_SIGN && keyUsage[KEY_CERT_SIGN];
    if (keyCertSign && !ca) {
      return "asserts keyCertSign in its key usage without basic constraints cA=true (RFC 5280, 4.2.1.3)";
    }
    if (issuing) {
      if (!critical.contains(BASIC_CONSTRAINTS)) {
        return "is a CA certificate whose basic constraints are not marked critical (RFC 5280, 4.2.1.9)";
      }
      if (!keyCertSign) {
        return "is a CA certificate without keyCertSign in a key usage extension (RFC 5280, 4.2.1.3)";
      }
      if (certificate.getExtensionValue(SUBJECT_KEY_ID) == null) {
        return "is a CA certificate without a subject key identifier (RFC 5280, 4.2.1.2)";
      }
    }
    if (critical.contains(SUBJECT_KEY_ID)) {
      return "has a critical subject key identifier, which MUST be non-critical (RFC 5280, 4.2.1.2)";
    }
    String keyIdentifiers = authorityKeyIdentifierProblem(certificate, issuer, critical);
    if (keyIdentifiers != null) {
      return keyIdentifiers;
    }
    return authorityInformationAccessProblem(certificate, critical);
  }

  private static @Nullable String authorityKeyIdentifierProblem(
      X509Certificate certificate, X509Certificate issuer, Set<String> critical) {
    byte[] extension = certificate.getExtensionValue(AUTHORITY_KEY_ID);
    if (extension == null) {
      return "has no authority key identifier (RFC 5280, 4.2.1.1)";
    }
    if (critical.contains(AUTHORITY_KEY_ID)) {
      return "has a critical authority key identifier, which MUST be non-critical (RFC 5280, 4.2.1.1)";
    }
    byte[] keyId;
    try {
      keyId = AuthorityKeyIdentifier.getInstance(octets(extension)).getKeyIdentifierOctets();
    } catch (RuntimeException e) {
      return "has an authority key identifier that cannot be read (RFC 5280, 4.2.1.1)";
    }
    if (keyId == null) {
      return "has an authority key identifier without a keyIdentifier (RFC 5280, 4.2.1.1)";
    }
    byte[] issuerExtension = issuer.getExtensionValue(SUBJECT_KEY_ID);
    if (issuerExtension == null) {
      return null;
    }
    byte[] issuerKeyId;
    try {
      issuerKeyId = SubjectKeyIdentifier.getInstance(octets(issuerExtension)).getKeyIdentifier();
    } catch (RuntimeException e) {
      return "has an issuer " + issuer.getSubjectX500Principal()
          + " whose subject key identifier cannot be read (RFC 5280, 4.2.1.2)";
    }
    if (!Arrays.equals(keyId, issuerKeyId)) {
      return "has an authority key identifier that is not the subject key identifier of its issuer "
          + issuer.getSubjectX500Principal() + " (RFC 5280, 4.2.1.1)";
    }
    return null;
  }

  private static @Nullable String authorityInformationAccessProblem(X509Certificate certificate, Set<String> critical) {
    byte[] extension = certificate.getExtensionValue(AUTHORITY_INFO_ACCESS);
    if (extension == null) {
      return null;
    }
    if (critical.contains(AUTHORITY_INFO_ACCESS)) {
      return "has a critical authority information access, which MUST be non-critical (RFC 5280, 4.2.2.1)";
    }
    AccessDescription[] descriptions;
    try {
      descriptions = AuthorityInformationAccess.getInstance(octets(extension)).getAccessDescriptions();
    } catch (RuntimeException e) {
      return "has an authority information access that cannot be read (RFC 5280, 4.2.2.1)";
    }
    if (descriptions.length == 0) {
      return "has an empty authority information access (RFC 5280, 4.2.2.1: SIZE (1..MAX))";
    }
    for (AccessDescription description : descriptions) {
      GeneralName location = description.getAccessLocation();
      if (location.getTagNo() == GeneralName.uniformResourceIdentifier && !isAbsoluteUri(location)) {
        return "has an authority information access location that is not an absolute URI (RFC 5280, 4.2.2.1)";
      }
    }
    return null;
  }

  private static boolean isAbsoluteUri(GeneralName location) {
    if (!(location.getName() instanceof ASN1String text)) {
      return false;
    }
    try {
      URI uri = new URI(text.getString());
      return uri.isAbsolute() && !uri.getRawSchemeSpecificPart().isEmpty();
    } catch (URISyntaxException e) {
      return false;
    }
  }

  static Set<String> criticalOids(X509Certificate certificate) {
    Set<String> critical = certificate.getCriticalExtensionOIDs();
    return critical == null ? Set.of() : critical;
  }

  /** The content of an extension value as the JDK hands it over (an OCTET STRING around it). */
  static byte[] octets(byte[] extensionValue) {
    return ASN1OctetString.getInstance(extensionValue).getOctets();
  }
}
