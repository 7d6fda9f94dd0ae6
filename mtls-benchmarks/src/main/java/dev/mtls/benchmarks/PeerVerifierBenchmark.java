package dev.mtls.benchmarks;

import dev.mtls.core.MtlsContext;
import dev.mtls.core.PeerPolicy;
import dev.mtls.core.PeerVerifier;
import dev.mtls.core.Revocation;
import dev.mtls.core.Verdict;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.RevocationReason;
import dev.mtls.testkit.TestCa;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * What judging a peer costs: a chain of two (leaf and intermediate, the root a trust anchor),
 * a CRL of 100,000 entries loaded for each CA, an allow-list by SPIFFE ID pattern. Each case
 * is measured for the library ({@code mtls_<case>}) and, where one exists, for the JDK's PKIX
 * trust manager ({@code baseline_<case>}: {@code checkClientTrusted} on the same chains, with
 * no CRL and no allow-list, so it does less) and for the floor ({@code floor_<case>}: one
 * Bouncy Castle P-256 signature verification, the least a never-seen leaf can cost).
 *
 * <ul>
 *   <li>{@code cachedSession}: a request on a connection whose session was judged before
 *       (what an adapter pays per request): a lookup in the verifier's verdict cache.
 *   <li>{@code sameObjects}: the same peer in the same certificate objects again (a resumed
 *       session): signatures verified before; validity, revocation and policy checked afresh.
 *   <li>{@code equalChain}: the same peer in new certificate objects parsed from its bytes,
 *       as a container hands them over per request or connection.
 *   <li>{@code distinctChains}: 2,000 or 20,000 different peers in turn, each leaf in a new
 *       object (the intermediate the one object a TLS provider's certificate cache keeps). The
 *       library remembers 10,000 validated chains: at 2,000 every peer is a returning one, at
 *       20,000 every call validates a never-seen chain. {@code floor_distinctChains} is one BC
 *       verification of a leaf's signature.
 * </ul>
 *
 * <p>New certificate objects are parsed before each call, outside the measured time.
 *
 * <pre>
 * ./mvnw -B -q package -DskipTests -pl mtls-benchmarks -am
 * java -jar mtls-benchmarks/target/benchmarks.jar PeerVerifierBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 2, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class PeerVerifierBenchmark {
  private static final int CRL_ENTRIES = 100_000;
  private static final String AUTH_TYPE = "EC";

  private Path directory;
  private MtlsContext context;
  private MtlsContext client;
  private SSLSession session;
  private PeerVerifier verifier;
  private TestCa intermediate;
  private X509TrustManager jdkTrustManager;
  private List<X509Certificate> returning;
  private byte[][] returningEncoded;
  private Signature bcVerification;
  private PublicKey bcIntermediateKey;
  private byte[] leafSignedPart;
  private byte[] leafSignature;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    directory = Files.createTempDirectory("mtls-bench");
    TestCa root = TestCa.create();
    intermediate = root.newIntermediate("Workloads CA");
    IssuedCertificate peer = intermediate.leaf("ingester").clientAuth()
        .spiffeId("spiffe://prod.example/ns/data/sa/ingester").issue();
    IssuedCertificate revoked = intermediate.client("revoked");
    intermediate.revoke(revoked.serialNumber(), RevocationReason.KEY_COMPROMISE, root.clock().instant());
    Path intermediateCrl = directory.resolve("intermediate.crl");
    Files.write(intermediateCrl, SyntheticCrl.der(intermediate, 1, CRL_ENTRIES));
    Path rootCrl = directory.resolve("root.crl");
    Files.write(rootCrl, SyntheticCrl.der(root, 1, CRL_ENTRIES));
    IssuedCertificate server = root.server("localhost");

    context = BenchContexts.server(root, server)
        .peerPolicy(PeerPolicy.builder().allowSpiffeIds("spiffe://prod.example/ns/*/sa/ingester").build())
        .revocation(Revocation.crls().file(intermediateCrl).file(rootCrl).build())
        .build();
    verifier = context.verifier();
    returning = peer.chain();
    returningEncoded = new byte[][] {peer.certificate().getEncoded(), intermediate.certificate().getEncoded()};
    check(verifier.verify(returning));
    client = BenchContexts.client(root, peer);
    session = EnginePair.serverSession(context, client);
    check(verifier.verify(session));

    KeyStore anchors = KeyStore.getInstance("PKCS12");
    anchors.load(null, null);
    anchors.setCertificateEntry("root", root.certificate());
    TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
    factory.init(anchors);
    jdkTrustManager = (X509TrustManager) factory.getTrustManagers()[0];
    jdkTrustManager.checkClientTrusted(returning.toArray(X509Certificate[]::new), AUTH_TYPE);

    BouncyCastleProvider bc = new BouncyCastleProvider();
    X509Certificate leaf = peer.certificate();
    bcVerification = Signature.getInstance(leaf.getSigAlgName(), bc);
    bcIntermediateKey = KeyFactory.getInstance("EC", bc)
        .generatePublic(new X509EncodedKeySpec(intermediate.certificate().getPublicKey().getEncoded()));
    leafSignedPart = leaf.getTBSCertificate();
    leafSignature = leaf.getSignature();
    if (!floor_distinctChains()) {
      throw new IllegalStateException("the leaf's signature does not verify with Bouncy Castle");
    }
  }

  private static void check(Verdict verdict) {
    if (!verdict.isAllowed()) {
      throw new IllegalStateException("benchmark peer was refused: " + verdict);
    }
  }

  /** The returning peer's chain, in new objects before every call. */
  @State(Scope.Thread)
  public static class EqualChain {
    X509Certificate[] chain;

    /**
     * Parses the returning peer's chain afresh.
     *
     * @param benchmark the benchmark holding the chain's bytes
     */
    @Setup(Level.Invocation)
    public void parse(PeerVerifierBenchmark benchmark) {
      chain = FreshCertificates.parse(benchmark.returningEncoded);
    }
  }

  /** Many different peers under the intermediate, the next one in a new object before every call. */
  @State(Scope.Benchmark)
  public static class DistinctChains {
    /** How many different peers take turns. */
    @Param({"2000", "20000"})
    public int peers;

    private byte[][] leaves;
    private X509Certificate intermediate;
    private int next;
    X509Certificate[] chain;

    /**
     * Issues the peers' certificates (not measured).
     *
     * @param benchmark the benchmark holding the intermediate CA
     */
    @Setup(Level.Trial)
    public void issue(PeerVerifierBenchmark benchmark) throws CertificateException {
      leaves = new byte[peers][];
      for (int i = 0; i < peers; i++) {
        leaves[i] = benchmark.intermediate.leaf("ingester-" + i).clientAuth()
            .spiffeId("spiffe://prod.example/ns/n" + (i % 50) + "/sa/ingester").issue().certificate().getEncoded();
      }
      intermediate = FreshCertificates.parse(benchmark.intermediate.certificate().getEncoded())[0];
    }

    /** Parses the next peer's leaf afresh. */
    @Setup(Level.Invocation)
    public void nextPeer() {
      chain = new X509Certificate[] {FreshCertificates.parse(leaves[next])[0], intermediate};
      next = next + 1 == peers ? 0 : next + 1;
    }
  }

  @Benchmark
  public Verdict mtls_cachedSession() {
    return verifier.verify(session);
  }

  @Benchmark
  public Verdict mtls_sameObjects() {
    return verifier.verify(returning);
  }

  @Benchmark
  public X509Certificate[] baseline_sameObjects() throws CertificateException {
    X509Certificate[] chain = returning.toArray(X509Certificate[]::new);
    jdkTrustManager.checkClientTrusted(chain, AUTH_TYPE);
    return chain;
  }

  @Benchmark
  public Verdict mtls_equalChain(EqualChain fresh) {
    return verifier.verify(Arrays.asList(fresh.chain));
  }

  @Benchmark
  public X509Certificate[] baseline_equalChain(EqualChain fresh) throws CertificateException {
    jdkTrustManager.checkClientTrusted(fresh.chain, AUTH_TYPE);
    return fresh.chain;
  }

  @Benchmark
  public Verdict mtls_distinctChains(DistinctChains peers) {
    return verifier.verify(Arrays.asList(peers.chain));
  }

  @Benchmark
  public X509Certificate[] baseline_distinctChains(DistinctChains peers) throws CertificateException {
    jdkTrustManager.checkClientTrusted(peers.chain, AUTH_TYPE);
    return peers.chain;
  }

  /**
   * One Bouncy Castle verification of a P-256 leaf's signature with its issuer's key.
   *
   * @return whether it verified
   */
  @Benchmark
  public boolean floor_distinctChains() throws Exception {
    bcVerification.initVerify(bcIntermediateKey);
    bcVerification.update(leafSignedPart);
    return bcVerification.verify(leafSignature);
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
