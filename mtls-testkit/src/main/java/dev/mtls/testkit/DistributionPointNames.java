package dev.mtls.testkit;

import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

/** Distribution point names as certificates and CRLs of the testkit write them. */
final class DistributionPointNames {
  private DistributionPointNames() {}

  /** A full name: one URI. */
  static DistributionPointName uri(String url) {
    return new DistributionPointName(
        new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, url)));
  }

  /**
   * A name relative to the CRL issuer: one relative distinguished name, such as {@code
   * CN=Partition 2}, which stands for the CRL issuer's name with it appended.
   *
   * @throws IllegalArgumentException if {@code relativeName} is not exactly one RDN
   */
  static DistributionPointName relative(String relativeName) {
    RDN[] rdns;
    try {
      rdns = new X500Name(relativeName).getRDNs();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a relative distinguished name: " + relativeName, e);
    }
    if (rdns.length != 1) {
      throw new IllegalArgumentException(
          "a relative name is one RDN, such as CN=Partition 2: " + relativeName);
    }
    return new DistributionPointName(DistributionPointName.NAME_RELATIVE_TO_CRL_ISSUER,
        ASN1Set.getInstance(rdns[0].toASN1Primitive()));
  }
}
