package dev.mtls.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.asn1.x509.PolicyConstraints;
import org.junit.jupiter.api.Test;

class CaExtensionsTest {
  private final TestCa root = TestCa.create();

  @Test
  void anIntermediate_carriesNameConstraintsExtendedKeyUsageAndPathLength() throws Exception {
    TestCa issuing = root.newIntermediate("Corp CA", CaExtensions.builder()
        .permittedDnsNames("corp.example")
        .excludedDnsNames("secret.corp.example")
        .extendedKeyUsages(CaExtensions.CLIENT_AUTH)
        .pathLength(0)
        .certificatePolicies("2.23.140.1.2.1")
        .requireExplicitPolicy(0)
        .inhibitPolicyMapping(1)
        .build());
    X509Certificate certificate = issuing.certificate();

    NameConstraints constraints = NameConstraints.getInstance(octets(certificate, "2.5.29.30"));
    assertThat(constraints.getPermittedSubtrees()).extracting(GeneralSubtree::getBase)
        .extracting(Object::toString).containsExactly("2: corp.example");
    assertThat(constraints.getExcludedSubtrees()).extracting(GeneralSubtree::getBase)
        .extracting(Object::toString).containsExactly("2: secret.corp.example");
    assertThat(certificate.getCriticalExtensionOIDs()).contains("2.5.29.30", "2.5.29.36");
    assertThat(certificate.getExtendedKeyUsage()).containsExactly(CaExtensions.CLIENT_AUTH);
    assertThat(certificate.getBasicConstraints()).isZero();
    PolicyConstraints policy = PolicyConstraints.getInstance(octets(certificate, "2.5.29.36"));
    assertThat(policy.getRequireExplicitPolicyMapping()).isEqualTo(BigInteger.ZERO);
    assertThat(policy.getInhibitPolicyMapping()).isEqualTo(BigInteger.ONE);
    assertThat(certificate.getExtensionValue("2.5.29.32")).isNotNull();
  }

  @Test
  void rawExtensions_replaceDefaults_andOmittedOnesAreLeftOut() throws Exception {
    TestCa odd = TestCa.builder().commonName("Odd Root").extensions(CaExtensions.builder()
        .extension("2.5.29.19", false, new org.bouncycastle.asn1.x509.BasicConstraints(true).getEncoded())
        .extension("1.3.6.1.4.1.99999.1", true, DERNull.INSTANCE.getEncoded())
        .omit("2.5.29.14")
        .build()).build();
    X509Certificate certificate = odd.certificate();
    assertThat(certificate.getCriticalExtensionOIDs()).doesNotContain("2.5.29.19").contains("1.3.6.1.4.1.99999.1");
    assertThat(certificate.getBasicConstraints()).isEqualTo(Integer.MAX_VALUE);
    assertThat(certificate.getExtensionValue("2.5.29.14")).isNull();
  }

  @Test
  void anExpiredRoot_endedBeforeTheClocksInstant() {
    TestCa expired = TestCa.builder().expired().build();
    assertThat(expired.certificate().getNotAfter().toInstant()).isBefore(expired.clock().instant());
  }

  @Test
  void aLeaf_takesAnySerialAndRawOrOmittedExtensions() throws Exception {
    IssuedCertificate leaf = root.leaf("odd").serialNumber(BigInteger.valueOf(-5))
        .extension("1.3.6.1.5.5.7.1.1", true, new org.bouncycastle.asn1.DERSequence().getEncoded())
        .omitExtension("2.5.29.35").issue();
    assertThat(leaf.certificate().getSerialNumber()).isEqualTo(BigInteger.valueOf(-5));
    assertThat(leaf.certificate().getCriticalExtensionOIDs()).contains("1.3.6.1.5.5.7.1.1");
    assertThat(leaf.certificate().getExtensionValue("2.5.29.35")).isNull();
  }

  @Test
  void settings_refuseWhatIsNotAnOid() {
    assertThatIllegalArgumentException().isThrownBy(() -> CaExtensions.builder().extendedKeyUsages("clientAuth"))
        .withMessage("not an OID in extendedKeyUsages: \"clientAuth\"");
    assertThatIllegalArgumentException().isThrownBy(() -> CaExtensions.builder().pathLength(-1))
        .withMessage("pathLength < 0: -1");
    assertThat(CaExtensions.none()).isSameAs(CaExtensions.none());
    assertThat(List.of(CaExtensions.SERVER_AUTH, CaExtensions.ANY_EXTENDED_KEY_USAGE))
        .containsExactly("1.3.6.1.5.5.7.3.1", "2.5.29.37.0");
  }

  private static byte[] octets(X509Certificate certificate, String oid) {
    return ASN1OctetString.getInstance(certificate.getExtensionValue(oid)).getOctets();
  }
}
