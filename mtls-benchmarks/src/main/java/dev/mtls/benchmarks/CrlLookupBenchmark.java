package dev.mtls.benchmarks;

import dev.mtls.core.internal.crl.CrlParser;
import dev.mtls.core.internal.crl.IndexedCrl;
import dev.mtls.core.internal.crl.RevokedEntry;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.RevocationReason;
import dev.mtls.testkit.TestCa;
import java.math.BigInteger;
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
 * of the peer's path: a CRL of the testkit with 1,000, 100,000 or 1,000,000 synthetic entries.
 *
 * <ul>
 *   <li>{@code miss}: a serial not on the CRL (the everyday case), taken in turn from 1,024
 *       random ones, so that a large index is not all in the CPU's cache.
 *   <li>{@code hit}: a revoked serial, whose entry (date and reason) is then decoded.
 * </ul>
 *
 * <pre>
 * ./mvnw -B -q package -DskipTests -pl mtls-benchmarks -am
 * java -jar mtls-benchmarks/target/benchmarks.jar CrlLookupBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx3g")
public class CrlLookupBenchmark {
  private static final int MISSES = 1024;

  @Param({"1000", "100000", "1000000"})
  public int entries;

  private IndexedCrl crl;
  private BigInteger revoked;
  private final BigInteger[] misses = new BigInteger[MISSES];
  private int next;

  /** Makes and loads the CRL once; its cost is not part of the measurement. */
  @Setup
  public void loadCrl() throws Exception {
    TestCa ca = TestCa.create();
    IssuedCertificate peer = ca.client("revoked");
    ca.revoke(peer, RevocationReason.KEY_COMPROMISE, ca.clock().instant());
    revoked = peer.serialNumber();
    byte[] der = ca.crlBuilder().addSyntheticRevocations(entries - 1).build().getEncoded();
    crl = CrlParser.parse(der, "benchmark.crl", Instant.now(), Duration.ofHours(2)).get(0);
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < MISSES; i++) {
      // the shape of the testkit's serials: 65 bits, like real 64-bit random serials
      misses[i] = BigInteger.valueOf(random.nextLong() & Long.MAX_VALUE).setBit(63).setBit(64);
    }
  }

  /**
   * Looks up a serial that is not on the CRL.
   *
   * @return the entry, null
   */
  @Benchmark
  public RevokedEntry miss() {
    return crl.lookup(misses[next++ & (MISSES - 1)]);
  }

  /**
   * Looks up the revoked serial.
   *
   * @return its entry
   */
  @Benchmark
  public RevokedEntry hit() {
    return crl.lookup(revoked);
  }
}
