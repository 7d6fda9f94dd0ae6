package dev.mtls.testkit;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;

/** The extensions of a leaf certificate made by {@link CertificateBuilder}. */
final class LeafExtensions {
  private LeafExtensions() {}

  /**
   * Adds the leaf extensions to {@code builder}.
   *
   * @param keyUsageBits Bouncy Castle key usage bits, or -1 for no key usage extension
   * @param emptySubject whether the subject is empty (the SAN extension is then critical)
   */
  static void add(
      X509v3CertificateBuilder builder,
      int keyUsageBits,
      Collection<String> extendedKeyUsages,
      List<GeneralName> subjectAlternativeNames,
      SubjectPublicKeyInfo publicKey,
      byte[] issuerKeyId,
      List<DistributionPoint> crlDistributionPoints,
      boolean emptySubject)
      throws IOException {
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    if (keyUsageBits >= 0) {
      builder.addExtension(
          Extension.keyUsage, true, new org.bouncycastle.asn1.x509.KeyUsage(keyUsageBits));
    }
    if (!extendedKeyUsages.isEmpty()) {
      List<KeyPurposeId> purposes = new ArrayList<>();
      for (String oid : extendedKeyUsages) {
        purposes.add(KeyPurposeId.getInstance(new ASN1ObjectIdentifier(oid)));
      }
      builder.addExtension(
          Extension.extendedKeyUsage, false,
          new ExtendedKeyUsage(purposes.toArray(new KeyPurposeId[0])));
    }
    if (!subjectAlternativeNames.isEmpty()) {
      // RFC 5280 section 4.2.1.6: critical when the subject is empty.
      builder.addExtension(
          Extension.subjectAlternativeName, emptySubject,
          new GeneralNames(subjectAlternativeNames.toArray(new GeneralName[0])));
    }
    builder.addExtension(
        Extension.subjectKeyIdentifier, false, Signing.subjectKeyIdentifier(publicKey));
    builder.addExtension(
        Extension.authorityKeyIdentifier, false, Signing.authorityKeyIdentifier(issuerKeyId));
    if (!crlDistributionPoints.isEmpty()) {
      builder.addExtension(
          Extension.cRLDistributionPoints, false,
          new CRLDistPoint(crlDistributionPoints.toArray(new DistributionPoint[0])));
    }
  }
}
