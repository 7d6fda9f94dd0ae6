package dev.mtls.core.internal.validation;

import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.NameConstraintValidatorException;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.asn1.x509.PKIXNameConstraintValidator;
import org.jspecify.annotations.Nullable;

/**
 * Applies the name constraints of a trust anchor's own certificate to the path below it.
 * PKIX validators apply the constraints of the certificates in the path, but a trust
 * anchor's only when they are handed over beside it (RFC 5280, 6.1.1), which Bouncy Castle's
 * validator does not honour; a private root constrained to {@code .corp.example} must still
 * not vouch for {@code bank.example}.
 */
final class AnchorNameConstraints {
  private static final String NAME_CONSTRAINTS = Extension.nameConstraints.getId();

  private AnchorNameConstraints() {}

  /**
   * Checks every certificate below an anchor against the anchor's name constraints.
   *
   * @param anchor the trust anchor's certificate
   * @param path the validated certificates below it, leaf first
   * @return {@code null} when the anchor has no constraints or every name is within them,
   *     otherwise which name is not
   */
  static @Nullable String violation(X509Certificate anchor, List<X509Certificate> path) {
    byte[] extension = anchor.getExtensionValue(NAME_CONSTRAINTS);
    if (extension == null) {
      return null;
    }
    PKIXNameConstraintValidator validator = new PKIXNameConstraintValidator();
    try {
      NameConstraints constraints = NameConstraints.getInstance(ASN1OctetString.getInstance(extension).getOctets());
      if (constraints.getPermittedSubtrees() != null) {
        validator.intersectPermittedSubtree(constraints.getPermittedSubtrees());
      }
      if (constraints.getExcludedSubtrees() != null) {
        for (GeneralSubtree excluded : constraints.getExcludedSubtrees()) {
          validator.addExcludedSubtree(excluded);
        }
      }
    } catch (RuntimeException e) {
      return "the name constraints of trust anchor " + anchor.getSubjectX500Principal() + " cannot be read: " + e;
    }
    for (X509Certificate certificate : path) {
      String problem = check(validator, certificate);
      if (problem != null) {
        return "certificate " + certificate.getSubjectX500Principal() + ": " + problem
            + ", outside the name constraints of trust anchor " + anchor.getSubjectX500Principal();
      }
    }
    return null;
  }

  private static @Nullable String check(PKIXNameConstraintValidator validator, X509Certificate certificate) {
    X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
    try {
      if (subject.getRDNs().length > 0) {
        validator.checkPermittedDN(subject);
        validator.checkExcludedDN(subject);
      }
    } catch (NameConstraintValidatorException e) {
      return "subject " + subject;
    }
    byte[] sans = certificate.getExtensionValue(Extension.subjectAlternativeName.getId());
    if (sans == null) {
      return null;
    }
    GeneralNames names;
    try {
      names = GeneralNames.getInstance(ASN1OctetString.getInstance(sans).getOctets());
    } catch (RuntimeException e) {
      return "subject alternative names cannot be read";
    }
    for (GeneralName name : names.getNames()) {
      try {
        validator.checkPermitted(name);
        validator.checkExcluded(name);
      } catch (NameConstraintValidatorException e) {
        return "name " + describe(name);
      }
    }
    return null;
  }

  private static String describe(GeneralName name) {
    try {
      return name.getName().toString();
    } catch (RuntimeException e) {
      return "of type " + name.getTagNo();
    }
  }
}
