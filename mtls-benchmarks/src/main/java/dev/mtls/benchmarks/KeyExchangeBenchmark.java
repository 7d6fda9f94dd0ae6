package dev.mtls.benchmarks;

import dev.mtls.core.IdentitySource;
import dev.mtls.core.MtlsContext;
import dev.mtls.core.PeerPolicy;
import dev.mtls.core.TlsPolicy;
import dev.mtls.core.TlsProvider;
import dev.mtls.core.TrustSource;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
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
 * What the post-quantum hybrid key exchange costs in a full TLS 1.3 mutual handshake: Bouncy
 * Castle JSSE on both sides (the provider that has {@code X25519MLKEM768}), EC P-256
 * certificates, two new engines per operation driven in one thread over in-memory buffers, the
 * client's session invalidated so that no handshake resumes.
 *
 * <ul>
 *   <li>{@code keyExchange=hybrid}: {@link TlsPolicy#MODERN} as it is, the default. The BCJSSE client sends
 *       its first key share for x25519 only; the server prefers {@code X25519MLKEM768} and asks
 *       for it (HelloRetryRequest), so this is the hybrid's cost as users get it: an x25519 key
 *       share made and dropped, a second ClientHello, ML-KEM-768 key generation, encapsulation
 *       and decapsulation, and about 2.3 KB more on the wire.
 *   <li>{@code keyExchange=baseline}: MODERN's groups without the hybrid ({@code x25519, secp256r1,
 *       secp384r1}): the classical handshake, one round trip.
 * </ul>
 * Run both in one invocation and compare them there: on a shared machine only the ratio is
 * worth reporting. Only Bouncy Castle is measured: SunJSSE has no {@code X25519MLKEM768} up to
 * JDK 25 (a context that requires it cannot be built there), and the OpenSSL provider's
 * groups are not the library's to set.
 *
 * <pre>
 * mtls-benchmarks/run KeyExchangeBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(1)
public class KeyExchangeBenchmark {
  private static final String HOST = "localhost";
  private static final int PORT = 8443;

  /** The key exchange: {@code hybrid} (MODERN) or {@code baseline}: x25519 (MODERN without the hybrid). */
  @Param({"baseline", "hybrid"})
  public String keyExchange;

  private MtlsContext server;
  private MtlsContext client;
  private final ByteBuffer clientToServer = ByteBuffer.allocate(1 << 17);
  private final ByteBuffer serverToClient = ByteBuffer.allocate(1 << 17);
  private final ByteBuffer application = ByteBuffer.allocate(1 << 17);

  /** Builds the two contexts and checks that a handshake authenticates the client. */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    TlsPolicy policy = switch (keyExchange) {
      case "hybrid" -> TlsPolicy.MODERN;
      case "baseline" -> TlsPolicy.MODERN.withNamedGroups(List.of("x25519", "secp256r1", "secp384r1"));
      default -> throw new IllegalArgumentException("keyExchange must be baseline (x25519) or hybrid: " + keyExchange);
    };
    TestCa ca = TestCa.create();
    IssuedCertificate serverCertificate = ca.server(HOST);
    IssuedCertificate clientCertificate = ca.client("bench");
    server = MtlsContext.forServer()
        .identity(IdentitySource.of(serverCertificate.privateKey(), serverCertificate.chain()))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .peerPolicy(PeerPolicy.anyTrustedPeer())
        .provider(TlsProvider.BOUNCY_CASTLE)
        .tlsPolicy(policy)
        .logging(false)
        .build();
    client = MtlsContext.forClient()
        .identity(IdentitySource.of(clientCertificate.privateKey(), clientCertificate.chain()))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .provider(TlsProvider.BOUNCY_CASTLE)
        .tlsPolicy(policy)
        .logging(false)
        .build();
    SSLSession session = handshake();
    if (!"TLSv1.3".equals(session.getProtocol())
        || !clientCertificate.certificate().equals(session.getPeerCertificates()[0])) {
      throw new IllegalStateException(keyExchange + ": the handshake did not authenticate the client");
    }
    System.out.println("\n" + keyExchange + ": groups " + policy.namedGroups());
  }

  /**
   * One full mutual handshake between two new engines.
   *
   * @return the server's session, so that the JIT cannot drop the work
   */
  @Benchmark
  public SSLSession handshake() throws SSLException {
    SSLEngine clientEngine = client.newEngine(HOST, PORT);
    SSLSession session = EnginePair.handshake(clientEngine, server.newEngine(), clientToServer, serverToClient,
        application);
    clientEngine.getSession().invalidate();
    return session;
  }

  /** Closes the contexts. */
  @TearDown(Level.Trial)
  public void tearDown() {
    server.close();
    client.close();
  }
}
