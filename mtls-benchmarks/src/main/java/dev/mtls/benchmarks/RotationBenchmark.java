package dev.mtls.benchmarks;

import dev.mtls.core.IdentitySource;
import dev.mtls.core.Material;
import dev.mtls.core.MtlsContext;
import dev.mtls.core.PeerPolicy;
import dev.mtls.core.ReloadResult;
import dev.mtls.core.TrustSource;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.PemFiles;
import dev.mtls.testkit.TestCa;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Handshakes per second, and failed handshakes, while the server's certificate rotates every
 * 100 ms, against the same server with no rotation: a library server context built from PEM
 * files and a library client context (SunJSSE), full TLS 1.3 mutual handshakes between two new
 * engines in one thread, as in {@link HandshakeBenchmark}.
 *
 * <ul>
 *   <li>{@code rotation=baseline}: the files never change.
 *   <li>{@code rotation=every100ms}: a scheduler thread writes a new certificate and key
 *       (another of 16 issued at setup, each with its own key) over the server's PEM files
 *       every 100 ms, each file replaced atomically, and calls {@link MtlsContext#reloadNow()}.
 *       Between the two files a reload may see a key that does not match the certificate: the
 *       context then keeps serving the previous pair, as it should.
 * </ul>
 *
 * <p>Counters: {@code failedHandshakes} (target 0: a handshake that fails while the identity
 * rotates is a defect) and {@code rotations}, the reloads that changed the served identity,
 * summed over the measured iterations.
 *
 * <pre>
 * mtls-benchmarks/run RotationBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 4, time = 2)
@Fork(1)
public class RotationBenchmark {
  private static final String HOST = "localhost";
  private static final int IDENTITIES = 16;

  /** {@code baseline}: no rotation; {@code every100ms}: a new server certificate every 100 ms. */
  @Param({"baseline", "every100ms"})
  public String rotation;

  private Path directory;
  private MtlsContext server;
  private MtlsContext client;
  private ScheduledExecutorService rotator;
  private final AtomicLong rotations = new AtomicLong();
  private final ByteBuffer clientToServer = ByteBuffer.allocate(1 << 17);
  private final ByteBuffer serverToClient = ByteBuffer.allocate(1 << 17);
  private final ByteBuffer application = ByteBuffer.allocate(1 << 17);

  /** What one thread counted in one iteration, reported beside the handshake rate. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Counters {
    /** Handshakes that did not complete. */
    public long failedHandshakes;
    /** Reloads that changed the server's identity during the iteration. */
    public long rotations;
    private long rotationsBefore = -1;

    /** Starts the iteration's counts at zero. */
    @Setup(Level.Iteration)
    public void reset() {
      failedHandshakes = 0;
      rotations = 0;
      rotationsBefore = -1;
    }
  }

  /** Writes the first identity, builds the contexts and starts rotating. */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    TestCa ca = TestCa.create();
    List<IssuedCertificate> identities = new ArrayList<>();
    for (int i = 0; i < IDENTITIES; i++) {
      identities.add(ca.server(HOST));
    }
    IssuedCertificate clientIdentity = ca.client("bench");
    directory = Files.createTempDirectory("mtls-rotation-bench");
    PemFiles files = identities.get(0).writePem(directory.resolve("server"));
    server = MtlsContext.forServer()
        .identity(IdentitySource.pemFiles(files.chain(), files.privateKey()))
        .trust(TrustSource.pemFile(files.caCertificate()))
        .peerPolicy(PeerPolicy.anyTrustedPeer())
        .logging(false)
        .build();
    client = MtlsContext.forClient()
        .identity(IdentitySource.of(clientIdentity.privateKey(), clientIdentity.chain()))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .logging(false)
        .build();
    if (rotation.equals("every100ms")) {
      rotator = Executors.newSingleThreadScheduledExecutor();
      long[] next = {1};
      rotator.scheduleAtFixedRate(() -> {
        IssuedCertificate identity = identities.get((int) (next[0]++ % IDENTITIES));
        try {
          replace(files.privateKey(), identity.privateKeyPem());
          replace(files.chain(), identity.chainPem());
          if (server.reloadNow().of(Material.IDENTITY).status() == ReloadResult.Status.RELOADED) {
            rotations.incrementAndGet();
          }
        } catch (IOException | RuntimeException e) { // a task that throws is never run again
          System.err.println("rotation failed: " + e);
        }
      }, 100, 100, TimeUnit.MILLISECONDS);
    } else if (!rotation.equals("baseline")) {
      throw new IllegalArgumentException("rotation must be baseline or every100ms: " + rotation);
    }
  }

  private static void replace(Path file, String pem) throws IOException {
    Path temporary = file.resolveSibling(file.getFileName() + ".new");
    Files.writeString(temporary, pem, StandardCharsets.US_ASCII);
    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * One full mutual handshake between two new engines; a failure is counted, not thrown.
   *
   * @return the server's session, or {@code null} when the handshake failed
   */
  @Benchmark
  public SSLSession handshake(Counters counters) {
    long seen = rotations.get();
    if (counters.rotationsBefore < 0) {
      counters.rotationsBefore = seen;
    }
    counters.rotations = seen - counters.rotationsBefore;
    SSLEngine clientEngine = client.newEngine(HOST, 8443);
    try {
      SSLSession session = EnginePair.handshake(clientEngine, server.newEngine(), clientToServer, serverToClient,
          application);
      clientEngine.getSession().invalidate();
      return session;
    } catch (Exception e) {
      counters.failedHandshakes++;
      return null;
    }
  }

  /** Stops rotating, closes the contexts and deletes the files. */
  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    if (rotator != null) {
      rotator.shutdownNow();
      rotator.awaitTermination(10, TimeUnit.SECONDS);
    }
    server.close();
    client.close();
    HandBuilt.deleteTree(directory);
  }
}
