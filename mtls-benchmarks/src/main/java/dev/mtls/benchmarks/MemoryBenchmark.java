package dev.mtls.benchmarks;

import dev.mtls.core.MtlsContext;
import dev.mtls.core.PeerPolicy;
import dev.mtls.core.PeerVerifier;
import dev.mtls.core.internal.crl.CrlParser;
import dev.mtls.core.internal.crl.IndexedCrl;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.security.KeyStore;
import java.security.cert.CRL;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Heap kept alive, in bytes, by what the library holds: the figure is the secondary result
 * {@code bytes} of each benchmark (JMH's aux counter; the time score is meaningless). Each call
 * makes many of the thing, collects the heap (full GC, {@code System.gc()} with G1) before and
 * after, and divides the growth by the count.
 *
 * <ul>
 *   <li>{@code mtls_context} / {@code baseline_context}: an idle server context (reload on, key
 *       and certificates in memory and shared by all) against a hand-built SunJSSE {@link
 *       SSLContext} from the same key and certificates (key and trust manager factories over
 *       PKCS12 stores). The shared key and certificate objects are not counted in either.
 *   <li>{@code mtls_cachedVerdict}: one more TLS session judged and remembered by the verifier
 *       (5,000 sessions of one peer, as {@code verify(sessionId, chain)} keeps them; the chain's
 *       certificate objects are the session's and are not counted).
 *   <li>{@code mtls_crl1m} / {@code baseline_crl1m}: a CRL of 1,000,000 entries in the library's
 *       index against the JDK's parsed {@code X509CRL} (whose lookups need its entry map).
 * </ul>
 *
 * <pre>
 * java -jar mtls-benchmarks/target/benchmarks.jar MemoryBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g", "-XX:+UseG1GC"})
public class MemoryBenchmark {
  private static final int CONTEXTS = 50;
  private static final int SESSIONS = 5_000;
  private static final int CRL_ENTRIES = 1_000_000;

  private TestCa ca;
  private IssuedCertificate server;
  private IssuedCertificate peer;
  private byte[] crl;

  /** The bytes kept alive by one of the things measured, read by JMH after the iteration. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Retained {
    /** Heap kept alive by one, in bytes. */
    public long bytes;
  }

  /** Makes the CA, the certificates and the CRL's bytes (not measured). */
  @Setup(Level.Trial)
  public void setUp() {
    ca = TestCa.create();
    server = ca.server("localhost");
    peer = ca.client("ingester");
    crl = null;
  }

  private byte[] crl() throws Exception {
    if (crl == null) {
      crl = SyntheticCrl.der(ca, 1, CRL_ENTRIES);
    }
    return crl;
  }

  private MtlsContext newContext() {
    return BenchContexts.server(ca, server).peerPolicy(PeerPolicy.anyTrustedPeer()).build();
  }

  private SSLContext newJdkContext() throws Exception {
    KeyStore identity = KeyStore.getInstance("PKCS12");
    identity.load(null, null);
    identity.setKeyEntry("server", server.privateKey(), new char[0], server.chain().toArray(X509Certificate[]::new));
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(identity, new char[0]);
    KeyStore anchors = KeyStore.getInstance("PKCS12");
    anchors.load(null, null);
    anchors.setCertificateEntry("root", ca.certificate());
    TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
    trust.init(anchors);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
    context.createSSLEngine(); // what a server does first; the JDK sets up its defaults lazily
    return context;
  }

  /**
   * Heap kept alive by one idle server context.
   *
   * @param retained where the figure goes
   * @return the contexts, closed
   */
  @Benchmark
  public Object mtls_context(Retained retained) {
    newContext().close(); // classes and shared background threads, not counted
    List<MtlsContext> contexts = new ArrayList<>(CONTEXTS);
    long before = usedHeapAfterGc();
    for (int i = 0; i < CONTEXTS; i++) {
      MtlsContext context = newContext();
      context.newEngine();
      contexts.add(context);
    }
    retained.bytes = (usedHeapAfterGc() - before) / CONTEXTS;
    contexts.forEach(MtlsContext::close);
    return contexts;
  }

  /**
   * Heap kept alive by one hand-built SunJSSE context.
   *
   * @param retained where the figure goes
   * @return the contexts
   */
  @Benchmark
  public Object baseline_context(Retained retained) throws Exception {
    newJdkContext();
    List<SSLContext> contexts = new ArrayList<>(CONTEXTS);
    long before = usedHeapAfterGc();
    for (int i = 0; i < CONTEXTS; i++) {
      contexts.add(newJdkContext());
    }
    retained.bytes = (usedHeapAfterGc() - before) / CONTEXTS;
    return contexts;
  }

  /**
   * Heap kept alive by one remembered session verdict.
   *
   * @param retained where the figure goes
   * @return the context, closed
   */
  @Benchmark
  public Object mtls_cachedVerdict(Retained retained) {
    try (MtlsContext context = newContext()) {
      PeerVerifier verifier = context.verifier();
      List<X509Certificate> chain = peer.chain();
      verifier.verify(sessionId(-1), chain);
      long before = usedHeapAfterGc();
      for (int i = 0; i < SESSIONS; i++) {
        if (!verifier.verify(sessionId(i), chain).isAllowed()) {
          throw new IllegalStateException("the benchmark peer was refused");
        }
      }
      retained.bytes = (usedHeapAfterGc() - before) / SESSIONS;
      return context;
    }
  }

  private static byte[] sessionId(int session) {
    return ByteBuffer.allocate(32).putInt(session).putInt(28, session).array();
  }

  /**
   * Heap kept alive by a CRL of 1,000,000 entries in the library's index.
   *
   * @param retained where the figure goes
   * @return the CRL
   */
  @Benchmark
  public Object mtls_crl1m(Retained retained) throws Exception {
    byte[] der = crl().clone();
    long before = usedHeapAfterGc() - der.length;
    IndexedCrl indexed = CrlParser.parse(der, "benchmark.crl", Instant.now(), Duration.ofHours(2)).get(0);
    der = null; // counted only if the index keeps it
    retained.bytes = usedHeapAfterGc() - before;
    return indexed;
  }

  /**
   * Heap kept alive by the JDK's parsed CRL of 1,000,000 entries.
   *
   * @param retained where the figure goes
   * @return the CRL
   */
  @Benchmark
  public Object baseline_crl1m(Retained retained) throws Exception {
    byte[] der = crl().clone();
    long before = usedHeapAfterGc() - der.length;
    Collection<? extends CRL> parsed =
        CertificateFactory.getInstance("X.509").generateCRLs(new ByteArrayInputStream(der));
    der = null; // counted only if the CRL object keeps it
    retained.bytes = usedHeapAfterGc() - before;
    return parsed;
  }

  private static long usedHeapAfterGc() {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
