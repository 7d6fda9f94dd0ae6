package dev.mtls.benchmarks;

import dev.mtls.core.internal.crl.CrlParser;
import dev.mtls.core.internal.crl.IndexedCrl;
import dev.mtls.core.internal.crl.RevokedEntry;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.RevocationReason;
import dev.mtls.testkit.TestCa;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What looking a serial up in one loaded CRL costs, as a handshake does once per certificate
 * of the peer's path: a CRL of the testkit with 1,000, 100,000 or 1,000,000 synthetic entries,
 * in the library's index ({@code mtls_<case>}) and in the JDK's {@link X509CRL} with {@link
 * X509CRL#getRevokedCertificate(BigInteger)} ({@code baseline_<case>}). Bouncy Castle's CRL
 * objects are no baseline: their lookups scan every entry (milliseconds at 100,000).
 *
 * <ul>
 *   <li>{@code miss}: a serial not on the CRL (the everyday case), taken in turn from 1,024
 *       random ones, so that a large index is not all in the CPU's cache. Target: 100 ns at
 *       1,000,000 entries.
 *   <li>{@code hit}: a revoked serial, whose entry (date and reason) is then decoded.
 * </ul>
 *
 * <pre>
 * ./mvnw -B -q package -DskipTests -pl mtls-benchmarks -am
 * java -jar mtls-benchmarks/target/benchmarks.jar CrlLookupBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 2, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx3g")
public class CrlLookupBenchmark {
  private static final int MISSES = 1024;

  /** One CRL's bytes, and the serials to look up. */
  @State(Scope.Benchmark)
  public static class Crl {
    /** How many entries the CRL lists. */
    @Param({"1000", "100000", "1000000"})
    public int entries;

    private byte[] der;
    private BigInteger revoked;
    private final BigInteger[] misses = new BigInteger[MISSES];
    private int next;

    /** Makes the CRL once; its cost is not part of the measurement. */
    @Setup
    public void makeCrl() {
      TestCa ca = TestCa.create();
      IssuedCertificate peer = ca.client("revoked");
      ca.revoke(peer, RevocationReason.KEY_COMPROMISE, ca.clock().instant());
      revoked = peer.serialNumber();
      der = SyntheticCrl.der(ca, 1, entries - 1);
      SplittableRandom random = new SplittableRandom(42);
      for (int i = 0; i < MISSES; i++) {
        // the shape of the testkit's serials: 65 bits, like real 64-bit random serials
        misses[i] = BigInteger.valueOf(random.nextLong() & Long.MAX_VALUE).setBit(63).setBit(64);
      }
    }

    BigInteger nextMiss() {
      return misses[next++ & (MISSES - 1)];
    }
  }

  /** The CRL in the library's index. */
  @State(Scope.Benchmark)
  public static class Indexed {
    private IndexedCrl crl;

    /**
     * Indexes the CRL (not measured).
     *
     * @param source the CRL's bytes
     */
    @Setup
    public void index(Crl source) throws Exception {
      crl = CrlParser.parse(source.der, "benchmark.crl", Instant.now(), Duration.ofHours(2)).get(0);
      if (crl.size() != source.entries || crl.lookup(source.revoked) == null || crl.lookup(source.misses[0]) != null) {
        throw new IllegalStateException("the benchmark CRL does not list what it should");
      }
    }
  }

  /** The CRL as the JDK parses it. */
  @State(Scope.Benchmark)
  public static class Jdk {
    private X509CRL crl;

    /**
     * Parses the CRL (not measured).
     *
     * @param source the CRL's bytes
     */
    @Setup
    public void parse(Crl source) throws Exception {
      crl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(source.der));
      if (crl.getRevokedCertificate(source.revoked) == null || crl.getRevokedCertificate(source.misses[0]) != null) {
        throw new IllegalStateException("the JDK's CRL does not list what it should");
      }
    }
  }

  /**
   * Looks up a serial that is not on the CRL, in the library's index.
   *
   * @param crl the CRL and the serials
   * @return the entry, null
   */
  @Benchmark
  public RevokedEntry mtls_miss(Crl crl, Indexed indexed) {
    return indexed.crl.lookup(crl.nextMiss());
  }

  /**
   * Looks up a serial that is not on the CRL, in the JDK's CRL object.
   *
   * @param crl the CRL and the serials
   * @return the entry, null
   */
  @Benchmark
  public X509CRLEntry baseline_miss(Crl crl, Jdk jdk) {
    return jdk.crl.getRevokedCertificate(crl.nextMiss());
  }

  /**
   * Looks up the revoked serial, in the library's index.
   *
   * @param crl the CRL and the serials
   * @return its entry
   */
  @Benchmark
  public RevokedEntry mtls_hit(Crl crl, Indexed indexed) {
    return indexed.crl.lookup(crl.revoked);
  }

  /**
   * Looks up the revoked serial, in the JDK's CRL object, and reads its date and reason, as
   * the library's entry holds them.
   *
   * @param crl the CRL and the serials
   * @return its date and reason
   */
  @Benchmark
  public Object[] baseline_hit(Crl crl, Jdk jdk) {
    X509CRLEntry entry = jdk.crl.getRevokedCertificate(crl.revoked);
    return new Object[] {entry.getRevocationDate(), entry.getRevocationReason()};
  }
}
