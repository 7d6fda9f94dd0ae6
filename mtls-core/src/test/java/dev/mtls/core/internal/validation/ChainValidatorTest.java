package dev.mtls.core.internal.validation;

import dev.mtls.core.internal.BouncyCastle;
import dev.mtls.core.internal.material.TrustMaterial;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.core.RejectionReason;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.KeyType;
import dev.mtls.testkit.TestCa;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

class ChainValidatorTest {
  private final TestCa root = TestCa.create();
  private final ChainValidator validator = new ChainValidator(new TrustMaterial(List.of(root.certificate()), "test"));

  @Test
  void ordersAShuffledChain_withTheRootAndAnExtraCertificate() {
    TestCa intermediate = root.newIntermediate("Issuing CA");
    IssuedCertificate leaf = intermediate.client("orders");
    X509Certificate unrelated = TestCa.create().certificate();

    ChainValidator.Result result = validator.validate(
        List.of(leaf.certificate(), unrelated, root.certificate(), intermediate.certificate()), now(), Duration.ZERO);

    assertThat(result.isValid()).as(result.detail()).isTrue();
    assertThat(result.path()).containsExactly(leaf.certificate(), intermediate.certificate(), root.certificate());
    assertThat(result.identity().commonName()).contains("orders");
  }

  @Test
  void memoryOfValidatedChains_keepsReturningPeers_whileMoreNewcomersPassThanItHolds() {
    // The production memory holds 10,000 chains; the same happens at any size, faster at 100.
    int capacity = 100;
    ChainValidator small = new ChainValidator(new TrustMaterial(List.of(root.certificate()), "test"), capacity);
    KeyPair sharedKey = root.client("key donor").keyPair();
    List<List<X509Certificate>> returning = new ArrayList<>();
    List<ChainValidator.Result> firstSight = new ArrayList<>();
    for (int peer = 0; peer < 20; peer++) {
      returning.add(root.leaf("returning-" + peer).clientAuth().keyPair(sharedKey).issue().chain());
      firstSight.add(small.validate(returning.get(peer), now(), Duration.ZERO));
    }

    for (int peer = 0; peer < 3 * capacity; peer++) {
      List<X509Certificate> once = root.leaf("newcomer-" + peer).clientAuth().keyPair(sharedKey).issue().chain();
      assertThat(small.validate(once, now(), Duration.ZERO).isValid()).isTrue();
      if (peer % 25 == 0) {
        for (int back = 0; back < returning.size(); back++) {
          assertThat(small.validate(returning.get(back), now(), Duration.ZERO))
              .as("returning peer %d after %d newcomers: remembered, not validated again", back, peer)
              .isSameAs(firstSight.get(back));
        }
      }
    }

    assertThat(small.rememberedChains()).isEqualTo(capacity);
  }

  @Test
  void remembersAValidatedChain_andReturnsTheSameIdentity() {
    IssuedCertificate leaf = root.client("orders");
    ChainValidator.Result first = validator.validate(leaf.chain(), now(), Duration.ZERO);
    ChainValidator.Result second = validator.validate(leaf.chain(), now(), Duration.ZERO);
    assertThat(second.identity()).isSameAs(first.identity());
  }

  @Test
  void stillChecksValidity_forARememberedChain() {
    IssuedCertificate leaf = root.client("orders");
    assertThat(validator.validate(leaf.chain(), now(), Duration.ZERO).isValid()).isTrue();

    ChainValidator.Result later = validator.validate(leaf.chain(), now().plus(Duration.ofDays(400)), Duration.ZERO);
    assertThat(later.reason()).isEqualTo(RejectionReason.EXPIRED);
  }

  @Test
  void refusesAnIntermediateWithTheRightNameButAForeignKey() {
    TestCa genuine = root.newIntermediate("Issuing CA");
    TestCa impostorRoot = TestCa.create();
    TestCa impostor = impostorRoot.newIntermediate("Issuing CA");
    IssuedCertificate leaf = impostor.client("orders");

    ChainValidator.Result result = validator.validate(List.of(leaf.certificate(), genuine.certificate()), now(),
        Duration.ZERO);
    assertThat(result.reason()).isEqualTo(RejectionReason.UNTRUSTED_ISSUER);
  }

  @Test
  void refusesSha1Signatures() throws Exception {
    X509Certificate sha1 = sign(root, "SHA1withECDSA", ecKey());
    ChainValidator.Result result = validator.validate(List.of(sha1), now(), Duration.ZERO);
    assertThat(result.reason()).isEqualTo(RejectionReason.UNTRUSTED_ISSUER);
    assertThat(result.detail()).contains("SHA1withECDSA");
  }

  @Test
  void refusesRsaPssWithSha1_andAcceptsItWithSha256() throws Exception {
    TestCa rsaRoot = TestCa.builder().keyType(KeyType.RSA_2048).build();
    ChainValidator rsaValidator = new ChainValidator(new TrustMaterial(List.of(rsaRoot.certificate()), "test"));

    ChainValidator.Result sha1 = rsaValidator.validate(List.of(sign(rsaRoot, "SHA1withRSAandMGF1", ecKey())),
        now(), Duration.ZERO);
    assertThat(sha1.reason()).isEqualTo(RejectionReason.UNTRUSTED_ISSUER);
    assertThat(sha1.detail()).contains("RSASSA-PSS");

    ChainValidator.Result sha256 = rsaValidator.validate(List.of(sign(rsaRoot, "SHA256withRSAandMGF1", ecKey())),
        now(), Duration.ZERO);
    assertThat(sha256.isValid()).as(sha256.detail()).isTrue();
  }

  @Test
  void refusesShortRsaKeys() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(1024);
    X509Certificate weak = sign(root, "SHA256withECDSA", generator.generateKeyPair());
    ChainValidator.Result result = validator.validate(List.of(weak), now(), Duration.ZERO);
    assertThat(result.reason()).isEqualTo(RejectionReason.MALFORMED_CERTIFICATE);
    assertThat(result.detail()).contains("1024-bit RSA key");
  }

  @Test
  void refusesAChainUnderAnAnchorWithAShortKey() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(1024);
    KeyPair weakKey = generator.generateKeyPair();
    Instant now = root.clock().instant();
    X500Name name = new X500Name("CN=Weak Root");
    X509CertificateHolder weakRoot = new JcaX509v3CertificateBuilder(name, BigInteger.TEN,
        Date.from(now.minusSeconds(60)), Date.from(now.plus(Duration.ofDays(10))), name, weakKey.getPublic())
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
        .build(new JcaContentSignerBuilder("SHA256withRSA").setProvider(BouncyCastle.PROVIDER).build(weakKey.getPrivate()));
    ChainValidator underWeakRoot = new ChainValidator(new TrustMaterial(List.of(jdk(weakRoot.getEncoded())), "test"));

    X509CertificateHolder leaf = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(11),
        Date.from(now.minusSeconds(60)), Date.from(now.plus(Duration.ofDays(1))), new X500Name("CN=leaf"),
        ecKey().getPublic())
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
        .build(new JcaContentSignerBuilder("SHA256withRSA").setProvider(BouncyCastle.PROVIDER).build(weakKey.getPrivate()));

    ChainValidator.Result result = underWeakRoot.validate(List.of(jdk(leaf.getEncoded())), now, Duration.ZERO);
    assertThat(result.reason()).isEqualTo(RejectionReason.UNTRUSTED_ISSUER);
    assertThat(result.detail()).contains("trust anchor").contains("1024-bit RSA key");
  }

  @Test
  void refusesACaCertificateAsThePeer() {
    TestCa intermediate = root.newIntermediate("Issuing CA");
    assertThat(validator.validate(intermediate.chain(), now(), Duration.ZERO).reason())
        .isEqualTo(RejectionReason.MALFORMED_CERTIFICATE);
  }

  @Test
  void honoursNameConstraintsOfATrustAnchor() throws Exception {
    KeyPair rootKey = ecKey();
    Instant now = root.clock().instant();
    X500Name rootName = new X500Name("CN=Constrained Root");
    NameConstraints constraints = new NameConstraints(
        new GeneralSubtree[] {new GeneralSubtree(new GeneralName(GeneralName.dNSName, "good.example"))}, null);
    X509CertificateHolder rootHolder = new JcaX509v3CertificateBuilder(rootName, BigInteger.ONE,
        Date.from(now.minusSeconds(60)), Date.from(now.plus(Duration.ofDays(10))), rootName, rootKey.getPublic())
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
        .addExtension(Extension.nameConstraints, true, constraints)
        .build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(BouncyCastle.PROVIDER).build(rootKey.getPrivate()));
    X509Certificate constrainedRoot = jdk(rootHolder.getEncoded());
    ChainValidator constrained = new ChainValidator(new TrustMaterial(List.of(constrainedRoot), "test"));

    assertThat(constrained.validate(List.of(leafFor(rootName, rootKey, "api.good.example", now)), now, Duration.ZERO)
        .isValid()).isTrue();
    ChainValidator.Result outside = constrained.validate(List.of(leafFor(rootName, rootKey, "api.evil.example", now)),
        now, Duration.ZERO);
    assertThat(outside.reason()).as(outside.detail()).isEqualTo(RejectionReason.UNTRUSTED_ISSUER);
  }

  private static X509Certificate leafFor(X500Name issuer, KeyPair issuerKey, String dnsName, Instant now)
      throws Exception {
    X509CertificateHolder holder = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(now.toEpochMilli()),
        Date.from(now.minusSeconds(60)), Date.from(now.plus(Duration.ofDays(1))), new X500Name("CN=" + dnsName),
        ecKey().getPublic())
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
        .addExtension(Extension.subjectAlternativeName, false,
            new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)))
        // The root has no subject key identifier to match: any key identifier will do (RFC 5280, 4.2.1.1).
        .addExtension(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(new byte[] {1}))
        .build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(BouncyCastle.PROVIDER)
            .build(issuerKey.getPrivate()));
    return jdk(holder.getEncoded());
  }

  private static X509Certificate jdk(byte[] der) throws Exception {
    return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
  }

  private Instant now() {
    return root.clock().instant();
  }

  private static KeyPair ecKey() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    return generator.generateKeyPair();
  }

  /** A leaf signed by the CA's key with any algorithm, which the testkit deliberately cannot make. */
  private static X509Certificate sign(TestCa ca, String algorithm, KeyPair subjectKey) throws Exception {
    Instant now = ca.clock().instant();
    X509CertificateHolder holder = new JcaX509v3CertificateBuilder(
        X500Name.getInstance(ca.subject().getEncoded()), BigInteger.valueOf(now.toEpochMilli()),
        Date.from(now.minusSeconds(60)), Date.from(now.plus(Duration.ofDays(1))),
        new X500Name("CN=weak"), subjectKey.getPublic())
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
        .addExtension(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(SubjectKeyIdentifier
            .getInstance(ASN1OctetString.getInstance(ca.certificate().getExtensionValue("2.5.29.14")).getOctets())
            .getKeyIdentifier()))
        .build(new JcaContentSignerBuilder(algorithm).setProvider(BouncyCastle.PROVIDER).build(ca.keyPair().getPrivate()));
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(holder.getEncoded()));
  }
}
