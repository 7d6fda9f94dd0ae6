package dev.mtls.benchmarks;

import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The cost of one test certificate: a fresh EC P-256 key and a client leaf signed by an EC
 * P-256 CA, returned as the JDK's own certificate and key objects.
 *
 * <pre>
 * java -jar mtls-benchmarks/target/benchmarks.jar TestCaBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TestCaBenchmark {
  private TestCa ca;

  /** Makes the CA once; its cost is not part of the measurement. */
  @Setup
  public void createCa() {
    ca = TestCa.create();
  }

  /**
   * Issues a client certificate with key generation.
   *
   * @return the certificate, so that the JIT cannot drop the work
   */
  @Benchmark
  public IssuedCertificate issueEcClientLeaf() {
    return ca.client("bench");
  }
}
