package dev.mtls.benchmarks;

import dev.mtls.core.MtlsContext;
import dev.mtls.core.PeerPolicy;
import dev.mtls.core.ReloadPolicy;
import dev.mtls.core.ReloadResult;
import dev.mtls.core.Revocation;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Whether a CRL refresh holds up handshakes: full mutual handshakes (fresh sessions, in memory,
 * the JDK provider) with a server whose client CA publishes a CRL of 1,000,000 entries, the
 * client's certificate looked up in it on every handshake. Latency samples, so the report
 * reads p50 and p99 of each.
 *
 * <ul>
 *   <li>{@code baseline_handshake1mCrl}: the CRL loaded, nothing refreshing.
 *   <li>{@code mtls_handshake1mCrl}: the same while a background thread refreshes the CRL
 *       back to back: it makes the CA's next CRL (a higher CRL number: the library refuses an
 *       older one), writes it to the file and asks the context to reload (parse, index and
 *       signature check, then the swap). Making and refreshing take turns on that one thread,
 *       so the background work uses at most one core, as a refresh alone does. Target: p99
 *       within 1.2 times the baseline's.
 * </ul>
 *
 * <p>On a 2-core machine the refresh takes one core from the handshakes (and its garbage adds
 * collector pauses): that shows in the ratio, as it would on a 2-core server.
 *
 * <pre>
 * java -jar mtls-benchmarks/target/benchmarks.jar CrlRefreshBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 2, time = 3)
@Fork(value = 1, jvmArgsAppend = "-Xmx3g")
public class CrlRefreshBenchmark {
  private static final int CRL_ENTRIES = 1_000_000;
  private static final String HOST = "localhost";
  private static final int PORT = 8443;

  /** A server and a client context, the server's CRL file of 1,000,000 entries. */
  @State(Scope.Benchmark)
  public static class Server {
    Path directory;
    Path crlFile;
    MtlsContext server;
    MtlsContext client;
    TestCa ca;
    private final ByteBuffer clientToServer = ByteBuffer.allocate(1 << 17);
    private final ByteBuffer serverToClient = ByteBuffer.allocate(1 << 17);
    private final ByteBuffer application = ByteBuffer.allocate(1 << 17);

    /** Makes the CA, its two CRLs and the contexts (not measured). */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
      directory = Files.createTempDirectory("mtls-bench");
      ca = TestCa.create();
      IssuedCertificate peer = ca.client("ingester");
      IssuedCertificate identity = ca.server(HOST);
      crlFile = directory.resolve("clients.crl");
      Files.write(crlFile, SyntheticCrl.der(ca, 1, CRL_ENTRIES));
      server = BenchContexts.server(ca, identity)
          .peerPolicy(PeerPolicy.anyTrustedPeer())
          .revocation(Revocation.crls().file(crlFile).build())
          .reload(ReloadPolicy.disabled())
          .build();
      client = BenchContexts.client(ca, peer);
      handshake();
    }

    /**
     * One full handshake, the client's session dropped so that the next cannot resume it.
     *
     * @return the server's session
     */
    SSLSession handshake() throws SSLException {
      SSLEngine clientEngine = client.newEngine(HOST, PORT);
      SSLSession session = EnginePair.handshake(clientEngine, server.newEngine(), clientToServer,
          serverToClient, application);
      clientEngine.getSession().invalidate();
      return session;
    }

    /** Closes the contexts and deletes the CRL file. */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
      server.close();
      client.close();
      Files.deleteIfExists(crlFile);
      Files.deleteIfExists(directory.resolve("next.crl"));
      Files.delete(directory);
    }
  }

  /** The same server, its CRL refreshed back to back by a background thread while measured. */
  @State(Scope.Benchmark)
  public static class RefreshingServer extends Server {
    private final AtomicInteger refreshes = new AtomicInteger();
    private long crlNumber = 1;
    private volatile boolean stop;
    private Thread refresher;

    /** Starts refreshing (after the server is made). */
    @Setup(Level.Iteration)
    public void startRefreshing() {
      stop = false;
      refresher = new Thread(this::refreshUntilStopped, "crl-refresher");
      refresher.setDaemon(true);
      refresher.start();
    }

    private void refreshUntilStopped() {
      while (!stop) {
        try {
          Path staged = directory.resolve("next.crl");
          Files.write(staged, SyntheticCrl.der(ca, ++crlNumber, CRL_ENTRIES));
          Files.move(staged, crlFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
          ReloadResult result = server.reloadNow();
          if (!result.reloaded() || result.failed()) {
            throw new IllegalStateException("the CRL did not refresh: " + result);
          }
          refreshes.incrementAndGet();
        } catch (Exception e) {
          System.err.println("refresh failed: " + e);
          return;
        }
      }
    }

    /** Stops refreshing, and checks that the CRL was refreshed during the iteration. */
    @TearDown(Level.Iteration)
    public void stopRefreshing() throws InterruptedException {
      stop = true;
      refresher.join();
      System.out.println("\nCRL refreshes so far: " + refreshes.get());
      if (refreshes.get() == 0) {
        throw new IllegalStateException("no CRL refresh completed while measuring");
      }
    }
  }

  /**
   * A handshake, nothing refreshing.
   *
   * @param server the server
   * @return the server's session
   */
  @Benchmark
  public SSLSession baseline_handshake1mCrl(Server server) throws SSLException {
    return server.handshake();
  }

  /**
   * A handshake while the CRL refreshes.
   *
   * @param server the server
   * @return the server's session
   */
  @Benchmark
  public SSLSession mtls_handshake1mCrl(RefreshingServer server) throws SSLException {
    return server.handshake();
  }
}
