package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.KubernetesSecretDirectory;
import dev.mtls.testkit.PemFiles;
import dev.mtls.testkit.TestCa;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rotation as it happens in production: a Kubernetes secret volume swapped again and again,
 * certificates rotated while clients hammer the server, connections that outlive a rotation,
 * and a context that stops its threads when closed.
 */
class HotReloadUnderLoadTest {
  @TempDir Path dir;

  private final TestCa ca = TestCa.create();
  private final RecordingListener events = new RecordingListener();

  @Test
  void kubernetesSecretSwap_isDetected_tenTimesInARow() throws Exception {
    KubernetesSecretDirectory secret = KubernetesSecretDirectory.create(dir.resolve("secret"));
    secret.update(ca.server("localhost"));
    try (MtlsContext server = MtlsContext.forServer()
        .identity(IdentitySource.pemFiles(secret.file("tls.crt"), secret.file("tls.key")))
        .trust(TrustSource.pemFile(secret.file("ca.crt")))
        .peerPolicy(PeerPolicy.anyTrustedPeer())
        .reload(ReloadPolicy.builder().interval(Duration.ofSeconds(1)).build())
        .listener(events)
        .build()) {
      for (int rotation = 1; rotation <= 10; rotation++) {
        IssuedCertificate next = ca.server("localhost");
        secret.update(next);

        MtlsListener.Reloaded event = events.nextReload(Material.IDENTITY);
        assertThat(event.after().get(0).serialNumber()).as("rotation %d", rotation).isEqualTo(next.serialNumber());
        assertThat(server.identityChain().get(0).getSerialNumber()).isEqualTo(next.serialNumber());
      }
      assertThat(events.reloadFailed).isEmpty();
    }
  }

  @Test
  void rotatingTheServerCertificateEvery100ms_failsNoHandshake() throws Exception {
    PemFiles files = ca.server("localhost").writePem(dir.resolve("server"));
    IssuedCertificate clientCertificate = ca.client("load");
    try (MtlsContext server = MtlsContext.forServer()
            .identity(IdentitySource.pemFiles(files.chain(), files.privateKey()))
            .trust(TrustSource.pemFile(files.caCertificate()))
            .peerPolicy(PeerPolicy.anyTrustedPeer())
            .reload(ReloadPolicy.disabled())
            .listener(events)
            .build();
        MtlsContext client = MtlsContext.forClient()
            .identity(IdentitySource.of(clientCertificate.privateKey(), clientCertificate.chain()))
            .trust(TrustSource.of(List.of(ca.certificate())))
            .build();
        LoopbackServer loopback = new LoopbackServer(server)) {
      // A rotation every 100 ms until 30 are done and 10 rotated certificates were served (not a
      // throughput figure: a busy machine only takes longer), within a generous deadline.
      AtomicBoolean rotating = new AtomicBoolean(true);
      AtomicInteger rotations = new AtomicInteger();
      AtomicInteger handshakes = new AtomicInteger();
      Queue<String> failures = new ConcurrentLinkedQueue<>();
      Set<java.math.BigInteger> servedSerials = java.util.concurrent.ConcurrentHashMap.newKeySet();
      CountDownLatch enough = new CountDownLatch(1);
      Runnable checkEnough = () -> {
        if (rotations.get() >= 30 && servedSerials.size() >= 10) {
          enough.countDown();
        }
      };
      Thread[] clients = new Thread[2];
      for (int i = 0; i < clients.length; i++) {
        clients[i] = new Thread(() -> {
          while (rotating.get()) {
            try {
              var session = LoopbackClient.connect(client, "localhost", loopback.port());
              servedSerials.add(((X509Certificate) session.getPeerCertificates()[0]).getSerialNumber());
              session.invalidate(); // every handshake a full one
              handshakes.incrementAndGet();
              checkEnough.run();
            } catch (IOException e) {
              failures.add(e.toString());
            }
          }
        }, "load-client-" + i);
        clients[i].start();
      }
      ScheduledExecutorService rotator = Executors.newSingleThreadScheduledExecutor();
      try {
        rotator.scheduleAtFixedRate(() -> {
          try {
            ReloadFixture.rotate(files.chain(), files.privateKey(), ca.server("localhost"));
            if (server.reloadNow().of(Material.IDENTITY).status() == ReloadResult.Status.RELOADED) {
              rotations.incrementAndGet();
              checkEnough.run();
            }
          } catch (RuntimeException e) { // a task that throws is never run again: record it instead
            failures.add("rotation: " + e);
          }
        }, 0, 100, TimeUnit.MILLISECONDS);
        enough.await(90, TimeUnit.SECONDS);
      } finally {
        rotator.shutdownNow();
        assertThat(rotator.awaitTermination(20, TimeUnit.SECONDS)).as("the rotator stopped").isTrue();
      }
      rotating.set(false);
      for (Thread thread : clients) {
        thread.join(TimeUnit.SECONDS.toMillis(20));
      }
      int serverFailures = 0;
      LoopbackServer.Outcome outcome;
      while ((outcome = loopback.pollOutcome()) != null) {
        serverFailures += outcome.succeeded() ? 0 : 1;
      }

      System.out.printf("rotation under load: %d rotations, %d handshakes, %d client failures, %d server failures,"
          + " %d reload failures, %d distinct server certificates seen%n", rotations.get(), handshakes.get(), failures.size(),
          serverFailures, events.reloadFailed.size(), servedSerials.size());
      assertThat(failures).isEmpty();
      assertThat(events.reloadFailed).as("reload failures").isEmpty();
      assertThat(serverFailures).isZero();
      assertThat(rotations.get()).isGreaterThanOrEqualTo(30);
      assertThat(servedSerials.size()).as("distinct server certificates served").isGreaterThanOrEqualTo(10);
    }
  }

  @Test
  void anOpenConnection_outlivesAKeyRotation() throws Exception {
    PemFiles files = ca.server("localhost").writePem(dir.resolve("server"));
    IssuedCertificate clientCertificate = ca.client("long-lived");
    try (MtlsContext server = MtlsContext.forServer()
            .identity(IdentitySource.pemFiles(files.chain(), files.privateKey()))
            .trust(TrustSource.pemFile(files.caCertificate()))
            .peerPolicy(PeerPolicy.anyTrustedPeer())
            .reload(ReloadPolicy.disabled())
            .build();
        MtlsContext client = MtlsContext.forClient()
            .identity(IdentitySource.of(clientCertificate.privateKey(), clientCertificate.chain()))
            .trust(TrustSource.of(List.of(ca.certificate())))
            .build();
        SSLServerSocket listening = (SSLServerSocket) server.serverSocketFactory()
            .createServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      Thread echo = new Thread(() -> {
        try (SSLSocket accepted = (SSLSocket) listening.accept();
            BufferedReader in = new BufferedReader(new InputStreamReader(accepted.getInputStream(), StandardCharsets.UTF_8));
            PrintWriter out = new PrintWriter(accepted.getOutputStream(), true, StandardCharsets.UTF_8)) {
          String line;
          while ((line = in.readLine()) != null) {
            out.println("echo " + line);
          }
        } catch (IOException e) {
          // the client closed
        }
      }, "echo-server");
      echo.start();
      try (SSLSocket socket = (SSLSocket) client.socketFactory().createSocket("localhost", listening.getLocalPort())) {
        socket.setSoTimeout(10_000);
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8);
        out.println("before");
        assertThat(in.readLine()).isEqualTo("echo before");

        ReloadFixture.rotate(files.chain(), files.privateKey(), ca.server("localhost"));
        assertThat(server.reloadNow().of(Material.IDENTITY).status()).isEqualTo(ReloadResult.Status.RELOADED);

        out.println("after");
        assertThat(in.readLine()).isEqualTo("echo after");
      }
      echo.join(5_000);
    }
  }

  @Test
  void expiringIdentity_isReportedAtStart_andAgainDaily_untilRotated() throws Exception {
    IssuedCertificate shortLived = ca.leaf("localhost").serverAuth().dnsNames("localhost")
        .validFor(Duration.ofDays(10)).issue();
    PemFiles files = shortLived.writePem(dir.resolve("server"));
    try (MtlsContext server = MtlsContext.forServer()
        .identity(IdentitySource.pemFiles(files.chain(), files.privateKey()))
        .trust(TrustSource.pemFile(files.caCertificate()))
        .peerPolicy(PeerPolicy.anyTrustedPeer())
        .reload(ReloadPolicy.disabled())
        .clock(ca.clock())
        .listener(events)
        .build()) {
      assertThat(events.expiring.poll()).satisfies(e -> {
        assertThat(e.role()).isEqualTo("identity");
        assertThat(e.serialNumber()).isEqualTo(shortLived.serialNumber());
      });

      server.reloadNow();
      assertThat(events.expiring).as("not again the same day").isEmpty();

      ca.clock().advance(Duration.ofDays(1));
      server.reloadNow();
      assertThat(events.expiring.poll()).isNotNull();

      ReloadFixture.rotate(files.chain(), files.privateKey(),
          ca.leaf("localhost").serverAuth().dnsNames("localhost").validFor(Duration.ofDays(90)).issue());
      assertThat(server.reloadNow().of(Material.IDENTITY).status()).isEqualTo(ReloadResult.Status.RELOADED);
      ca.clock().advance(Duration.ofDays(1));
      server.reloadNow();
      assertThat(events.expiring).isEmpty();
    }
  }

  @Test
  void close_ofTheLastContext_endsTheSharedDaemonThreads() throws Exception {
    BackgroundThreads.assertNoneRunning();
    PemFiles files = ca.server("localhost").writePem(dir.resolve("server"));
    MtlsContext server = MtlsContext.forServer()
        .identity(IdentitySource.pemFiles(files.chain(), files.privateKey()))
        .trust(TrustSource.pemFile(files.caCertificate()))
        .peerPolicy(PeerPolicy.anyTrustedPeer())
        .revocation(Revocation.crls().file(ca.writeCrl(dir.resolve("ca.crl"))).build())
        .build();
    List<Thread> ours = BackgroundThreads.running();
    assertThat(ours).extracting(Thread::getName)
        .anyMatch(n -> n.startsWith("mtls-background-"))
        .contains("mtls-watch");
    assertThat(ours).allMatch(Thread::isDaemon);

    server.close();

    BackgroundThreads.assertEnd(ours);
  }
}
