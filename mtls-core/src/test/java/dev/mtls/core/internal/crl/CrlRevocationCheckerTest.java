package dev.mtls.core.internal.crl;

import dev.mtls.core.internal.BouncyCastle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.core.MtlsListener;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import dev.mtls.testkit.TestClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrlRevocationCheckerTest {
  @TempDir Path dir;

  private final TestClock clock = new TestClock();

  @Test
  void crlWithoutNextUpdate_staysCurrent_whileItIsFetchedAgain() throws Exception {
    TestCa ca = TestCa.builder().clock(clock).build();
    IssuedCertificate peer = ca.client("peer");
    Path file = dir.resolve("no-next-update.crl");
    CrlSource source = new FileCrlSource(file);
    Files.write(file, crlWithoutNextUpdate(ca));
    CrlSettings settings = new CrlSettings(Duration.ofHours(1), Duration.ofSeconds(10), null,
        false, 64L << 20, Duration.ZERO);
    try (CrlRevocationChecker checker =
        CrlRevocationChecker.start(List.of(source), settings,
            KnownIssuers.anchors(List.of(ca.certificate())), clock, MtlsListener.silent())) {
      assertThat(checker.check(peer.fullChain(), clock.instant())).isEqualTo(RevocationStatus.GOOD);

      clock.advance(Duration.ofHours(2).plusSeconds(1));
      assertThat(checker.check(peer.fullChain(), clock.instant()).detail())
          .contains("is stale: it has no nextUpdate");

      checker.refreshNow();
      assertThat(checker.check(peer.fullChain(), clock.instant())).isEqualTo(RevocationStatus.GOOD);
    }
  }

  @Test
  void lookupAfterARefresh_verifiesNoSignature_evenForA200000EntryCrl() throws Exception {
    TestCa ca = TestCa.builder().clock(clock).build();
    IssuedCertificate peer = ca.client("peer");
    IssuedCertificate revoked = ca.client("revoked");
    Path file = dir.resolve("big.crl");
    Files.write(file, ca.crlBuilder().addSyntheticRevocations(200_000).build().getEncoded());
    CrlSettings settings = new CrlSettings(Duration.ofHours(1), Duration.ofSeconds(10), null,
        false, 64L << 20, Duration.ZERO);
    try (CrlRevocationChecker checker = CrlRevocationChecker.start(List.of(new FileCrlSource(file)),
        settings, KnownIssuers.anchors(List.of(ca.certificate())), clock, MtlsListener.silent())) {
      ca.revoke(revoked);
      clock.advance(Duration.ofMinutes(1));
      Files.write(file, ca.crlBuilder().addSyntheticRevocations(200_000).build().getEncoded());
      assertThat(checker.refreshNow()).isEmpty();
      IndexedCrl refreshed = checker.current().get(0);
      assertThat(refreshed.size()).isEqualTo(200_001);
      assertThat(refreshed.signatureChecks()).as("verified on the refreshing thread").isEqualTo(1);

      assertThat(checker.check(peer.fullChain(), clock.instant())).isEqualTo(RevocationStatus.GOOD);
      assertThat(checker.check(revoked.fullChain(), clock.instant()).state())
          .isEqualTo(RevocationStatus.State.REVOKED);
      assertThat(refreshed.signatureChecks()).as("signature checks during the lookups").isEqualTo(1);
    }
  }

  @Test
  void lookup_verifiesNoSignature_whenThePathCarriesTheAnchorAsAnotherObject() throws Exception {
    // the same key in another object (as a provider's own certificate class would hold it)
    TestCa ca = TestCa.builder().clock(clock).build();
    IssuedCertificate peer = ca.client("peer");
    Path file = ca.writeCrl(dir.resolve("ca.crl"));
    CrlSettings settings = new CrlSettings(Duration.ofHours(1), Duration.ofSeconds(10), null,
        false, 64L << 20, Duration.ZERO);
    try (CrlRevocationChecker checker = CrlRevocationChecker.start(List.of(new FileCrlSource(file)),
        settings, KnownIssuers.anchors(List.of(ca.certificate())), clock, MtlsListener.silent())) {
      java.security.cert.X509Certificate copy = (java.security.cert.X509Certificate)
          java.security.cert.CertificateFactory.getInstance("X.509", BouncyCastle.PROVIDER)
              .generateCertificate(new java.io.ByteArrayInputStream(ca.certificate().getEncoded()));

      assertThat(checker.check(List.of(peer.certificate(), copy), clock.instant())).isEqualTo(RevocationStatus.GOOD);
      assertThat(checker.current().get(0).signatureChecks()).isEqualTo(1);
    }
  }

  private static byte[] crlWithoutNextUpdate(TestCa ca) throws Exception {
    var builder = new org.bouncycastle.cert.X509v2CRLBuilder(
        org.bouncycastle.asn1.x500.X500Name.getInstance(ca.subject().getEncoded()),
        java.util.Date.from(ca.clock().instant()));
    builder.addExtension(org.bouncycastle.asn1.x509.Extension.cRLNumber, false,
        new org.bouncycastle.asn1.x509.CRLNumber(java.math.BigInteger.ONE));
    return builder.build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder(
        "SHA256withECDSA").setProvider(BouncyCastle.PROVIDER).build(ca.keyPair().getPrivate()))
        .getEncoded();
  }
}
