package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.PemFiles;
import dev.mtls.testkit.TestCa;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adapters subscribe to a context's changes (Netty's OpenSSL provider rotates its ticket
 * keys there). Subscribers hear every change and the renewal after it, off the thread that
 * made it; a subscriber that throws or blocks holds up no reload, renewal, handshake or
 * {@code verify()}.
 */
class ChangeSubscriptionTest {
  @TempDir Path dir;

  private final TestCa ca = TestCa.create();
  private final IssuedCertificate clientCertificate = ca.client("orders");
  private final ExecutorService threads = Executors.newFixedThreadPool(2);
  private PemFiles serverFiles;
  private Path bundle;
  private Path crl;
  private MtlsContext server;
  private LoopbackServer loopback;

  @BeforeEach
  void startServer() throws IOException {
    serverFiles = ca.server("localhost").writePem(dir.resolve("server"));
    bundle = dir.resolve("clients-ca.pem");
    Files.writeString(bundle, ca.certificatePem());
    crl = ca.writeCrl(dir.resolve("ca.crl"));
    server = MtlsContext.forServer()
        .identity(IdentitySource.pemFiles(serverFiles.chain(), serverFiles.privateKey()))
        .trust(TrustSource.pemFile(bundle))
        .peerPolicy(PeerPolicy.anyTrustedPeer())
        .revocation(Revocation.crls().file(crl).build())
        .reload(ReloadPolicy.disabled())
        .logging(false)
        .build();
    loopback = new LoopbackServer(server);
  }

  @AfterEach
  void stop() throws IOException {
    threads.shutdownNow();
    loopback.close();
    server.close();
  }

  @Test
  void subscriber_hearsEachChangeAndTheRenewalAfterIt_andNothingOnceClosed() throws Exception {
    BlockingQueue<ContextChange> heard = new LinkedBlockingQueue<>();
    Subscription subscription = server.onChange(heard::add);

    ReloadFixture.rotate(serverFiles.chain(), serverFiles.privateKey(), ca.server("localhost"));
    assertThat(server.reloadNow().of(Material.IDENTITY).status()).isEqualTo(ReloadResult.Status.RELOADED);
    assertNext(heard, ContextChange.IDENTITY, ContextChange.SESSIONS_RENEWED);

    ReloadFixture.writeAtomically(bundle, ca.certificatePem() + TestCa.create().certificatePem());
    assertThat(server.reloadNow().of(Material.TRUST_ANCHORS).status()).isEqualTo(ReloadResult.Status.RELOADED);
    assertNext(heard, ContextChange.TRUST, ContextChange.SESSIONS_RENEWED);

    revokeAndReload(ca.client("retired"));
    assertNext(heard, ContextChange.REVOCATION, ContextChange.SESSIONS_RENEWED);

    subscription.close();
    BlockingQueue<ContextChange> later = new LinkedBlockingQueue<>();
    server.onChange(later::add);
    revokeAndReload(ca.client("retired-too"));
    // Subscribers hear a change one after the other: once the later one has heard it all,
    // the closed one would have too.
    assertNext(later, ContextChange.REVOCATION, ContextChange.SESSIONS_RENEWED);
    assertThat(heard).isEmpty();
  }

  @Test
  void throwingSubscriber_stopsNeitherTheReload_norTheOtherSubscribers() throws Exception {
    server.onChange(change -> {
      throw new IllegalStateException("subscriber bug");
    });
    BlockingQueue<ContextChange> heard = new LinkedBlockingQueue<>();
    server.onChange(heard::add);

    revokeAndReload(clientCertificate);

    assertNext(heard, ContextChange.REVOCATION, ContextChange.SESSIONS_RENEWED);
    try (MtlsContext revoked = client(clientCertificate)) {
      assertThat(handshakeSucceeds(revoked)).as("the revoked client").isFalse();
    }
  }

  @Test
  void stalledSubscriber_blocksNoReload_handshake_orVerifyOnOtherThreads() throws Exception {
    CountDownLatch stalled = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    BlockingQueue<ContextChange> heard = new LinkedBlockingQueue<>();
    server.onChange(change -> {
      heard.add(change);
      stalled.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    IssuedCertificate allowed = ca.client("allowed");
    try (MtlsContext allowedClient = client(allowed); MtlsContext revokedClient = client(clientCertificate)) {
      assertThat(handshakeSucceeds(revokedClient)).isTrue();

      Future<ReloadResult> reload = threads.submit(() -> revokeAndReload(clientCertificate));
      assertThat(reload.get(10, TimeUnit.SECONDS).of(Material.CRL).status()).isEqualTo(ReloadResult.Status.RELOADED);
      assertThat(stalled.await(10, TimeUnit.SECONDS)).as("the subscriber is stalled").isTrue();

      // While it stalls: verify() and handshakes on other threads, and the renewal took effect.
      Future<Verdict> verdict = threads.submit(() -> server.verifier().verify(allowed.chain()));
      assertThat(verdict.get(10, TimeUnit.SECONDS).isAllowed()).isTrue();
      Future<Boolean> handshake = threads.submit(() -> handshakeSucceeds(allowedClient));
      assertThat(handshake.get(10, TimeUnit.SECONDS)).isTrue();
      assertThat(threads.submit(() -> handshakeSucceeds(revokedClient)).get(10, TimeUnit.SECONDS))
          .as("the revoked client cannot resume").isFalse();
      // And a later change is renewed too.
      IssuedCertificate next = ca.client("next");
      try (MtlsContext nextClient = client(next)) {
        assertThat(handshakeSucceeds(nextClient)).isTrue();
        assertThat(threads.submit(() -> revokeAndReload(next)).get(10, TimeUnit.SECONDS).reloaded()).isTrue();
        assertThat(handshakeSucceeds(nextClient)).as("revoked while the subscriber stalls").isFalse();
      }
    } finally {
      release.countDown();
    }
    assertNext(heard, ContextChange.REVOCATION, ContextChange.SESSIONS_RENEWED,
        ContextChange.REVOCATION, ContextChange.SESSIONS_RENEWED);
  }

  @Test
  void codeHoldingTheContextsMonitor_doesNotHoldUpARenewal() throws Exception {
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    threads.submit(() -> {
      synchronized (server) {
        holding.countDown();
        release.await();
      }
      return null;
    });
    try (MtlsContext revokedClient = client(clientCertificate)) {
      assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(handshakeSucceeds(revokedClient)).isTrue();

      Future<ReloadResult> reload = threads.submit(() -> revokeAndReload(clientCertificate));

      assertThat(reload.get(10, TimeUnit.SECONDS).of(Material.CRL).status()).isEqualTo(ReloadResult.Status.RELOADED);
      assertThat(handshakeSucceeds(revokedClient)).isFalse();
    } finally {
      release.countDown();
    }
  }

  @Test
  void subscribing_needsASubscriber() {
    assertThatThrownBy(() -> server.onChange(null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("subscriber");
  }

  private ReloadResult revokeAndReload(IssuedCertificate certificate) {
    ca.revoke(certificate);
    ReloadFixture.writeAtomically(crl, ca.crlPem());
    ReloadResult result = server.reloadNow();
    assertThat(result.of(Material.CRL).status()).isEqualTo(ReloadResult.Status.RELOADED);
    return result;
  }

  private static void assertNext(BlockingQueue<ContextChange> heard, ContextChange... expected) throws Exception {
    for (ContextChange change : expected) {
      assertThat(heard.poll(10, TimeUnit.SECONDS)).as("expected %s", change).isEqualTo(change);
    }
  }

  private boolean handshakeSucceeds(MtlsContext client) throws Exception {
    try {
      LoopbackClient.connect(client, "localhost", loopback.port());
    } catch (IOException e) {
      loopback.nextOutcome();
      return false;
    }
    return loopback.nextOutcome().succeeded();
  }

  private MtlsContext client(IssuedCertificate certificate) {
    return MtlsContext.forClient()
        .identity(IdentitySource.of(certificate.privateKey(), certificate.chain()))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .logging(false)
        .build();
  }
}
