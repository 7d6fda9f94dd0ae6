package dev.mtls.benchmarks;

import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.util.concurrent.TimeUnit;
import okhttp3.tls.HeldCertificate;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one test certificate: a fresh EC P-256 key and a client leaf (common name,
 * extended key usage clientAuth) signed by an EC P-256 CA, with the testkit and with the two
 * test-certificate builders a JVM project would otherwise use.
 *
 * <ul>
 *   <li>{@code mtls_issueEcLeaf}: {@link TestCa#client}, returned as the JDK's own
 *       certificate and key objects.
 *   <li>{@code baseline_issueEcLeaf}: okhttp-tls's {@link HeldCertificate.Builder}.
 *   <li>{@code nettyPkiTesting}: Netty's {@link CertificateBuilder} (netty-pkitesting).
 * </ul>
 *
 * <p>Throughput in certificates per second. The report pairs {@code mtls_issueEcLeaf} with
 * {@code baseline_issueEcLeaf} (okhttp-tls) and lists {@code nettyPkiTesting} on its own (one
 * baseline per row): its ratio is read from the two rows. Target: at least 4,000 certificates
 * per second.
 *
 * <pre>
 * java -jar mtls-benchmarks/target/benchmarks.jar TestCaBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 2, time = 1)
@Fork(1)
public class TestCaBenchmark {
  private TestCa ca;
  private HeldCertificate okhttpCa;
  private X509Bundle nettyCa;

  /** Makes the three CAs once; their cost is not part of the measurement. */
  @Setup
  public void createCas() throws Exception {
    ca = TestCa.create();
    okhttpCa = new HeldCertificate.Builder().commonName("Bench Root CA").certificateAuthority(0).ecdsa256().build();
    nettyCa = new CertificateBuilder().subject("CN=Bench Root CA").ecp256().setIsCertificateAuthority(true)
        .buildSelfSigned();
  }

  /**
   * Issues a client certificate with key generation, with the testkit.
   *
   * @return the certificate, so that the JIT cannot drop the work
   */
  @Benchmark
  public IssuedCertificate mtls_issueEcLeaf() {
    return ca.client("bench");
  }

  /**
   * The same with okhttp-tls: a new P-256 key, a leaf signed by the CA.
   *
   * @return the certificate
   */
  @Benchmark
  public HeldCertificate baseline_issueEcLeaf() {
    return new HeldCertificate.Builder().commonName("bench").ecdsa256().signedBy(okhttpCa).build();
  }

  /**
   * The same with netty-pkitesting: a new P-256 key, a leaf with clientAuth signed by the CA.
   *
   * @return the certificate
   * @throws Exception when the builder fails
   */
  @Benchmark
  public X509Bundle nettyPkiTesting() throws Exception {
    return new CertificateBuilder().subject("CN=bench").ecp256().addExtendedKeyUsageClientAuth()
        .buildIssuedBy(nettyCa);
  }
}
