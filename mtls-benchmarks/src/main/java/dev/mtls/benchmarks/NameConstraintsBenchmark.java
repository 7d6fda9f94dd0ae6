package dev.mtls.benchmarks;

import dev.mtls.core.IdentitySource;
import dev.mtls.core.MtlsContext;
import dev.mtls.core.PeerPolicy;
import dev.mtls.core.PeerVerifier;
import dev.mtls.core.TrustSource;
import dev.mtls.core.Verdict;
import dev.mtls.testkit.CaExtensions;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a chain with many name constraints and many names costs to judge: an intermediate with
 * {@code size} excluded dNSName subtrees over a client certificate with {@code size} DNS names,
 * the last of them excluded, so the chain is refused (never remembered) and every call does
 * the whole work. At 1,024 each it is the hostile chain (over a million comparisons, which the
 * verifier now refuses before doing them); at 64 each a busy but legitimate one, checked in full.
 *
 * <pre>
 * ./mvnw -B -q package -DskipTests -pl mtls-benchmarks -am
 * java -jar mtls-benchmarks/target/benchmarks.jar NameConstraintsBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class NameConstraintsBenchmark {
  @Param({"64", "1024"})
  public int size;

  private MtlsContext context;
  private PeerVerifier verifier;
  private List<X509Certificate> chain;

  @Setup
  public void setUp() {
    TestCa root = TestCa.create();
    TestCa constrained = root.newIntermediate("Constrained CA", CaExtensions.builder()
        .excludedDnsNames(IntStream.range(0, size).mapToObj(i -> "x" + i + ".example").toArray(String[]::new))
        .build());
    IssuedCertificate peer = constrained.leaf("many-names").clientAuth()
        .dnsNames(Stream.concat(IntStream.range(1, size).mapToObj(i -> "n" + i + ".corp.example"),
            Stream.of("x0.example")).toArray(String[]::new))
        .issue();
    IssuedCertificate server = root.server("localhost");
    context = MtlsContext.forServer()
        .identity(IdentitySource.of(server.privateKey(), server.chain()))
        .trust(TrustSource.of(List.of(root.certificate())))
        .peerPolicy(PeerPolicy.anyTrustedPeer())
        .logging(false)
        .build();
    verifier = context.verifier();
    chain = peer.chain();
    if (verifier.verify(chain).isAllowed()) {
      throw new IllegalStateException("the chain with an excluded name was let in");
    }
  }

  @Benchmark
  public Verdict refusedChain() {
    return verifier.verify(chain);
  }

  @TearDown
  public void tearDown() {
    context.close();
  }
}
