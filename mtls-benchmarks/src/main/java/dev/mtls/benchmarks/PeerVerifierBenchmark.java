package dev.mtls.benchmarks;

import dev.mtls.core.IdentitySource;
import dev.mtls.core.MtlsContext;
import dev.mtls.core.PeerPolicy;
import dev.mtls.core.PeerVerifier;
import dev.mtls.core.Revocation;
import dev.mtls.core.TrustSource;
import dev.mtls.core.Verdict;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.RevocationReason;
import dev.mtls.testkit.TestCa;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * What judging a peer costs: a chain of two (leaf and intermediate, the root a trust anchor),
 * a CRL of 100,000 entries loaded for each CA, an allow-list by SPIFFE ID pattern.
 *
 * <ul>
 *   <li>{@code cachedSession}: a request on a connection whose session was judged before
 *       (what an adapter pays per request): a lookup in the verifier's verdict cache.
 *   <li>{@code returningPeer}: the same peer again (a new request, a resumed session): the
 *       chain's signatures were verified before, validity, revocation and policy are checked
 *       afresh.
 *   <li>{@code distinctPeers}: 20,000 different peers in turn, more than the validator
 *       remembers, so every call validates the chain (PKIX, signatures checked with Bouncy Castle).
 * </ul>
 *
 * <pre>
 * ./mvnw -B -q package -DskipTests -pl mtls-benchmarks -am
 * java -jar mtls-benchmarks/target/benchmarks.jar PeerVerifierBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PeerVerifierBenchmark {
  private static final int DISTINCT_PEERS = 20_000;
  private static final int CRL_ENTRIES = 100_000;

  private Path directory;
  private MtlsContext context;
  private MtlsContext client;
  private SSLSession session;
  private PeerVerifier verifier;
  private List<X509Certificate> returning;
  private final List<List<X509Certificate>> distinct = new ArrayList<>();
  private int next;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    directory = Files.createTempDirectory("mtls-bench");
    TestCa root = TestCa.create();
    TestCa intermediate = root.newIntermediate("Workloads CA");
    IssuedCertificate peer = intermediate.leaf("ingester").clientAuth()
        .spiffeId("spiffe://prod.example/ns/data/sa/ingester").issue();
    IssuedCertificate revoked = intermediate.client("revoked");
    intermediate.revoke(revoked.serialNumber(), RevocationReason.KEY_COMPROMISE, root.clock().instant());
    Path intermediateCrl = directory.resolve("intermediate.crl");
    Files.writeString(intermediateCrl, intermediate.crlBuilder().addSyntheticRevocations(CRL_ENTRIES).buildPem());
    Path rootCrl = directory.resolve("root.crl");
    Files.writeString(rootCrl, root.crlBuilder().addSyntheticRevocations(CRL_ENTRIES).buildPem());
    IssuedCertificate server = root.server("localhost");

    context = MtlsContext.forServer()
        .identity(IdentitySource.of(server.privateKey(), server.chain()))
        .trust(TrustSource.of(List.of(root.certificate())))
        .peerPolicy(PeerPolicy.builder().allowSpiffeIds("spiffe://prod.example/ns/*/sa/ingester").build())
        .revocation(Revocation.crls().file(intermediateCrl).file(rootCrl).build())
        .logging(false)
        .build();
    verifier = context.verifier();
    returning = peer.chain();
    check(verifier.verify(returning));
    client = MtlsContext.forClient()
        .identity(IdentitySource.of(peer.privateKey(), peer.chain()))
        .trust(TrustSource.of(List.of(root.certificate())))
        .build();
    session = EnginePair.serverSession(context, client);
    check(verifier.verify(session));

    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    X509Certificate intermediateCertificate = (X509Certificate) factory.generateCertificate(
        new ByteArrayInputStream(intermediate.certificate().getEncoded()));
    for (int i = 0; i < DISTINCT_PEERS; i++) {
      IssuedCertificate leaf = intermediate.leaf("ingester-" + i).clientAuth()
          .spiffeId("spiffe://prod.example/ns/n" + (i % 50) + "/sa/ingester").issue();
      // Fresh objects from the bytes, as a TLS provider hands them over.
      X509Certificate parsed = (X509Certificate) factory.generateCertificate(
          new ByteArrayInputStream(leaf.certificate().getEncoded()));
      distinct.add(List.of(parsed, intermediateCertificate));
    }
  }

  private static void check(Verdict verdict) {
    if (!verdict.isAllowed()) {
      throw new IllegalStateException("benchmark peer was refused: " + verdict);
    }
  }

  @Benchmark
  public Verdict cachedSession() {
    return verifier.verify(session);
  }

  @Benchmark
  public Verdict returningPeer() {
    return verifier.verify(returning);
  }

  @Benchmark
  public Verdict distinctPeers() {
    List<X509Certificate> chain = distinct.get(next);
    next = next + 1 == DISTINCT_PEERS ? 0 : next + 1;
    return verifier.verify(chain);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    context.close();
    client.close();
    try (var files = Files.list(directory)) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
    }
    Files.delete(directory);
  }
}
