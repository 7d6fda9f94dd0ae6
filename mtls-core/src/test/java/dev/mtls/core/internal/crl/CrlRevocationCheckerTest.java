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
        false);
    try (CrlRevocationChecker checker =
        CrlRevocationChecker.start(List.of(source), settings, clock, MtlsListener.silent())) {
      assertThat(checker.check(peer.fullChain(), clock.instant())).isEqualTo(RevocationStatus.GOOD);

      clock.advance(Duration.ofHours(2).plusSeconds(1));
      assertThat(checker.check(peer.fullChain(), clock.instant()).detail())
          .contains("is stale: it has no nextUpdate");

      checker.refreshNow();
      assertThat(checker.check(peer.fullChain(), clock.instant())).isEqualTo(RevocationStatus.GOOD);
    }
  }

  private static byte[] crlWithoutNextUpdate(TestCa ca) throws Exception {
    var builder = new org.bouncycastle.cert.X509v2CRLBuilder(
        org.bouncycastle.asn1.x500.X500Name.getInstance(ca.subject().getEncoded()),
        java.util.Date.from(ca.clock().instant()));
    return builder.build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder(
        "SHA256withECDSA").setProvider(BouncyCastle.PROVIDER).build(ca.keyPair().getPrivate()))
        .getEncoded();
  }
}
