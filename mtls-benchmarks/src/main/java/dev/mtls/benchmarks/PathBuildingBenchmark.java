package dev.mtls.benchmarks;

import dev.mtls.core.IdentitySource;
import dev.mtls.core.MtlsContext;
import dev.mtls.core.PeerPolicy;
import dev.mtls.core.PeerVerifier;
import dev.mtls.core.TrustSource;
import dev.mtls.core.Verdict;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import java.io.ByteArrayInputStream;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
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
 * What building and validating a peer's path costs, without revocation or an allow-list: a
 * chain of two (leaf and intermediate, the root a trust anchor).
 *
 * <ul>
 *   <li>{@code returningPeer}: the same chain again: the validator's memory of validated chains.
 *   <li>{@code newPeerKnownIntermediate}: 20,000 different leaves under one intermediate, in
 *       fresh objects as a TLS provider hands them over, more than the validator remembers:
 *       every call builds and validates a path; the intermediate's signature was seen before.
 *   <li>{@code baseline_newPeerSignature}: the floor of {@code newPeerKnownIntermediate}: the
 *       same leaves, only their signatures verified with Bouncy Castle against the
 *       intermediate's key (in Bouncy Castle's form, as the validator holds it).
 *   <li>{@code hostileChain}: 1,000 different chains in turn, each a leaf and 25 CA
 *       certificates of one name: 5 CAs that all certify one another, none certified by an
 *       anchor, so every path is a dead end (a search without limits would try 5! orders):
 *       the cost of the search's bounds.
 * </ul>
 *
 * <pre>
 * ./mvnw -B -q package -DskipTests -pl mtls-benchmarks -am
 * java -jar mtls-benchmarks/target/benchmarks.jar PathBuildingBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PathBuildingBenchmark {
  private static final int DISTINCT_PEERS = 20_000;
  private static final int HOSTILE_CHAINS = 1_000;
  private static final int SAME_NAMED_CAS = 5;

  private MtlsContext context;
  private PeerVerifier verifier;
  private List<X509Certificate> returning;
  private final List<List<X509Certificate>> distinct = new ArrayList<>();
  private final List<List<X509Certificate>> hostile = new ArrayList<>();
  private int nextDistinct;
  private int nextBaseline;
  private final Provider bouncyCastle = new BouncyCastleProvider();
  private PublicKey intermediateKey;
  private int nextHostile;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    TestCa root = TestCa.create();
    TestCa intermediate = root.newIntermediate("Workloads CA");
    IssuedCertificate server = root.server("localhost");
    context = MtlsContext.forServer()
        .identity(IdentitySource.of(server.privateKey(), server.chain()))
        .trust(TrustSource.of(List.of(root.certificate())))
        .peerPolicy(PeerPolicy.anyTrustedPeer())
        .logging(false)
        .build();
    verifier = context.verifier();
    returning = intermediate.client("returning").chain();
    check(verifier.verify(returning));

    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    X509Certificate intermediateCertificate = reparse(factory, intermediate.certificate());
    for (int i = 0; i < DISTINCT_PEERS; i++) {
      distinct.add(List.of(reparse(factory, intermediate.client("peer-" + i).certificate()),
          intermediateCertificate));
    }
    check(verifier.verify(distinct.get(0)));
    intermediateKey = BouncyCastleProvider.getPublicKey(
        SubjectPublicKeyInfo.getInstance(intermediateCertificate.getPublicKey().getEncoded()));
    if (!baseline_newPeerSignature()) {
      throw new IllegalStateException("the baseline's signature did not verify");
    }

    for (int i = 0; i < HOSTILE_CHAINS; i++) {
      List<TestCa> sameName = new ArrayList<>();
      sameName.add(TestCa.builder().commonName("Hostile CA").build());
      while (sameName.size() < SAME_NAMED_CAS) {
        sameName.add(sameName.get(0).rekey());
      }
      List<X509Certificate> chain = new ArrayList<>();
      chain.add(sameName.get(0).client("hostile-" + i).certificate());
      for (TestCa issuer : sameName) {
        chain.add(issuer.certificate());
        for (TestCa subject : sameName) {
          if (subject != issuer) {
            chain.add(issuer.crossCertificate(subject).issue());
          }
        }
      }
      hostile.add(List.copyOf(chain));
    }
    if (verifier.verify(hostile.get(0)).isAllowed()) {
      throw new IllegalStateException("the hostile chain was accepted");
    }
  }

  private static X509Certificate reparse(CertificateFactory factory, X509Certificate certificate)
      throws Exception {
    return (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(certificate.getEncoded()));
  }

  private static void check(Verdict verdict) {
    if (!verdict.isAllowed()) {
      throw new IllegalStateException("benchmark peer was refused: " + verdict);
    }
  }

  @Benchmark
  public Verdict returningPeer() {
    return verifier.verify(returning);
  }

  @Benchmark
  public Verdict newPeerKnownIntermediate() {
    List<X509Certificate> chain = distinct.get(nextDistinct);
    nextDistinct = nextDistinct + 1 == DISTINCT_PEERS ? 0 : nextDistinct + 1;
    return verifier.verify(chain);
  }

  @Benchmark
  public boolean baseline_newPeerSignature() throws Exception {
    X509Certificate leaf = distinct.get(nextBaseline).get(0);
    nextBaseline = nextBaseline + 1 == DISTINCT_PEERS ? 0 : nextBaseline + 1;
    Signature signature = Signature.getInstance(leaf.getSigAlgName(), bouncyCastle);
    signature.initVerify(intermediateKey);
    signature.update(leaf.getTBSCertificate());
    return signature.verify(leaf.getSignature());
  }

  @Benchmark
  public Verdict hostileChain() {
    List<X509Certificate> chain = hostile.get(nextHostile);
    nextHostile = nextHostile + 1 == HOSTILE_CHAINS ? 0 : nextHostile + 1;
    return verifier.verify(chain);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    context.close();
  }
}
