package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.PemFiles;
import dev.mtls.testkit.TestCa;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contexts of a JVM share their background threads: a few, however many contexts run,
 * started by the first context and ended with the last.
 */
class SharedBackgroundTest {
  @TempDir Path dir;

  private final TestCa ca = TestCa.create();
  private final List<MtlsContext> open = new ArrayList<>();
  private int built;

  @AfterEach
  void closeAll() {
    open.forEach(MtlsContext::close);
  }

  @Test
  void fiftyContexts_shareThreeThreads_eachStillReloads_andTheThreadsEndWithTheLast() throws Exception {
    BackgroundThreads.assertNoneRunning();
    List<Reloading> contexts = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      contexts.add(reloadingContext());
    }

    Set<Thread> shared = new HashSet<>(BackgroundThreads.running());
    System.out.println("50 contexts, background threads: " + shared.stream().map(Thread::getName).sorted().toList());
    assertThat(shared).extracting(Thread::getName)
        .hasSize(3)
        .containsOnlyOnce("mtls-watch")
        .allMatch(name -> name.equals("mtls-watch") || name.startsWith("mtls-background-"));
    assertThat(shared).allMatch(Thread::isDaemon);

    for (Reloading context : contexts) {
      context.rotate();
    }
    for (Reloading context : contexts) {
      context.assertReloaded();
    }
    assertThat(BackgroundThreads.running()).as("the same threads after 50 reloads").containsExactlyInAnyOrderElementsOf(shared);

    contexts.forEach(context -> context.context.close());
    BackgroundThreads.assertEnd(shared);
    BackgroundThreads.assertNoneRunning();
  }

  @Test
  void aContextClosedTwice_countsOnce_andAContextAfterTheLast_startsTheThreadsAgain() throws Exception {
    BackgroundThreads.assertNoneRunning();
    Reloading first = reloadingContext();
    Reloading second = reloadingContext();

    first.context.close();
    first.context.close();
    List<Thread> shared = BackgroundThreads.running();
    assertThat(shared).as("the second context still runs").isNotEmpty();
    second.rotate();
    second.assertReloaded();

    second.context.close();
    BackgroundThreads.assertEnd(shared);

    Reloading third = reloadingContext();
    List<Thread> restarted = BackgroundThreads.running();
    assertThat(restarted).isNotEmpty().doesNotContainAnyElementsOf(shared);
    third.rotate();
    third.assertReloaded();
    third.context.close();
    BackgroundThreads.assertEnd(restarted);
  }

  @Test
  void contextsWithoutReloadOrRevocation_startNoThread() {
    BackgroundThreads.assertNoneRunning();
    IssuedCertificate certificate = ca.server("localhost");
    MtlsContext context = MtlsContext.forServer()
        .identity(IdentitySource.of(certificate.privateKey(), certificate.chain()))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .peerPolicy(PeerPolicy.anyTrustedPeer())
        .reload(ReloadPolicy.disabled())
        .build();
    open.add(context);

    assertThat(BackgroundThreads.running()).isEmpty();
  }

  /** A server context reloading its files (polling and file events) with a CRL file refreshed every minute. */
  private Reloading reloadingContext() {
    Path directory = dir.resolve("server-" + built++);
    PemFiles files = ca.server("localhost").writePem(directory);
    RecordingListener events = new RecordingListener();
    MtlsContext context = MtlsContext.forServer()
        .identity(IdentitySource.pemFiles(files.chain(), files.privateKey()))
        .trust(TrustSource.pemFile(files.caCertificate()))
        .peerPolicy(PeerPolicy.anyTrustedPeer())
        .revocation(Revocation.crls().file(ca.writeCrl(directory.resolve("ca.crl")))
            .refreshInterval(Duration.ofMinutes(1)).build())
        .reload(ReloadPolicy.builder().interval(Duration.ofSeconds(1)).build())
        .listener(events)
        .build();
    open.add(context);
    return new Reloading(context, files, events);
  }

  private final class Reloading {
    final MtlsContext context;
    final PemFiles files;
    final RecordingListener events;
    IssuedCertificate next;

    Reloading(MtlsContext context, PemFiles files, RecordingListener events) {
      this.context = context;
      this.files = files;
      this.events = events;
    }

    void rotate() {
      next = ca.server("localhost");
      ReloadFixture.rotate(files.chain(), files.privateKey(), next);
    }

    void assertReloaded() throws InterruptedException {
      assertThat(events.nextReload(Material.IDENTITY).after().get(0).serialNumber()).isEqualTo(next.serialNumber());
      assertThat(context.identityChain().get(0).getSerialNumber()).isEqualTo(next.serialNumber());
    }
  }
}
