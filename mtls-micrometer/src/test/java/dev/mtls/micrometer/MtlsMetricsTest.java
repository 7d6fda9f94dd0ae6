package dev.mtls.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.core.ContextChange;
import dev.mtls.core.Health;
import dev.mtls.core.IdentitySource;
import dev.mtls.core.Material;
import dev.mtls.core.MtlsContext;
import dev.mtls.core.PeerPolicy;
import dev.mtls.core.ReloadPolicy;
import dev.mtls.core.ReloadResult;
import dev.mtls.core.Revocation;
import dev.mtls.core.TrustSource;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.PemFiles;
import dev.mtls.testkit.TestCa;
import dev.mtls.testkit.TestClock;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The meters an operator alerts on, after real handshakes, reloads and clock changes, in a
 * {@link SimpleMeterRegistry} and as Prometheus scrapes them.
 */
class MtlsMetricsTest {
  @TempDir Path dir;

  private final TestClock clock = new TestClock();
  private final TestCa ca = TestCa.builder().clock(clock).build();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void handshakesAndVerdicts_areCountedExactly_byStageOutcomeAndReason_inBothRegistries() throws Exception {
    IssuedCertificate revoked = ca.client("orders");
    ca.revoke(revoked);
    Path crl = ca.writeCrl(dir.resolve("ca.crl"));
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (MtlsContext server = MtlsContext.forServer()
            .identity(identity(longLivedServer()))
            .trust(TrustSource.of(List.of(ca.certificate())))
            .peerPolicy(PeerPolicy.builder().allowCommonNames("orders").build())
            .revocation(Revocation.crls().file(crl).build())
            .reload(ReloadPolicy.disabled())
            .clock(clock)
            .logging(false)
            .build();
        MtlsMetrics metrics = MtlsMetrics.of("api", server);
        LoopbackServer loopback = new LoopbackServer(server)) {
      metrics.bindTo(registry);
      metrics.bindTo(prometheus);

      SSLSession session = null;
      for (int i = 0; i < 3; i++) {
        session = handshake(loopback, ca.client("orders"), true);
      }
      handshake(loopback, TestCa.create().client("orders"), false);
      handshake(loopback, ca.client("intruder"), false);
      handshake(loopback, ca.client("intruder"), false);
      handshake(loopback, revoked, false);
      for (int i = 0; i < 3; i++) {
        assertThat(server.verifier().verify(session).isAllowed()).isTrue();
      }

      assertThat(verdicts(registry, "handshake", "accepted", "none")).isEqualTo(3);
      assertThat(verdicts(registry, "handshake", "refused", "untrusted_issuer")).isEqualTo(1);
      assertThat(verdicts(registry, "handshake", "refused", "identity_not_allowed")).isEqualTo(2);
      assertThat(verdicts(registry, "handshake", "refused", "revoked")).isEqualTo(1);
      assertThat(verdicts(registry, "verifier", "accepted", "none")).isEqualTo(1);
      assertThat(verdicts(registry, "remembered", "accepted", "none")).isEqualTo(2);
      assertThat(registry.get(MeterNames.VERDICTS).counters())
          .as("no other verdict counted").hasSize(3 * 11)
          .extracting(counter -> counter.count()).containsOnly(0.0, 1.0, 2.0, 3.0)
          .satisfies(counts -> assertThat(counts.stream().mapToDouble(Double::doubleValue).sum()).isEqualTo(10));

      String scrape = prometheus.scrape();
      assertThat(scrape).contains(
          "mtls_peer_verdicts_total{context=\"api\",outcome=\"accepted\",reason=\"none\",stage=\"handshake\"} 3.0",
          "mtls_peer_verdicts_total{context=\"api\",outcome=\"refused\",reason=\"untrusted_issuer\",stage=\"handshake\"} 1.0",
          "mtls_peer_verdicts_total{context=\"api\",outcome=\"refused\",reason=\"identity_not_allowed\",stage=\"handshake\"} 2.0",
          "mtls_peer_verdicts_total{context=\"api\",outcome=\"refused\",reason=\"revoked\",stage=\"handshake\"} 1.0",
          "mtls_peer_verdicts_total{context=\"api\",outcome=\"accepted\",reason=\"none\",stage=\"remembered\"} 2.0",
          "mtls_health{context=\"api\"} 0.0",
          "mtls_crl_next_update_seconds{context=\"api\",issuer=\"" + ca.subject().getName() + "\"}",
          "mtls_certificate_expiry_seconds{context=\"api\",material=\"trust_anchors\",serial=\""
              + ca.certificate().getSerialNumber().toString(16) + "\",subject=\"" + ca.subject().getName() + "\"}");
    }
  }

  @Test
  @Tag("class-path-only")
  void tenThousandDistinctRefusedPeers_addNoMeter() throws Exception {
    try (MtlsContext server = server(identity(ca.server("localhost")));
        MtlsMetrics metrics = MtlsMetrics.of("api", server)) {
      metrics.bindTo(registry);
      List<Meter> before = registry.getMeters();

      DistinctPeers peers = new DistinctPeers(TestCa.create().client("peer-00000").certificate());
      for (int i = 0; i < 10_000; i++) {
        assertThat(server.verifier().verify(List.of(peers.peer(i))).isAllowed()).isFalse();
      }

      assertThat(registry.getMeters()).hasSameSizeAs(before);
      assertThat(verdicts(registry, "verifier", "refused", "untrusted_issuer")).isEqualTo(10_000);
    }
  }

  @Test
  void rotationOnDisk_movesTheExpiryGauge_toTheNewCertificate() throws Exception {
    IssuedCertificate first = ca.leaf("localhost").dnsNames("localhost").serverAuth().validFor(Duration.ofDays(90)).issue();
    PemFiles files = first.writePem(dir);
    try (MtlsContext server = server(IdentitySource.pemFiles(files.chain(), files.privateKey()));
        MtlsMetrics metrics = MtlsMetrics.of("api", server)) {
      metrics.bindTo(registry);
      assertThat(identityExpiry(registry)).singleElement().satisfies(gauge -> {
        assertThat(gauge.getId().getTag("serial")).isEqualTo(first.serialNumber().toString(16));
        assertThat(gauge.value()).isEqualTo(first.certificate().getNotAfter().getTime() / 1000.0
            - clock.instant().toEpochMilli() / 1000.0);
      });
      CountDownLatch renewed = new CountDownLatch(1);
      server.onChange(change -> {
        if (change == ContextChange.SESSIONS_RENEWED) {
          renewed.countDown();
        }
      });

      IssuedCertificate second = ca.leaf("localhost").dnsNames("localhost").serverAuth().validFor(Duration.ofDays(200)).issue();
      writeAtomically(files.chain(), second.chainPem());
      writeAtomically(files.privateKey(), second.privateKeyPem());
      assertThat(server.reloadNow().of(Material.IDENTITY).status()).isEqualTo(ReloadResult.Status.RELOADED);

      assertThat(identityExpiry(registry)).as("the old certificate's gauge is gone").singleElement()
          .satisfies(gauge -> {
            assertThat(gauge.getId().getTag("serial")).isEqualTo(second.serialNumber().toString(16));
            assertThat(gauge.value()).isCloseTo(Duration.ofDays(200).toSeconds(), org.assertj.core.data.Offset.offset(120.0));
          });
      assertThat(reloads(registry, "identity", "success")).isEqualTo(1);
      assertThat(renewed.await(10, TimeUnit.SECONDS)).isTrue();
      // The binder subscribed first: changes reach subscribers in order, so it has counted.
      assertThat(registry.get(MeterNames.SESSIONS_RENEWED).counter().count()).isEqualTo(1);
    }
  }

  @Test
  void refusedReload_countsAFailure_andTurnsHealthDegraded() throws Exception {
    IssuedCertificate certificate = longLivedServer();
    PemFiles files = certificate.writePem(dir);
    try (MtlsContext server = server(IdentitySource.pemFiles(files.chain(), files.privateKey()));
        MtlsMetrics metrics = MtlsMetrics.of("api", server)) {
      metrics.bindTo(registry);
      assertThat(health(registry)).isEqualTo(0);

      writeAtomically(files.privateKey(), ca.client("someone else").privateKeyPem());
      assertThat(server.reloadNow().failed()).isTrue();
      assertThat(server.reloadNow().failed()).as("the same bad content again").isTrue();

      assertThat(reloads(registry, "identity", "failure")).as("reported once per content").isEqualTo(1);
      assertThat(reloads(registry, "identity", "success")).isZero();
      assertThat(registry.get(MeterNames.RELOAD_FAILING).tag("material", "identity").gauge().value()).isEqualTo(1);
      assertThat(registry.find(MeterNames.RELOAD_FAILING).tag("material", "trust_anchors").gauge())
          .as("in-memory trust anchors are not reloaded").isNull();
      assertThat(health(registry)).isEqualTo(1);
      assertThat(server.health().status()).isEqualTo(Health.Status.DEGRADED);
      assertThat(registry.get(MeterNames.RELOAD_LAST_SUCCESS).tag("material", "identity").timeGauge()
          .value(TimeUnit.MILLISECONDS)).isEqualTo(clock.instant().toEpochMilli());
    }
  }

  @Test
  void expiredIdentity_turnsHealthDown_andItsExpiryGaugeNegative() {
    IssuedCertificate certificate = longLivedServer();
    try (MtlsContext server = server(identity(certificate));
        MtlsMetrics metrics = MtlsMetrics.of("api", server)) {
      metrics.bindTo(registry);

      clock.advance(Duration.ofDays(91));

      assertThat(health(registry)).isEqualTo(2);
      assertThat(server.health().status()).isEqualTo(Health.Status.DOWN);
      assertThat(identityExpiry(registry)).singleElement()
          .satisfies(gauge -> assertThat(gauge.value()).isNegative());
    }
  }

  @Test
  void builder_refusesBadAndRepeatedNames_andNoContext() {
    try (MtlsContext server = server(identity(ca.server("localhost")))) {
      assertThatThrownBy(() -> MtlsMetrics.of("api server", server))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"api server\"");
      assertThatThrownBy(() -> MtlsMetrics.builder().context("api", server).context("api", server))
          .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("context name \"api\" was already given");
      assertThatThrownBy(() -> MtlsMetrics.builder().build())
          .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("no context");
    }
  }

  @Test
  void closedMetrics_stopCounting_andRefuseToBindAgain() {
    IssuedCertificate peer = ca.client("orders");
    try (MtlsContext server = server(identity(ca.server("localhost")))) {
      MtlsMetrics metrics = MtlsMetrics.of("api", server);
      metrics.bindTo(registry);
      server.verifier().verify(peer.chain());
      metrics.close();
      server.verifier().verify(peer.chain());

      assertThat(verdicts(registry, "verifier", "accepted", "none")).isEqualTo(1);
      assertThatThrownBy(() -> metrics.bindTo(registry)).isInstanceOf(IllegalStateException.class);
    }
  }

  private SSLSession handshake(LoopbackServer loopback, IssuedCertificate clientCertificate, boolean accepted)
      throws Exception {
    // A client of its own per connection: no session to resume, so every connection is judged.
    try (MtlsContext client = MtlsContext.forClient()
        .identity(identity(clientCertificate))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .logging(false)
        .build()) {
      try {
        LoopbackServer.connect(client, loopback.port());
      } catch (IOException e) {
        assertThat(accepted).as("refused: %s", e).isFalse();
      }
    }
    LoopbackServer.Outcome outcome = loopback.nextOutcome();
    assertThat(outcome.succeeded()).isEqualTo(accepted);
    return outcome.session();
  }

  /** Valid for 90 days: outside the 30-day expiry warning, so the context starts healthy. */
  private IssuedCertificate longLivedServer() {
    return ca.leaf("localhost").dnsNames("localhost").serverAuth().validFor(Duration.ofDays(90)).issue();
  }

  private MtlsContext server(IdentitySource identity) {
    return MtlsContext.forServer()
        .identity(identity)
        .trust(TrustSource.of(List.of(ca.certificate())))
        .peerPolicy(PeerPolicy.builder().allowCommonNames("orders").build())
        .reload(ReloadPolicy.disabled())
        .clock(clock)
        .logging(false)
        .build();
  }

  private static IdentitySource identity(IssuedCertificate certificate) {
    return IdentitySource.of(certificate.privateKey(), certificate.chain());
  }

  private static double verdicts(MeterRegistry registry, String stage, String outcome, String reason) {
    return registry.get(MeterNames.VERDICTS)
        .tags("context", "api", "stage", stage, "outcome", outcome, "reason", reason).counter().count();
  }

  private static double reloads(MeterRegistry registry, String material, String result) {
    return registry.get(MeterNames.RELOADS).tags("context", "api", "material", material, "result", result)
        .counter().count();
  }

  private static double health(MeterRegistry registry) {
    return registry.get(MeterNames.HEALTH).tag("context", "api").gauge().value();
  }

  private static List<Gauge> identityExpiry(MeterRegistry registry) {
    return List.copyOf(registry.get(MeterNames.CERTIFICATE_EXPIRY).tag("material", "identity").gauges());
  }

  private static void writeAtomically(Path file, String content) throws IOException {
    Path temporary = Files.createTempFile(file.getParent(), ".rotate", ".tmp");
    Files.writeString(temporary, content, StandardCharsets.US_ASCII);
    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
