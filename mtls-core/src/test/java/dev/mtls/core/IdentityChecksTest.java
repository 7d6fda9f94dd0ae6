package dev.mtls.core;

import static dev.mtls.core.LoadingFixtures.assertLoadFails;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.mtls.core.internal.material.IdentityChecks;
import dev.mtls.core.internal.material.IdentityMaterial;
import dev.mtls.core.internal.material.TrustMaterial;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.PemFiles;
import dev.mtls.testkit.TestCa;
import dev.mtls.testkit.TestClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityChecksTest {
  private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
  private static final TestCa ROOT =
      TestCa.builder().commonName("Root CA").clock(new TestClock(NOW)).build();
  private static final TestCa INTERMEDIATE = ROOT.newIntermediate("Intermediate CA");

  @TempDir Path dir;

  @Test
  void checkValidity_passes_forCurrentCertificate() {
    IssuedCertificate issued = ROOT.leaf("server").issue();

    assertThatCode(() -> IdentityChecks.checkValidity(
        issued.certificate(), "certificate chain", null, NOW, Duration.ZERO))
        .doesNotThrowAnyException();
  }

  @Test
  void checkValidity_failsWithDates_whenCertificateExpired() {
    Instant notAfter = Instant.parse("2026-11-24T03:00:00Z");
    IssuedCertificate issued = ROOT.leaf("x")
        .notBefore(notAfter.minus(Duration.ofDays(1))).notAfter(notAfter).issue();
    Path file = dir.resolve("cert.pem");

    assertLoadFails(() -> IdentityChecks.checkValidity(
            issued.certificate(), "certificate chain", file, NOW, Duration.ofMinutes(1)),
        file, "certificate CN=x expired at 2026-11-24T03:00:00Z (now 2026-11-25T10:00:00Z)");
  }

  @Test
  void checkValidity_failsWithDates_whenCertificateNotYetValid() {
    Instant notBefore = Instant.parse("2026-11-26T00:00:00Z");
    IssuedCertificate issued = ROOT.leaf("x")
        .notBefore(notBefore).notAfter(notBefore.plus(Duration.ofDays(1))).issue();
    Path file = dir.resolve("cert.pem");

    assertLoadFails(() -> IdentityChecks.checkValidity(
            issued.certificate(), "certificate chain", file, NOW, Duration.ofMinutes(1)),
        file, "certificate CN=x is not yet valid: valid from 2026-11-26T00:00:00Z"
            + " (now 2026-11-25T10:00:00Z)");
  }

  @Test
  void checkValidity_toleratesSkew() {
    IssuedCertificate issued = ROOT.leaf("x")
        .notBefore(NOW.plusSeconds(30)).notAfter(NOW.plus(Duration.ofDays(1))).issue();

    assertThatCode(() -> IdentityChecks.checkValidity(
        issued.certificate(), "certificate chain", null, NOW, Duration.ofMinutes(1)))
        .doesNotThrowAnyException();
  }

  @Test
  void checkChainLeadsTo_passes_whenLastIssuerIsAnAnchor() {
    IdentityMaterial identity = load(INTERMEDIATE.leaf("server").issue());

    assertThatCode(() -> IdentityChecks.checkChainLeadsTo(identity, trust(ROOT)))
        .doesNotThrowAnyException();
  }

  @Test
  void checkChainLeadsTo_passes_whenAChainCertificateIsItselfAnAnchor() {
    IdentityMaterial identity = load(INTERMEDIATE.leaf("server").issue());

    assertThatCode(() -> IdentityChecks.checkChainLeadsTo(identity, trust(INTERMEDIATE)))
        .doesNotThrowAnyException();
  }

  @Test
  void checkChainLeadsTo_failsNamingIssuerAndAnchors_whenChainLeadsElsewhere() {
    IssuedCertificate issued = INTERMEDIATE.leaf("server").issue();
    PemFiles files = issued.writePem(dir);
    IdentityMaterial identity = load(files);
    TestCa other = TestCa.builder().commonName("Other CA").build();
    TestCa third = TestCa.builder().commonName("Third CA").build();
    TrustMaterial trust = new TrustMaterial(
        List.of(other.certificate(), third.certificate()), "PEM file /etc/tls/ca.pem");

    assertLoadFails(() -> IdentityChecks.checkChainLeadsTo(identity, trust, files.chain()),
        files.chain(), "chain ends at issuer CN=Root CA, which is not among the 2 trust anchors"
            + " (CN=Other CA; CN=Third CA) from PEM file /etc/tls/ca.pem");
  }

  @Test
  void checkChainLeadsTo_failsNamingOrigin_whenNoFileIsGiven() {
    PemFiles files = INTERMEDIATE.leaf("server").issue().writePem(dir);
    IdentityMaterial identity = load(files);
    TestCa other = TestCa.builder().commonName("Other CA").build();

    assertLoadFails(() -> IdentityChecks.checkChainLeadsTo(identity, trust(other)), null,
        "cannot load certificate chain (PEM files " + files.chain(),
        "chain ends at issuer CN=Root CA, which is not among the 1 trust anchor (CN=Other CA)");
  }

  @Test
  void checkChainLeadsTo_failsSayingForged_whenAnchorHasTheIssuerNameButAnotherKey() {
    PemFiles files = ROOT.leaf("server").issue().writePem(dir);
    IdentityMaterial identity = load(files);
    TestCa impostor = TestCa.builder().commonName("Root CA").build();

    assertLoadFails(
        () -> IdentityChecks.checkChainLeadsTo(identity, trust(impostor), files.chain()),
        files.chain(), "chain ends at issuer CN=Root CA, which names a trust anchor, but its"
            + " signature does not verify with that anchor's key");
  }

  @Test
  void checkChainOrder_failsNamingCertificate_whenSignatureDoesNotVerifyWithTheNext() {
    IssuedCertificate issued = ROOT.leaf("server").issue();
    TestCa impostor = TestCa.builder().commonName("Root CA").build();
    Path file = dir.resolve("chain.pem");

    assertLoadFails(() -> IdentityChecks.checkChainOrder(
            List.of(issued.certificate(), impostor.certificate()), "certificate chain", file),
        file, "certificate 1 (CN=server) names CN=Root CA as its issuer, but its signature does"
            + " not verify with certificate 2's key");
  }

  @Test
  void inMemoryIdentity_isCheckedLikeFiles() {
    IssuedCertificate issued = ROOT.leaf("server").issue();
    IssuedCertificate other = ROOT.leaf("other").issue();

    assertLoadFails(() -> IdentitySource.of(other.privateKey(), issued.chain()), null,
        "cannot load in-memory identity: private key does not match the certificate's public key"
            + " (certificate CN=server");
    assertLoadFails(() -> IdentitySource.of(issued.privateKey(), List.of()), null,
        "the certificate chain is empty");
    assertThatCode(() -> IdentitySource.of(issued.privateKey(), issued.chain()).loader().load())
        .doesNotThrowAnyException();
  }

  @Test
  void checkIdentityChain_passes_forTenCertificates_andFailsNamingCountAndLimit_forEleven() {
    TestCa issuer = ROOT;
    for (int i = 1; i <= 8; i++) {
      issuer = issuer.newIntermediate("Intermediate " + i);
    }
    List<java.security.cert.X509Certificate> ten = issuer.leaf("server").issue().fullChain();
    TestCa deeper = issuer.newIntermediate("Intermediate 9");
    List<java.security.cert.X509Certificate> eleven = deeper.leaf("server").issue().fullChain();
    Path file = dir.resolve("chain.pem");

    assertThatCode(() -> IdentityChecks.checkIdentityChain(ten, "certificate chain", file))
        .doesNotThrowAnyException();
    assertLoadFails(() -> IdentityChecks.checkIdentityChain(eleven, "certificate chain", file),
        file, "the certificate chain has 11 certificates, more than the 10 that peers accept (the"
            + " JDK's default jdk.tls.maxCertificateChainLength)");
  }

  @Test
  void checkIdentityChain_failsNamingTheCertificate_whenTheLeafIsACaCertificate() {
    Path file = dir.resolve("chain.pem");

    assertLoadFails(
        () -> IdentityChecks.checkIdentityChain(List.of(INTERMEDIATE.certificate()), "certificate chain", file),
        file, "the certificate CN=Intermediate CA, serial "
            + INTERMEDIATE.certificate().getSerialNumber().toString(16)
            + " is a CA certificate (basicConstraints cA=true), not an end-entity certificate");
  }

  @Test
  void inMemoryIdentity_isRefused_whenItIsTheCaCertificateAndItsKey() {
    assertLoadFails(() -> IdentitySource.of(ROOT.keyPair().getPrivate(), List.of(ROOT.certificate())),
        null, "cannot load in-memory identity: the certificate CN=Root CA", "is a CA certificate");
  }

  @Test
  void checkTrustAnchor_passes_forACaCertificate_andASelfSignedVersion1Root() throws Exception {
    assertThatCode(() -> IdentityChecks.checkTrustAnchor(INTERMEDIATE.certificate(), "trust anchors", null))
        .doesNotThrowAnyException();
    assertThatCode(() -> IdentityChecks.checkTrustAnchor(selfSigned(1, "CN=Old Root"), "trust anchors", null))
        .doesNotThrowAnyException();
  }

  @Test
  void checkTrustAnchor_failsNamingSubjectAndIssuer_whenAServerCertificateIsGiven() {
    IssuedCertificate server = INTERMEDIATE.leaf("server").issue();
    Path file = dir.resolve("ca.pem");

    assertLoadFails(() -> IdentityChecks.checkTrustAnchor(server.certificate(), "trust anchors", file),
        file, "certificate " + IdentityChecks.describe(server.certificate())
            + " is not a CA certificate (basicConstraints cA=false): only CA certificates may be"
            + " trust anchors", "put the certificate of its issuer, CN=Intermediate CA, in the trust file instead");
  }

  @Test
  void checkTrustAnchor_fails_forASelfSignedVersion3CertificateWithoutBasicConstraints() throws Exception {
    assertLoadFails(() -> IdentityChecks.checkTrustAnchor(selfSigned(3, "CN=pinned"), "trust anchors", null),
        null, "certificate CN=pinned", "is not a CA certificate (no basicConstraints extension)");
  }

  @Test
  void inMemoryTrust_refusesALeafCertificate() {
    IssuedCertificate server = ROOT.leaf("server").issue();

    assertLoadFails(() -> TrustSource.of(List.of(ROOT.certificate(), server.certificate())), null,
        "cannot load in-memory trust anchors: certificate CN=server", "is not a CA certificate");
  }

  @Test
  void messages_escapeControlCharactersInCertificateNames_andCutLongOnes() {
    IssuedCertificate forged = ROOT.leaf("x\nERROR forged line").issue();
    // A name of 10,000 characters, from RDNs each short enough for RFC 5280.
    String manyUnits = String.join(",", java.util.Collections.nCopies(200, "OU=" + "y".repeat(46)));
    IssuedCertificate longName = ROOT.leaf("y").subject("CN=y," + manyUnits).issue();

    MtlsLoadException newline = assertLoadFails(
        () -> IdentityChecks.checkTrustAnchor(forged.certificate(), "trust anchors", null), null,
        "certificate CN=x\\u000aERROR forged line, serial");
    MtlsLoadException cut = assertLoadFails(
        () -> IdentityChecks.checkTrustAnchor(longName.certificate(), "trust anchors", null), null,
        "...(" + ("CN=y," + manyUnits).length() + " chars)");

    assertThat(newline.getMessage()).doesNotContain("\n");
    assertThat(cut.getMessage()).hasSizeLessThan(1_000);
  }

  /** A self-signed certificate with no extensions at all, which the testkit deliberately cannot make. */
  private static java.security.cert.X509Certificate selfSigned(int version, String name) throws Exception {
    java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    java.security.KeyPair key = generator.generateKeyPair();
    org.bouncycastle.asn1.x500.X500Name subject = new org.bouncycastle.asn1.x500.X500Name(name);
    java.util.Date from = java.util.Date.from(NOW.minus(Duration.ofDays(1)));
    java.util.Date to = java.util.Date.from(NOW.plus(Duration.ofDays(365)));
    org.bouncycastle.operator.ContentSigner signer =
        new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate());
    org.bouncycastle.cert.X509CertificateHolder holder = version == 1
        ? new org.bouncycastle.cert.jcajce.JcaX509v1CertificateBuilder(subject, java.math.BigInteger.ONE,
            from, to, subject, key.getPublic()).build(signer)
        : new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(subject, java.math.BigInteger.TWO,
            from, to, subject, key.getPublic()).build(signer);
    return (java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
        .generateCertificate(new java.io.ByteArrayInputStream(holder.getEncoded()));
  }

  private IdentityMaterial load(IssuedCertificate issued) {
    return load(issued.writePem(dir.resolve(issued.serialNumber().toString(16))));
  }

  private static IdentityMaterial load(PemFiles files) {
    return IdentitySource.pemFiles(files.chain(), files.privateKey()).loader().load();
  }

  private static TrustMaterial trust(TestCa ca) {
    return new TrustMaterial(List.of(ca.certificate()), "test anchors");
  }
}
