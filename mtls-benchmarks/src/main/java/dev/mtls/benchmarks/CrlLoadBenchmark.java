package dev.mtls.benchmarks;

import dev.mtls.core.internal.crl.CrlParser;
import dev.mtls.core.internal.crl.IndexedCrl;
import dev.mtls.testkit.TestCa;
import java.io.ByteArrayInputStream;
import java.security.PublicKey;
import java.security.cert.CRL;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.time.Instant;
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
 * What taking in a fetched CRL costs, from its DER bytes to a CRL whose signature is verified
 * and whose serials can be looked up: 100,000 and 1,000,000 entries, signed with EC P-256.
 *
 * <ul>
 *   <li>{@code mtls_loadIndexVerify}: the library's parser and index, then the signature check
 *       with the issuer's key (what a refresh does before the CRL is used).
 *   <li>{@code baseline_loadIndexVerify}: the JDK's {@code CertificateFactory} parses the CRL
 *       (its entries into a map, so it can look up), then {@link X509CRL#verify(PublicKey)}.
 * </ul>
 *
 * <p>Single shots, in milliseconds: one load per call, each on new bytes' worth of work (the
 * JDK's {@code generateCRLs}, unlike {@code generateCRL}, keeps no cache of parsed CRLs).
 *
 * <pre>
 * java -jar mtls-benchmarks/target/benchmarks.jar CrlLoadBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = "-Xmx3g")
public class CrlLoadBenchmark {
  /** How many entries the CRL lists. */
  @Param({"100000", "1000000"})
  public int entries;

  private byte[] der;
  private PublicKey issuerKey;
  private CertificateFactory factory;

  /** Makes the CRL once; its cost is not part of the measurement. */
  @Setup
  public void makeCrl() throws Exception {
    TestCa ca = TestCa.create();
    der = SyntheticCrl.der(ca, 1, entries);
    issuerKey = ca.certificate().getPublicKey();
    factory = CertificateFactory.getInstance("X.509");
  }

  /**
   * Parses, indexes and verifies the CRL with the library.
   *
   * @return the CRL
   * @throws Exception when it does not parse
   */
  @Benchmark
  public IndexedCrl mtls_loadIndexVerify() throws Exception {
    IndexedCrl crl = CrlParser.parse(der, "benchmark.crl", Instant.now(), Duration.ofHours(2)).get(0);
    if (!crl.isSignedBy(issuerKey, forged -> { })) {
      throw new IllegalStateException("the benchmark CRL's signature does not verify");
    }
    return crl;
  }

  /**
   * Parses and verifies the CRL with the JDK.
   *
   * @return the CRL
   * @throws Exception when it does not parse or verify
   */
  @Benchmark
  public X509CRL baseline_loadIndexVerify() throws Exception {
    X509CRL crl = null;
    for (CRL parsed : factory.generateCRLs(new ByteArrayInputStream(der))) {
      crl = (X509CRL) parsed;
    }
    if (crl == null) {
      throw new IllegalStateException("the JDK found no CRL");
    }
    crl.verify(issuerKey);
    return crl;
  }
}
