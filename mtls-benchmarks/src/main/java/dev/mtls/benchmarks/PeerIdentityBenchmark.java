package dev.mtls.benchmarks;

import dev.mtls.core.KeyPurpose;
import dev.mtls.core.PeerIdentity;
import dev.mtls.core.PeerPolicy;
import dev.mtls.core.Verdict;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * What judging a peer's identity costs on the handshake path: parsing a {@link PeerIdentity}
 * from a validated path (DN, SANs, EKU, SHA-256) and checking it against a {@link PeerPolicy}
 * with CN, DNS and SPIFFE pattern rules.
 *
 * <pre>
 * ./mvnw -B -q -pl mtls-benchmarks -am package -DskipTests
 * java -jar mtls-benchmarks/target/benchmarks.jar PeerIdentityBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PeerIdentityBenchmark {
  // PeerPolicy.check is package-private (the verifier's entry point); on the class path every
  // package is open, and an exact method handle costs about what a direct call does.
  private static final MethodHandle CHECK;

  static {
    try {
      CHECK = MethodHandles.privateLookupIn(PeerPolicy.class, MethodHandles.lookup())
          .findVirtual(PeerPolicy.class, "check",
              MethodType.methodType(Verdict.Rejected.class, PeerIdentity.class, KeyPurpose.class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private List<X509Certificate> path;
  private PeerIdentity allowedBySpiffeId;
  private PeerIdentity refused;
  private PeerPolicy policy;

  /** Issues a SPIFFE client certificate under an intermediate, and a policy with three lists. */
  @Setup
  public void setUp() {
    TestCa root = TestCa.builder().commonName("Bench Root CA").build();
    TestCa issuing = root.newIntermediate("Bench Issuing CA");
    IssuedCertificate client = issuing.leaf("ingester")
        .dnsNames("ingester.eu.svc.cluster.local")
        .spiffeId("spiffe://prod.example/ns/eu/sa/ingester")
        .clientAuth()
        .issue();
    path = client.fullChain();
    allowedBySpiffeId = PeerIdentity.of(path);
    refused = PeerIdentity.of(issuing.client("billing").fullChain());
    policy = PeerPolicy.builder()
        .allowCommonNames("orders", "payments")
        .allowDnsNames("*.orders.svc.cluster.local")
        .allowSpiffeIds("spiffe://prod.example/ns/*/sa/ingester")
        .requireIssuer(root.subject())
        .build();
  }

  /** Parses a peer identity from a three-certificate validated path. */
  @Benchmark
  public PeerIdentity parse() {
    return PeerIdentity.of(path);
  }

  /** Checks an allowed peer: issuer, key usage, then CN and DNS miss and the SPIFFE rule hits. */
  @Benchmark
  public Verdict.Rejected checkAllowed() throws Throwable {
    return (Verdict.Rejected) CHECK.invokeExact(policy, allowedBySpiffeId, KeyPurpose.CLIENT_AUTH);
  }

  /** Checks a refused peer, including building the rejection's detail message. */
  @Benchmark
  public Verdict.Rejected checkRefused() throws Throwable {
    return (Verdict.Rejected) CHECK.invokeExact(policy, refused, KeyPurpose.CLIENT_AUTH);
  }
}
