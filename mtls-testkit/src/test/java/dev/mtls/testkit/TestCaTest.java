package dev.mtls.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TestCaTest {

  @Test
  void create_makesSelfSignedEcRoot_withCaExtensions() throws Exception {
    TestCa ca = TestCa.create();
    X509Certificate root = ca.certificate();

    assertThat(root.getSubjectX500Principal().getName()).matches("CN=mtls Test Root CA \\d+");
    assertThat(root.getIssuerX500Principal()).isEqualTo(root.getSubjectX500Principal());
    assertThat(root.getBasicConstraints()).isEqualTo(Integer.MAX_VALUE);
    assertThat(root.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15");
    // keyCertSign (5) and cRLSign (6)
    assertThat(root.getKeyUsage()).startsWith(false, false, false, false, false, true, true);
    assertThat(root.getSigAlgName()).isEqualTo("SHA256withECDSA");
    assertThat(root.getPublicKey().getAlgorithm()).isEqualTo("EC");
    root.verify(root.getPublicKey());
    assertThat(ca.chain()).containsExactly(root);
    assertThat(ca.rootCertificate()).isSameAs(root);
    assertThat(ca.subject()).isEqualTo(root.getSubjectX500Principal());
  }

  @Test
  void create_returnsJdkObjects_notBouncyCastleOnes() {
    TestCa ca = TestCa.create();

    assertThat(ca.certificate().getClass().getName()).startsWith("sun.security.");
    assertThat(ca.keyPair().getPrivate().getClass().getName()).startsWith("sun.security.");
    assertThat(ca.keyPair().getPublic()).isEqualTo(ca.certificate().getPublicKey());
  }

  @Test
  void create_numbersRootsApart() {
    assertThat(TestCa.create().subject()).isNotEqualTo(TestCa.create().subject());
  }

  @Test
  void builder_appliesNameKeyTypeClockAndValidity() {
    TestClock clock = new TestClock(Instant.parse("2030-06-01T00:00:00Z"));
    TestCa ca = TestCa.builder()
        .commonName("Payments Root")
        .keyType(KeyType.EC_P384)
        .clock(clock)
        .validity(Duration.ofDays(10))
        .build();

    assertThat(ca.subject().getName()).isEqualTo("CN=Payments Root");
    assertThat(ca.certificate().getSigAlgName()).isEqualTo("SHA384withECDSA");
    assertThat(ca.clock()).isSameAs(clock);
    assertThat(ca.certificate().getNotAfter().toInstant())
        .isEqualTo(Instant.parse("2030-06-11T00:00:00Z"));
    assertThat(ca.certificate().getNotBefore().toInstant())
        .isEqualTo(Instant.parse("2030-05-02T00:00:00Z"));
  }

  @Test
  void builder_rejectsNonPositiveValidity() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> TestCa.builder().validity(Duration.ZERO))
        .withMessage("validity must be positive: PT0S");
  }

  @ParameterizedTest
  @EnumSource(value = KeyType.class, names = {"EC_P256", "EC_P384", "ED25519", "RSA_2048"})
  void newIntermediate_ofEveryKeyType_isSignedByItsParent(KeyType keyType) throws Exception {
    TestCa root = TestCa.create();
    TestCa intermediate = root.newIntermediate("Issuing CA", keyType);

    X509Certificate certificate = intermediate.certificate();
    certificate.verify(root.certificate().getPublicKey());
    assertThat(certificate.getIssuerX500Principal()).isEqualTo(root.subject());
    assertThat(certificate.getBasicConstraints()).isEqualTo(Integer.MAX_VALUE);
    assertThat(intermediate.chain()).containsExactly(certificate, root.certificate());
    assertThat(intermediate.rootCertificate()).isSameAs(root.certificate());
    assertThat(intermediate.clock()).isSameAs(root.clock());
    assertThat(intermediate.keyPair().getPublic().getAlgorithm()).isIn(jdkAlgorithms(keyType));
  }

  @Test
  void newIntermediate_toDepthThree_buildsAValidPkixPath() throws Exception {
    TestCa root = TestCa.create();
    TestCa deepest = root.newIntermediate("A").newIntermediate("B").newIntermediate("C");
    IssuedCertificate leaf = deepest.server("deep.example");

    assertThat(leaf.fullChain()).hasSize(5);
    assertThat(leaf.chain()).hasSize(4).doesNotContain(root.certificate());
    var path = CertificateFactory.getInstance("X.509").generateCertPath(leaf.chain());
    PKIXParameters parameters =
        new PKIXParameters(Collections.singleton(new TrustAnchor(root.certificate(), null)));
    parameters.setRevocationEnabled(false);
    CertPathValidator.getInstance("PKIX").validate(path, parameters);
  }

  @Test
  void everyCertificate_hasKeyIdentifiers_thatLinkToItsIssuer() throws Exception {
    TestCa root = TestCa.create();
    TestCa intermediate = root.newIntermediate("Issuing CA");
    IssuedCertificate leaf = intermediate.client("alice");

    assertThat(authorityKeyId(intermediate.certificate())).isEqualTo(subjectKeyId(root.certificate()));
    assertThat(authorityKeyId(leaf.certificate())).isEqualTo(subjectKeyId(intermediate.certificate()));
    assertThat(authorityKeyId(root.certificate())).isEqualTo(subjectKeyId(root.certificate()));
    assertThat(subjectKeyId(leaf.certificate())).hasSize(20);
  }

  @Test
  void intermediate_neverOutlivesItsIssuer() {
    TestCa root = TestCa.builder().validity(Duration.ofDays(5)).build();
    TestCa intermediate = root.newIntermediate("Short");

    assertThat(intermediate.certificate().getNotAfter())
        .isEqualTo(root.certificate().getNotAfter());
  }

  @Test
  void trustStore_holdsTheRootOnly() throws Exception {
    TestCa intermediate = TestCa.create().newIntermediate("Issuing CA");
    KeyStore trustStore = intermediate.trustStore();

    assertThat(trustStore.getType()).isEqualToIgnoringCase("PKCS12");
    assertThat(Collections.list(trustStore.aliases())).containsExactly("root");
    assertThat(trustStore.getCertificate("root")).isEqualTo(intermediate.rootCertificate());
  }

  @Test
  void writeCertificatePem_writesTheCaCertificate(@TempDir Path directory) throws Exception {
    TestCa ca = TestCa.create();
    Path file = ca.writeCertificatePem(directory.resolve("sub/ca.pem"));

    String pem = Files.readString(file, StandardCharsets.US_ASCII);
    assertThat(pem).isEqualTo(ca.certificatePem()).startsWith("-----BEGIN CERTIFICATE-----\n");
    assertThat(CertificateFactory.getInstance("X.509")
            .generateCertificate(Files.newInputStream(file)))
        .isEqualTo(ca.certificate());
  }

  @Test
  void caKeyPair_signsWhatItsPublicKeyVerifies() throws Exception {
    for (TestCa ca : List.of(TestCa.create(), TestCa.builder().keyType(KeyType.ED25519).build())) {
      String algorithm = ca.certificate().getSigAlgName();
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(ca.keyPair().getPrivate());
      signer.update("hello".getBytes(StandardCharsets.UTF_8));
      byte[] signature = signer.sign();

      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(ca.certificate().getPublicKey());
      verifier.update("hello".getBytes(StandardCharsets.UTF_8));
      assertThat(verifier.verify(signature)).as(algorithm).isTrue();
    }
  }

  @Test
  void issuing_fromSeveralThreads_givesDistinctSerials() throws Exception {
    TestCa ca = TestCa.create();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<BigInteger>> serials = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        int n = i;
        serials.add(pool.submit(() -> ca.client("client-" + n).serialNumber()));
      }
      Set<BigInteger> distinct = new HashSet<>();
      for (Future<BigInteger> serial : serials) {
        distinct.add(serial.get(30, TimeUnit.SECONDS));
      }
      assertThat(distinct).hasSize(200);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void caCertificate_isValidAtTheClockInstant() throws Exception {
    TestCa ca = TestCa.create();
    ca.certificate().checkValidity(Date.from(ca.clock().instant()));
    assertThat(ca.toString()).isEqualTo("TestCa[" + ca.subject().getName() + "]");
  }

  static List<String> jdkAlgorithms(KeyType keyType) {
    switch (keyType) {
      case ED25519:
        return List.of("EdDSA", "Ed25519");
      case RSA_2048:
      case RSA_3072:
      case RSA_4096:
        return List.of("RSA");
      default:
        return List.of("EC");
    }
  }

  static byte[] subjectKeyId(X509Certificate certificate) throws Exception {
    return SubjectKeyIdentifier.fromExtensions(
            new JcaX509CertificateHolder(certificate).getExtensions())
        .getKeyIdentifier();
  }

  static byte[] authorityKeyId(X509Certificate certificate) throws Exception {
    return AuthorityKeyIdentifier.fromExtensions(
            new JcaX509CertificateHolder(certificate).getExtensions())
        .getKeyIdentifierOctets();
  }
}
