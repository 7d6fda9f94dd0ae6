package dev.mtls.core;

import static dev.mtls.core.LoadingFixtures.assertLoadFails;
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
