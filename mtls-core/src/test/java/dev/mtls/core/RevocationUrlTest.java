package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.core.internal.crl.CrlRevocationChecker;
import dev.mtls.core.internal.crl.CrlSettings;
import dev.mtls.core.internal.crl.FileCrlSource;
import dev.mtls.core.internal.crl.KnownIssuers;
import dev.mtls.core.internal.crl.UrlCrlSource;
import dev.mtls.core.internal.crl.RevocationChecker;
import dev.mtls.core.internal.crl.RevocationStatus;
import dev.mtls.core.internal.crl.RevocationStatus.State;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import dev.mtls.testkit.TestClock;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RevocationUrlTest {
  private final TestClock clock = new TestClock();
  private final TestCa ca = TestCa.builder().clock(clock).build();
  private final RecordingListener listener = new RecordingListener();
  private LoopbackHttpServer server;
  private AtomicReference<byte[]> body;
  private AtomicInteger status;
  private URI url;
  private RevocationChecker checker = RevocationChecker.NONE;

  @BeforeEach
  void serve() throws IOException {
    server = new LoopbackHttpServer();
    body = server.body;
    status = server.status;
    url = server.url("/ca.crl");
  }

  @AfterEach
  void stop() throws IOException {
    checker.close();
    server.close();
  }

  private RevocationStatus check(IssuedCertificate certificate) {
    return checker.check(certificate.fullChain(), clock.instant());
  }

  @Test
  void url_loadsDerAndRefreshesToNewContent() throws Exception {
    IssuedCertificate peer = ca.client("peer");
    body.set(ca.crl().getEncoded());
    checker = Revocation.crls().url(url).build().start(clock, listener, List.of(ca.certificate()));
    assertThat(check(peer)).isEqualTo(RevocationStatus.GOOD);
    long generation = checker.generation();

    ca.revoke(peer);
    body.set(ca.crlPem().getBytes(StandardCharsets.US_ASCII));
    ((CrlRevocationChecker) checker).refreshNow();

    assertThat(check(peer).state()).isEqualTo(State.REVOKED);
    assertThat(check(peer).detail()).endsWith("by CRL from " + url);
    assertThat(checker.generation()).isNotEqualTo(generation);
    assertThat(listener.refreshed).extracting(MtlsListener.CrlRefreshed::source)
        .containsExactly(url.toString(), url.toString());
  }

  @Test
  void failedRefresh_keepsTheLastGoodCrl_andNamesTheStatus() throws Exception {
    IssuedCertificate revoked = ca.client("revoked");
    ca.revoke(revoked);
    body.set(ca.crl().getEncoded());
    checker = Revocation.crls().url(url).build().start(clock, listener, List.of(ca.certificate()));

    for (int failing : new int[] {404, 500}) {
      status.set(failing);
      ((CrlRevocationChecker) checker).refreshNow();
      assertThat(check(revoked).state()).isEqualTo(State.REVOKED);
    }

    assertThat(listener.failed).extracting(MtlsListener.CrlRefreshFailed::problem)
        .satisfiesExactly(
            problem -> assertThat(problem).contains("HTTP status 404"),
            problem -> assertThat(problem).contains("HTTP status 500"));
    assertThat(listener.failed).allSatisfy(event -> assertThat(event.source())
        .isEqualTo(url.toString()));
  }

  @Test
  void refusedCrlFile_causesNoUrlFetch_atReloadAfterReload(@TempDir Path dir) throws Exception {
    body.set(ca.crl().getEncoded());
    Path crlFile = ca.writeCrl(dir.resolve("ca.crl"));
    IssuedCertificate serverCertificate = ca.server("localhost");
    try (MtlsContext context = MtlsContext.forServer()
        .identity(IdentitySource.of(serverCertificate.privateKey(), serverCertificate.chain()))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .peerPolicy(PeerPolicy.anyTrustedPeer())
        .revocation(Revocation.crls().file(crlFile).url(url).build())
        .reload(ReloadPolicy.disabled())
        .clock(clock)
        .listener(listener)
        .build()) {
      int fetchesAtStart = server.requests.get();
      assertThat(fetchesAtStart).isEqualTo(1);

      ReloadFixture.writeAtomically(crlFile, "this is not a CRL\n");
      List<ReloadResult.Outcome> outcomes = new java.util.ArrayList<>();
      for (int reload = 0; reload < 5; reload++) {
        outcomes.add(context.reloadNow().of(Material.CRL));
      }

      assertThat(server.requests.get()).as("CRL URL fetches").isEqualTo(fetchesAtStart);
      assertThat(outcomes).allSatisfy(outcome -> {
        assertThat(outcome.status()).isEqualTo(ReloadResult.Status.FAILED);
        assertThat(outcome.detail()).contains(crlFile.toString());
      });
      assertThat(listener.refreshed).as("nothing new was loaded").hasSize(2);
    }
  }

  @Test
  void refusedCrlFile_isReportedOnce_byTheReloadAndTheRefreshScheduleTogether(@TempDir Path dir)
      throws Exception {
    body.set(ca.crl().getEncoded());
    Path crlFile = ca.writeCrl(dir.resolve("ca.crl"));
    // Revocation.Builder refuses intervals under a minute: the refresher's own settings retry
    // every tenth of a second.
    CrlSettings settings = new CrlSettings(java.time.Duration.ofMillis(100), java.time.Duration.ofSeconds(5),
        null, false, 64L << 20, java.time.Duration.ZERO);
    CrlRevocationChecker crls = CrlRevocationChecker.start(
        List.of(new FileCrlSource(crlFile), new UrlCrlSource(url, java.time.Duration.ofSeconds(5))), settings,
        KnownIssuers.anchors(List.of(ca.certificate())), clock, listener);
    checker = crls;
    ReloadFixture.writeAtomically(crlFile, "this is not a CRL\n");
    status.set(500);

    // what the reloader does when the file changed: read it, and report what it refused
    List<MtlsListener.CrlRefreshFailed> refused = crls.refreshFiles();
    assertThat(refused).singleElement().satisfies(f -> assertThat(f.source()).isEqualTo(crlFile.toString()));
    crls.reportFileFailures(refused);

    // The URL fails at every retry, like the file: its reports count the file's retries too.
    List<MtlsListener.CrlRefreshFailed> fileFailures = new java.util.ArrayList<>();
    int urlFailures = 0;
    while (urlFailures < 4) {
      MtlsListener.CrlRefreshFailed event = listener.failed.poll(10, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(event).as("a refresh failure within 10 s").isNotNull();
      if (event.source().equals(url.toString())) {
        urlFailures++;
      } else {
        fileFailures.add(event);
      }
    }

    assertThat(fileFailures).singleElement().satisfies(event -> {
      assertThat(event.source()).isEqualTo(crlFile.toString());
      assertThat(event.problem()).contains("no CRL found");
    });
  }

  @Test
  void theSameCrlFetchedAgain_isReportedAsUnchanged() throws Exception {
    body.set(ca.crl().getEncoded());
    checker = Revocation.crls().url(url).build().start(clock, listener, List.of(ca.certificate()));
    ((CrlRevocationChecker) checker).refreshNow();
    ((CrlRevocationChecker) checker).refreshNow();

    assertThat(listener.refreshed).extracting(MtlsListener.CrlRefreshed::changed)
        .containsExactly(true, false, false);
  }

  @Test
  void close_endsTheContextsHttpClientThreads() throws Exception {
    body.set(ca.crl().getEncoded());
    Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
    IssuedCertificate serverCertificate = ca.server("localhost");
    MtlsContext context = MtlsContext.forServer()
        .identity(IdentitySource.of(serverCertificate.privateKey(), serverCertificate.chain()))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .peerPolicy(PeerPolicy.anyTrustedPeer())
        .revocation(Revocation.crls().url(url).build())
        .reload(ReloadPolicy.disabled())
        .clock(clock)
        .listener(listener)
        .build();
    List<Thread> http = Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> !before.contains(thread))
        .filter(thread -> thread.getName().startsWith("HttpClient-") || thread.getName().startsWith("mtls-crl-http-"))
        .toList();
    assertThat(http).extracting(Thread::getName).as("the CRL fetch's HTTP client threads")
        .anyMatch(name -> name.endsWith("-SelectorManager"));

    context.close();

    BackgroundThreads.assertEndAfterGarbageCollection(http);
  }

  @Test
  void start_failsNamingTheUrl_whenTheServerAnswers404() {
    status.set(404);
    Revocation revocation = Revocation.crls().url(url).build();

    assertThatThrownBy(() -> revocation.start(clock, listener, List.of(ca.certificate())))
        .isInstanceOf(MtlsLoadException.class)
        .hasMessage("cannot load CRL: " + url + ": cannot read: GET answered HTTP status 404");
  }

  @Test
  void start_failsNamingTheUrl_whenNothingListens() throws IOException {
    server.close();
    Revocation revocation = Revocation.crls().url(url).build();

    assertThatThrownBy(() -> revocation.start(clock, listener, List.of(ca.certificate())))
        .isInstanceOf(MtlsLoadException.class)
        .hasMessageStartingWith("cannot load CRL: " + url + ": cannot read: GET failed");
  }
}
