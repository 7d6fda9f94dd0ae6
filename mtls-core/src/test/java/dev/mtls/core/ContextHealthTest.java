package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.PemFiles;
import dev.mtls.testkit.TestCa;
import dev.mtls.testkit.TestClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A context's status and health as an operator's health endpoint reads them: what it holds,
 * and OK, DEGRADED or DOWN with the reasons, by the context's clock.
 */
class ContextHealthTest {
  @TempDir Path dir;

  private final TestClock clock = new TestClock();
  private final TestCa ca = TestCa.builder().clock(clock).build();

  private IssuedCertificate server(Duration validity) {
    return ca.leaf("localhost").dnsNames("localhost").serverAuth().validFor(validity).issue();
  }

  private MtlsContext serverFrom(PemFiles files, Revocation revocation) {
    return MtlsContext.forServer()
        .identity(IdentitySource.pemFiles(files.chain(), files.privateKey()))
        .trust(TrustSource.pemFile(files.caCertificate()))
        .revocation(revocation)
        .peerPolicy(PeerPolicy.anyTrustedPeer())
        .reload(ReloadPolicy.disabled())
        .clock(clock)
        .build();
  }

  @Test
  void status_namesTheChainTheAnchorsAndTheReloadedMaterials() {
    IssuedCertificate certificate = server(Duration.ofDays(90));
    try (MtlsContext context = serverFrom(certificate.writePem(dir), Revocation.none())) {
      ContextStatus status = context.status();

      assertThat(status.at()).isEqualTo(clock.instant());
      assertThat(status.identity()).extracting(MtlsListener.CertificateSummary::serialNumber)
          .containsExactly(certificate.serialNumber());
      assertThat(status.identity().get(0).notAfter()).isEqualTo(certificate.certificate().getNotAfter().toInstant());
      assertThat(status.trustAnchors()).extracting(MtlsListener.CertificateSummary::serialNumber)
          .containsExactly(ca.certificate().getSerialNumber());
      assertThat(status.reloads()).extracting(ContextStatus.Reload::material)
          .containsExactly(Material.TRUST_ANCHORS, Material.IDENTITY);
      assertThat(status.reloads()).allSatisfy(reload -> {
        assertThat(reload.failing()).isFalse();
        assertThat(reload.lastSuccess()).isEqualTo(clock.instant());
      });
      assertThat(status.crls()).isEmpty();
      assertThat(context.health()).isEqualTo(new Health(Health.Status.OK, List.of()));
    }
  }

  @Test
  void health_isDegraded_whileAReloadIsRefused_andOkOnceTheFilesAreRightAgain() throws Exception {
    IssuedCertificate certificate = server(Duration.ofDays(90));
    PemFiles files = certificate.writePem(dir);
    try (MtlsContext context = serverFrom(files, Revocation.none())) {
      String goodKey = Files.readString(files.privateKey());
      ReloadFixture.writeAtomically(files.privateKey(), server(Duration.ofDays(90)).privateKeyPem());
      clock.advance(Duration.ofMinutes(1));

      assertThat(context.reloadNow().of(Material.IDENTITY).status()).isEqualTo(ReloadResult.Status.FAILED);

      Health health = context.health();
      assertThat(health.status()).isEqualTo(Health.Status.DEGRADED);
      assertThat(health.reasons()).singleElement().asString()
          .startsWith("identity reload failing since " + clock.instant())
          .contains(files.privateKey().toString(), "does not match");
      ContextStatus.Reload identity = context.status().reloads().get(1);
      assertThat(identity.failure()).isNotNull();
      assertThat(identity.lastSuccess()).isEqualTo(clock.instant().minus(Duration.ofMinutes(1)));

      clock.advance(Duration.ofMinutes(1));
      assertThat(context.reloadNow().failed()).isTrue();
      assertThat(context.status().reloads().get(1).failure().since())
          .as("a run of failures is failing since its first")
          .isEqualTo(clock.instant().minus(Duration.ofMinutes(1)));

      ReloadFixture.writeAtomically(files.privateKey(), goodKey);
      context.reloadNow();
      assertThat(context.health().status()).isEqualTo(Health.Status.OK);
    }
  }

  @Test
  void health_isDegraded_whenTheIdentityExpiresWithinTheWarning_andDown_onceItHasExpired() {
    IssuedCertificate certificate = server(Duration.ofDays(40));
    try (MtlsContext context = serverFrom(certificate.writePem(dir), Revocation.none())) {
      assertThat(context.health().status()).isEqualTo(Health.Status.OK);

      clock.advance(Duration.ofDays(11));
      Health expiring = context.health();
      assertThat(expiring.status()).isEqualTo(Health.Status.DEGRADED);
      assertThat(expiring.reasons()).singleElement().asString()
          .startsWith("identity certificate CN=localhost").contains("expires within PT720H");

      clock.advance(Duration.ofDays(30));
      Health expired = context.health();
      assertThat(expired.status()).isEqualTo(Health.Status.DOWN);
      assertThat(expired.reasons()).singleElement().asString()
          .startsWith("identity certificate CN=localhost").endsWith("has expired");
    }
  }

  @Test
  void health_isDown_whenEveryTrustAnchorHasExpired() {
    TestCa shortLived = TestCa.builder().clock(clock).validity(Duration.ofDays(60)).build();
    IssuedCertificate certificate = server(Duration.ofDays(3000));
    try (MtlsContext context = MtlsContext.forServer()
        .identity(IdentitySource.of(certificate.privateKey(), certificate.chain()))
        .trust(TrustSource.of(List.of(shortLived.certificate())))
        .peerPolicy(PeerPolicy.anyTrustedPeer())
        .reload(ReloadPolicy.disabled())
        .clock(clock)
        .build()) {
      clock.advance(Duration.ofDays(61));

      Health health = context.health();
      assertThat(health.status()).isEqualTo(Health.Status.DOWN);
      assertThat(health.reasons()).singleElement().asString().startsWith("no valid trust anchor: every peer is refused");
    }
  }

  @Test
  void health_isDegraded_whileACrlIsUsedStaleUnderSoftFail_andDown_beyondTheAllowance() {
    IssuedCertificate certificate = server(Duration.ofDays(90));
    Path crl = ca.writeCrl(dir.resolve("ca.crl"));
    Instant nextUpdate = ca.crl().getNextUpdate().toInstant();
    try (MtlsContext context = serverFrom(certificate.writePem(dir),
        Revocation.crls().file(crl).softFail(Duration.ofDays(1)).build())) {
      assertThat(context.status().crls()).singleElement().satisfies(status -> {
        assertThat(status.nextUpdate()).isEqualTo(nextUpdate);
        assertThat(status.freshness()).isEqualTo(ContextStatus.Freshness.FRESH);
      });

      clock.set(nextUpdate.plus(Duration.ofHours(1)));
      Health stale = context.health();
      assertThat(stale.status()).isEqualTo(Health.Status.DEGRADED);
      assertThat(stale.reasons()).singleElement().asString().endsWith("is stale, still used under soft-fail");

      clock.set(nextUpdate.plus(Duration.ofDays(2)));
      Health refused = context.health();
      assertThat(refused.status()).isEqualTo(Health.Status.DOWN);
      assertThat(refused.reasons()).singleElement().asString().endsWith("is stale: the peers it covers are refused");
    }
  }
}
