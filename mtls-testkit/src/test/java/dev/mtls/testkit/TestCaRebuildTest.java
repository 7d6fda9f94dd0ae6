package dev.mtls.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@link TestCa#of} and {@link CertificateBuilder#issueFor}: a CA kept on disk and signing CSRs. */
class TestCaRebuildTest {

  @Test
  void of_rebuildsRootFromCertificateAndKey_andIssuesCertificatesItsPeersTrust() throws Exception {
    TestCa original = TestCa.create();

    TestCa rebuilt = TestCa.of(original.certificate(), original.keyPair().getPrivate(), new TestClock());
    IssuedCertificate server = rebuilt.server("orders.internal");

    server.certificate().verify(original.certificate().getPublicKey());
    assertThat(server.certificate().getIssuerX500Principal()).isEqualTo(original.subject());
    assertThat(authorityKeyId(server.certificate())).isEqualTo(subjectKeyId(original.certificate()));
    assertThat(rebuilt.rootCertificate()).isEqualTo(original.certificate());
  }

  @Test
  void of_rebuiltRsaRoot_signsCrlsWithContinuedNumbers() throws Exception {
    TestCa original = TestCa.builder().keyType(KeyType.RSA_2048).build();
    TestCa rebuilt = TestCa.of(original.certificate(), original.keyPair().getPrivate(), new TestClock());
    rebuilt.revoke(BigInteger.valueOf(42), RevocationReason.KEY_COMPROMISE, Instant.now());

    X509CRL crl = rebuilt.crlBuilder().crlNumber(7).build();

    crl.verify(original.certificate().getPublicKey());
    assertThat(crl.getRevokedCertificate(BigInteger.valueOf(42))).isNotNull();
  }

  @Test
  void of_readsBackTheKeyPemItWrote() throws Exception {
    TestCa original = TestCa.create();
    java.security.PrivateKey key = java.security.KeyFactory.getInstance("EC").generatePrivate(
        new java.security.spec.PKCS8EncodedKeySpec(java.util.Base64.getMimeDecoder().decode(
            original.privateKeyPem().replaceAll("-----[A-Z ]+-----", ""))));

    TestCa rebuilt = TestCa.of(original.certificate(), key, new TestClock());

    rebuilt.client("c").certificate().verify(original.certificate().getPublicKey());
    assertThat(original.encryptedPrivateKeyPem("pw".toCharArray())).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
  }

  @Test
  void of_refusesKeyOfAnotherCa() {
    TestCa ca = TestCa.create();
    TestCa other = TestCa.create();

    assertThatIllegalArgumentException()
        .isThrownBy(() -> TestCa.of(ca.certificate(), other.keyPair().getPrivate(), new TestClock()))
        .withMessageContaining("does not belong to the CA certificate");
  }

  @Test
  void of_refusesLeafAndIntermediateCertificates() {
    TestCa ca = TestCa.create();
    IssuedCertificate leaf = ca.server("localhost");
    TestCa intermediate = ca.newIntermediate("Issuing CA");

    assertThatIllegalArgumentException()
        .isThrownBy(() -> TestCa.of(leaf.certificate(), leaf.privateKey(), new TestClock()))
        .withMessageContaining("not a CA certificate");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> TestCa.of(intermediate.certificate(), intermediate.keyPair().getPrivate(),
            new TestClock()))
        .withMessageContaining("not a root certificate");
  }

  @Test
  void issueFor_certifiesPublicKeyWhosePrivateKeyIsElsewhere() throws Exception {
    TestCa ca = TestCa.create();
    KeyPair elsewhere = ca.client("key-holder").keyPair();

    X509Certificate certificate = ca.leaf("orders").clientAuth().issueFor(elsewhere.getPublic());

    certificate.verify(ca.certificate().getPublicKey());
    assertThat(certificate.getPublicKey()).isEqualTo(elsewhere.getPublic());
    assertThat(certificate.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
    assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=orders");
  }

  private static byte[] subjectKeyId(X509Certificate certificate) {
    return org.bouncycastle.asn1.x509.SubjectKeyIdentifier.getInstance(
        org.bouncycastle.asn1.ASN1OctetString.getInstance(certificate.getExtensionValue("2.5.29.14"))
            .getOctets()).getKeyIdentifier();
  }

  private static byte[] authorityKeyId(X509Certificate certificate) {
    return org.bouncycastle.asn1.x509.AuthorityKeyIdentifier.getInstance(
        org.bouncycastle.asn1.ASN1OctetString.getInstance(certificate.getExtensionValue("2.5.29.35"))
            .getOctets()).getKeyIdentifierOctets();
  }
}
