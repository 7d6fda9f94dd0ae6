package dev.mtls.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.junit.jupiter.api.Test;

class CertificateBuilderTest {
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

  private final TestCa ca = TestCa.create();

  @Test
  void leaf_byDefault_hasCnOnly_noEku_digitalSignature_oneDay() throws Exception {
    IssuedCertificate leaf = ca.leaf("plain").issue();
    X509Certificate certificate = leaf.certificate();
    Instant now = ca.clock().instant();

    assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=plain");
    assertThat(certificate.getExtendedKeyUsage()).isNull();
    assertThat(certificate.getSubjectAlternativeNames()).isNull();
    assertThat(certificate.getKeyUsage()).startsWith(true, false, false);
    assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
    assertThat(certificate.getNotBefore().toInstant()).isEqualTo(now.minus(Duration.ofMinutes(1)));
    assertThat(certificate.getNotAfter().toInstant()).isEqualTo(now.plus(Duration.ofDays(1)));
    assertThat(certificate.getPublicKey().getAlgorithm()).isEqualTo("EC");
    certificate.verify(ca.certificate().getPublicKey());
  }

  @Test
  void server_hasDnsSans_serverAuth_andFirstNameAsCn() throws Exception {
    X509Certificate certificate = ca.server("api.example.org", "localhost").certificate();

    assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=api.example.org");
    assertThat(sans(certificate)).containsExactly(
        List.of(2, "api.example.org"), List.of(2, "localhost"));
    assertThat(certificate.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
  }

  @Test
  void client_hasClientAuth() throws Exception {
    assertThat(ca.client("orders").certificate().getExtendedKeyUsage())
        .containsExactly(CLIENT_AUTH);
  }

  @Test
  void serverAuthAndClientAuth_combine_andNoExtendedKeyUsage_clears() throws Exception {
    assertThat(ca.leaf("both").serverAuth().clientAuth().issue().certificate()
            .getExtendedKeyUsage())
        .containsExactly(SERVER_AUTH, CLIENT_AUTH);
    assertThat(ca.leaf("custom").extendedKeyUsages("1.3.6.1.5.5.7.3.4").serverAuth().issue()
            .certificate().getExtendedKeyUsage())
        .containsExactly("1.3.6.1.5.5.7.3.4", SERVER_AUTH);
    assertThat(ca.leaf("none").serverAuth().noExtendedKeyUsage().issue().certificate()
            .getExtendedKeyUsage())
        .isNull();
  }

  @Test
  void subjectAlternativeNames_ofEveryKind_areEncoded() throws Exception {
    X509Certificate certificate = ca.leaf("svc")
        .dnsNames("svc.internal", "*.svc.internal")
        .ipAddresses("127.0.0.1", "::1")
        .uris("https://svc.internal/")
        .spiffeId("spiffe://example.org/ns/prod/sa/svc")
        .emails("ops@example.org")
        .issue()
        .certificate();

    assertThat(sans(certificate)).containsExactly(
        List.of(2, "svc.internal"),
        List.of(2, "*.svc.internal"),
        List.of(7, "127.0.0.1"),
        List.of(7, "0:0:0:0:0:0:0:1"),
        List.of(6, "https://svc.internal/"),
        List.of(6, "spiffe://example.org/ns/prod/sa/svc"),
        List.of(1, "ops@example.org"));
    assertThat(certificate.getCriticalExtensionOIDs()).doesNotContain("2.5.29.17");
  }

  @Test
  void invalidNames_areRejectedWithTheValue() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ca.leaf("x").ipAddresses("not-an-ip"))
        .withMessageStartingWith("invalid value in ipAddresses: \"not-an-ip\"");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ca.leaf("x").spiffeId("https://example.org"))
        .withMessage("not a SPIFFE ID (must start with spiffe://): https://example.org");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ca.leaf("x").extendedKeyUsages("serverAuth"))
        .withMessage("not an OID in extendedKeyUsages: \"serverAuth\"");
  }

  @Test
  void organizationUnitAndCountry_formTheSubject() {
    X509Certificate certificate = ca.leaf("alice")
        .organization("Example Corp").organizationalUnit("Payments").country("DE")
        .issue().certificate();

    assertThat(certificate.getSubjectX500Principal().getName())
        .isEqualTo("CN=alice,OU=Payments,O=Example Corp,C=DE");
  }

  @Test
  void subject_allowsSeveralCnsAndEscapedValues_forDnParsingAttacks() throws Exception {
    X509Certificate twoCns = ca.leaf("ignored").subject("CN=admin,CN=guest").issue().certificate();
    X509Certificate escaped =
        ca.leaf("ignored").subject("CN=a,OU=CN\\=admin").issue().certificate();

    List<Rdn> rdns = new LdapName(twoCns.getSubjectX500Principal().getName()).getRdns();
    assertThat(rdns).extracting(Rdn::getType).containsExactly("CN", "CN");
    assertThat(escaped.getSubjectX500Principal().getName()).isEqualTo("CN=a,OU=CN\\=admin");
    assertThat(new LdapName(escaped.getSubjectX500Principal().getName()).getRdns())
        .extracting(Rdn::getValue).containsExactly("CN=admin", "a");
  }

  @Test
  void emptySubject_makesTheSanCritical() throws Exception {
    X509Certificate certificate =
        ca.leaf("ignored").subject("").dnsNames("only-san.example").issue().certificate();

    assertThat(certificate.getSubjectX500Principal().getName()).isEmpty();
    assertThat(certificate.getCriticalExtensionOIDs()).contains("2.5.29.17");
  }

  @Test
  void subject_rejectsMalformedNames() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ca.leaf("x").subject("no equals sign"))
        .withMessageStartingWith("not an RFC 2253 distinguished name: \"no equals sign\"");
  }

  @Test
  void keyUsage_replacesTheDefault_andNoKeyUsage_dropsTheExtension() {
    X509Certificate agreement = ca.leaf("ka")
        .keyUsage(KeyUsage.KEY_AGREEMENT, KeyUsage.DIGITAL_SIGNATURE).issue().certificate();
    X509Certificate none = ca.leaf("none").noKeyUsage().issue().certificate();

    assertThat(agreement.getKeyUsage()).startsWith(true, false, false, false, true);
    assertThat(none.getKeyUsage()).isNull();
  }

  @Test
  void rsaLeaf_getsKeyEnciphermentByDefault_andTheGivenKeyIsReused() {
    IssuedCertificate rsa = ca.leaf("rsa").keyPair(SharedKeys.rsa2048()).issue();

    assertThat(rsa.certificate().getKeyUsage()).startsWith(true, false, true);
    assertThat(rsa.certificate().getPublicKey()).isEqualTo(SharedKeys.rsa2048().getPublic());
    assertThat(rsa.privateKey().getEncoded())
        .isEqualTo(SharedKeys.rsa2048().getPrivate().getEncoded());
  }

  @Test
  void keyType_choosesTheLeafKey_whileTheCaKeyChoosesTheSignature() {
    TestCa p384 = TestCa.builder().keyType(KeyType.EC_P384).build();
    IssuedCertificate ed25519Leaf = p384.leaf("ed").keyType(KeyType.ED25519).issue();
    TestCa edCa = TestCa.builder().keyType(KeyType.ED25519).build();

    assertThat(ed25519Leaf.certificate().getPublicKey().getAlgorithm()).isIn("EdDSA", "Ed25519");
    assertThat(ed25519Leaf.certificate().getSigAlgName()).isEqualTo("SHA384withECDSA");
    assertThat(edCa.client("x").certificate().getSigAlgName()).isIn("Ed25519", "EdDSA");
    assertThat(p384.leaf("p384").keyType(KeyType.EC_P384).issue().certificate().getPublicKey()
            .getEncoded())
        .hasSizeGreaterThan(100);
  }

  @Test
  void expired_andNotYetValid_failCheckValidity() {
    X509Certificate expired = ca.leaf("old").expired().issue().certificate();
    X509Certificate future = ca.leaf("new").notYetValid().issue().certificate();

    assertThatThrownBy(expired::checkValidity).isInstanceOf(CertificateExpiredException.class);
    assertThatThrownBy(future::checkValidity)
        .isInstanceOf(CertificateNotYetValidException.class);
    assertThat(expired.getNotAfter().toInstant())
        .isEqualTo(ca.clock().instant().minus(Duration.ofDays(1)));
    assertThat(future.getNotBefore().toInstant())
        .isEqualTo(ca.clock().instant().plus(Duration.ofDays(1)));
  }

  @Test
  void validity_followsTheTestClock() throws Exception {
    TestClock clock = new TestClock(Instant.parse("2031-03-01T12:00:00Z"));
    TestCa future = TestCa.builder().clock(clock).build();
    X509Certificate leaf = future.leaf("later").validFor(Duration.ofHours(2)).issue().certificate();

    assertThat(leaf.getNotBefore().toInstant()).isEqualTo(Instant.parse("2031-03-01T11:59:00Z"));
    assertThat(leaf.getNotAfter().toInstant()).isEqualTo(Instant.parse("2031-03-01T14:00:00Z"));
    leaf.checkValidity(Date.from(clock.instant()));
    clock.advance(Duration.ofHours(3));
    assertThatThrownBy(() -> leaf.checkValidity(Date.from(clock.instant())))
        .isInstanceOf(CertificateExpiredException.class);
    // Still valid for the real clock? No: it lies years ahead.
    assertThatThrownBy(leaf::checkValidity).isInstanceOf(CertificateNotYetValidException.class);
  }

  @Test
  void notBeforeAndNotAfter_areTakenAsGiven_andMustBeOrdered() {
    Instant start = Instant.parse("2026-01-01T00:00:00Z");
    X509Certificate certificate = ca.leaf("explicit")
        .notBefore(start).notAfter(start.plus(Duration.ofDays(400))).issue().certificate();

    assertThat(certificate.getNotBefore().toInstant()).isEqualTo(start);
    assertThat(certificate.getNotAfter().toInstant()).isEqualTo(start.plus(Duration.ofDays(400)));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ca.leaf("backwards").notBefore(start).notAfter(start).issue())
        .withMessage("notAfter " + start + " is not after notBefore " + start + " for backwards");
  }

  @Test
  void crlDistributionPoint_isEncodedAsUri() throws Exception {
    X509Certificate certificate = ca.leaf("dp")
        .crlDistributionPoint("http://127.0.0.1:8080/ca.crl").issue().certificate();

    CRLDistPoint points = CRLDistPoint.fromExtensions(
        new JcaX509CertificateHolder(certificate).getExtensions());
    GeneralName name = GeneralNames.getInstance(
        points.getDistributionPoints()[0].getDistributionPoint().getName()).getNames()[0];
    assertThat(name.getTagNo()).isEqualTo(GeneralName.uniformResourceIdentifier);
    assertThat(name.getName().toString()).isEqualTo("http://127.0.0.1:8080/ca.crl");
    assertThat(certificate.getNonCriticalExtensionOIDs())
        .contains(Extension.cRLDistributionPoints.getId());
  }

  @Test
  void serials_arePositive_random64Bit_andUnique() {
    Set<BigInteger> serials = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      BigInteger serial = ca.client("c" + i).serialNumber();
      assertThat(serial.signum()).isPositive();
      assertThat(serial.bitLength()).isGreaterThan(64);
      serials.add(serial);
    }
    assertThat(serials).hasSize(200);
  }

  private static List<List<?>> sans(X509Certificate certificate) throws Exception {
    Collection<List<?>> names = certificate.getSubjectAlternativeNames();
    return names == null ? List.of() : new ArrayList<>(names);
  }
}
