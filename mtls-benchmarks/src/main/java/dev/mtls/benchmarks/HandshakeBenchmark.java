package dev.mtls.benchmarks;

import dev.mtls.core.IdentitySource;
import dev.mtls.core.MtlsContext;
import dev.mtls.core.PeerPolicy;
import dev.mtls.core.TlsPolicy;
import dev.mtls.core.TrustSource;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.PemFiles;
import dev.mtls.testkit.TestCa;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManagerFactory;
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
 * What a full TLS 1.3 mutual handshake costs with the library's reloading key and trust
 * managers, against the same handshake with the JDK's own managers: SunJSSE on both sides,
 * EC P-256 certificates from one test CA (server {@code localhost}, client {@code bench}),
 * a client engine and a server engine driven in one thread over in-memory buffers, delegated
 * tasks run inline. Every operation makes two new engines and completes a full handshake
 * with client authentication, including the server's NewSessionTicket; the client's session
 * is then invalidated so that the next handshake cannot resume it ({@link #setUp} checks
 * that it does not).
 *
 * <ul>
 *   <li>{@code plain}: {@code SSLContext}s over the JDK's default {@link KeyManagerFactory}
 *       ({@code SunX509}) and its {@code PKIX} {@link TrustManagerFactory}, from in-memory
 *       PKCS#12 key stores holding the test certificates; TLS 1.3 and the cipher suites of
 *       {@link TlsPolicy#MODERN}, client authentication required, endpoint identification
 *       {@code HTTPS} on the client.
 *   <li>{@code plainPkixKeys}: the same with the JDK's {@code PKIX} key manager factory. Its
 *       key manager names the chosen key with a new alias on every handshake, so its cache of
 *       key entries never hits and every handshake reads the private key out of the key
 *       store again; for PKCS#12 that is a PBKDF2 derivation (thousands of HMAC-SHA256
 *       rounds) per side and handshake. Measured to show that cost, not as the baseline.
 *   <li>{@code mtls}: {@link MtlsContext}s built from PEM files of the same certificates,
 *       so the identity and trust are the reloading ones, with reload on (the default
 *       policy: file events and a poll every 10 seconds); engines from
 *       {@link MtlsContext#newEngine()} and {@link MtlsContext#newEngine(String, int)}.
 * </ul>
 *
 * <p>Both sides see the same peer on every handshake, as a server does with a returning
 * client, and both variants profit from it. SunJSSE parses the peer's chain from the wire
 * through the JDK's {@code CertificateFactory}, whose cache hands back the same certificate
 * object for the same bytes, and that object remembers that its signature was verified: the
 * JDK trust manager's PKIX validation then skips the ECDSA verification. The library's
 * trust manager remembers each validated chain (keyed by certificate equality, so by the
 * bytes) and skips its Bouncy Castle PKIX validation for it. What neither skips is the
 * handshake itself: key shares, both CertificateVerify signatures and their verification.
 * On JDK 19 and later the library also restricts the signature schemes offered; both
 * variants negotiate {@code ecdsa_secp256r1_sha256} with these keys either way.
 *
 * <pre>
 * ./mvnw -B -q package -DskipTests -pl mtls-benchmarks -am
 * java -jar mtls-benchmarks/target/benchmarks.jar HandshakeBenchmark -f 2 -wi 5 -i 5 -w 2s -r 2s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class HandshakeBenchmark {
  private static final String HOST = "localhost";
  private static final int PORT = 8443;
  private static final char[] PASSWORD = "bench".toCharArray();
  private static final int MAX_ROUNDS = 100;
  private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

  /** Whose key and trust managers the contexts use: the JDK's or the library's. */
  @Param({"plain", "plainPkixKeys", "mtls"})
  public String managers;

  private Path directory;
  private X509Certificate serverCertificate;
  private X509Certificate clientCertificate;
  private MtlsContext mtlsServer;
  private MtlsContext mtlsClient;
  private Supplier<SSLEngine> serverEngines;
  private Supplier<SSLEngine> clientEngines;
  private Supplier<SSLContext> clientSslContext;
  private ByteBuffer clientToServer;
  private ByteBuffer serverToClient;
  private ByteBuffer clientApplication;
  private ByteBuffer serverApplication;

  /**
   * Issues the certificates, builds the contexts of the chosen variant, and checks that a
   * handshake authenticates both sides and that the next one is a full handshake again.
   */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    TestCa ca = TestCa.create();
    IssuedCertificate server = ca.server(HOST);
    IssuedCertificate client = ca.client("bench");
    serverCertificate = server.certificate();
    clientCertificate = client.certificate();
    switch (managers) {
      case "plain" -> setUpPlain(ca, server, client, "SunX509");
      case "plainPkixKeys" -> setUpPlain(ca, server, client, "PKIX");
      case "mtls" -> setUpMtls(server, client);
      default -> throw new IllegalArgumentException(
          "managers must be plain, plainPkixKeys or mtls: " + managers);
    }

    SSLSession sizes = clientEngines.get().getSession();
    int packet = sizes.getPacketBufferSize();
    int application = sizes.getApplicationBufferSize();
    clientToServer = ByteBuffer.allocate(2 * packet);
    serverToClient = ByteBuffer.allocate(2 * packet);
    clientApplication = ByteBuffer.allocate(application);
    serverApplication = ByteBuffer.allocate(application);

    Handshake first = handshakeOnce();
    checkAuthenticated(first);
    // A resumed session keeps the creation time of the session it resumes; a full handshake
    // a clock tick later makes a session with a later one.
    while (System.currentTimeMillis() <= first.server.getCreationTime()) {
      Thread.sleep(1);
    }
    Handshake second = handshakeOnce();
    checkAuthenticated(second);
    checkNotResumed(first, second);
    System.out.println("\n" + managers + ": " + second.server.getProtocol() + ", "
        + second.server.getCipherSuite() + ", client " + clientCertificate.getSubjectX500Principal()
        + " (" + clientCertificate.getSigAlgName() + "), server " + serverCertificate.getSubjectX500Principal());
  }

  private void setUpPlain(TestCa ca, IssuedCertificate server, IssuedCertificate client,
      String keyManagerAlgorithm) throws GeneralSecurityException {
    SSLContext serverContext = plainContext(keyManagerAlgorithm, server.keyStore(PASSWORD), ca.trustStore());
    SSLContext clientContext = plainContext(keyManagerAlgorithm, client.keyStore(PASSWORD), ca.trustStore());
    String[] protocols = {"TLSv1.3"};
    String[] suites = TlsPolicy.MODERN.cipherSuites().toArray(new String[0]);
    serverEngines = () -> {
      SSLEngine engine = serverContext.createSSLEngine();
      engine.setUseClientMode(false);
      SSLParameters parameters = new SSLParameters(suites, protocols);
      parameters.setUseCipherSuitesOrder(true);
      parameters.setNeedClientAuth(true);
      engine.setSSLParameters(parameters);
      return engine;
    };
    clientSslContext = () -> clientContext;
    clientEngines = () -> {
      SSLEngine engine = clientContext.createSSLEngine(HOST, PORT);
      engine.setUseClientMode(true);
      SSLParameters parameters = new SSLParameters(suites, protocols);
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      engine.setSSLParameters(parameters);
      return engine;
    };
  }

  private static SSLContext plainContext(String keyManagerAlgorithm, KeyStore identity, KeyStore trust)
      throws GeneralSecurityException {
    KeyManagerFactory keys = KeyManagerFactory.getInstance(keyManagerAlgorithm);
    keys.init(identity, PASSWORD);
    TrustManagerFactory trusted = TrustManagerFactory.getInstance("PKIX");
    trusted.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), trusted.getTrustManagers(), null);
    return context;
  }

  private void setUpMtls(IssuedCertificate server, IssuedCertificate client) throws IOException {
    directory = Files.createTempDirectory("mtls-handshake-bench");
    PemFiles serverFiles = server.writePem(directory.resolve("server"));
    PemFiles clientFiles = client.writePem(directory.resolve("client"));
    mtlsServer = MtlsContext.forServer()
        .identity(IdentitySource.pemFiles(serverFiles.chain(), serverFiles.privateKey()))
        .trust(TrustSource.pemFile(serverFiles.caCertificate()))
        .peerPolicy(PeerPolicy.anyTrustedPeer())
        .logging(false)
        .build();
    mtlsClient = MtlsContext.forClient()
        .identity(IdentitySource.pemFiles(clientFiles.chain(), clientFiles.privateKey()))
        .trust(TrustSource.pemFile(clientFiles.caCertificate()))
        .logging(false)
        .build();
    serverEngines = mtlsServer::newEngine;
    clientEngines = () -> mtlsClient.newEngine(HOST, PORT);
    clientSslContext = mtlsClient::sslContext;
  }

  /**
   * One full mutual handshake between two new engines.
   *
   * @return the server's session, so that the JIT cannot drop the work
   */
  @Benchmark
  public SSLSession handshake() throws SSLException {
    return handshakeOnce().server;
  }

  private Handshake handshakeOnce() throws SSLException {
    SSLEngine client = clientEngines.get();
    SSLEngine server = serverEngines.get();
    clientToServer.clear();
    serverToClient.clear();
    client.beginHandshake();
    server.beginHandshake();
    for (int round = 0; round < MAX_ROUNDS; round++) {
      wrap(client, clientToServer);
      wrap(server, serverToClient);
      unwrap(server, clientToServer, serverApplication);
      unwrap(client, serverToClient, clientApplication);
      if (client.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING
          && server.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING
          && clientToServer.position() == 0
          && serverToClient.position() == 0) {
        SSLSession clientSession = client.getSession();
        // The client keeps the session (with the server's ticket) for its host and port:
        // dropping it makes the next handshake a full one, in both variants alike.
        clientSession.invalidate();
        return new Handshake(clientSession, server.getSession());
      }
    }
    throw new IllegalStateException("no handshake after " + MAX_ROUNDS + " rounds: client "
        + client.getHandshakeStatus() + ", server " + server.getHandshakeStatus());
  }

  private static void wrap(SSLEngine engine, ByteBuffer out) throws SSLException {
    while (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
      SSLEngineResult result = engine.wrap(NOTHING, out);
      if (result.getStatus() != SSLEngineResult.Status.OK) {
        throw new IllegalStateException("wrap: " + result);
      }
      runTasks(engine);
    }
  }

  /** Unwraps every whole record waiting in {@code in}, handshake or post-handshake (a ticket). */
  private static void unwrap(SSLEngine engine, ByteBuffer in, ByteBuffer application) throws SSLException {
    in.flip();
    try {
      while (in.hasRemaining()) {
        application.clear();
        SSLEngineResult result = engine.unwrap(in, application);
        runTasks(engine);
        if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
          return;
        }
        if (result.getStatus() != SSLEngineResult.Status.OK) {
          throw new IllegalStateException("unwrap: " + result);
        }
        if (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
          return;
        }
      }
    } finally {
      in.compact();
    }
  }

  private static void runTasks(SSLEngine engine) {
    Runnable task;
    while ((task = engine.getDelegatedTask()) != null) {
      task.run();
    }
  }

  private void checkAuthenticated(Handshake handshake) throws SSLException {
    if (!"TLSv1.3".equals(handshake.server.getProtocol())) {
      throw new IllegalStateException(managers + ": negotiated " + handshake.server.getProtocol());
    }
    Certificate[] client = handshake.server.getPeerCertificates();
    if (!clientCertificate.equals(client[0])) {
      throw new IllegalStateException(managers + ": the server saw " + client[0] + " as the client");
    }
    Certificate[] server = handshake.client.getPeerCertificates();
    if (!serverCertificate.equals(server[0])) {
      throw new IllegalStateException(managers + ": the client saw " + server[0] + " as the server");
    }
  }

  private void checkNotResumed(Handshake first, Handshake second) {
    if (second.server.getCreationTime() <= first.server.getCreationTime()
        || second.client.getCreationTime() <= first.client.getCreationTime()) {
      throw new IllegalStateException(managers + ": the second handshake resumed the first's session"
          + " (created at " + first.server.getCreationTime() + ", again at "
          + second.server.getCreationTime() + ")");
    }
  }

  /**
   * Checks that the client kept no session it could have resumed, stops the contexts'
   * reloading and deletes the PEM files.
   */
  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    if (clientSslContext != null && clientSslContext.get().getClientSessionContext().getIds().hasMoreElements()) {
      throw new IllegalStateException(managers + ": the client's session cache is not empty:"
          + " some handshakes may have been resumed");
    }
    if (mtlsServer != null) {
      mtlsServer.close();
      mtlsClient.close();
    }
    if (directory != null) {
      try (Stream<Path> files = Files.walk(directory)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(file);
        }
      }
    }
  }

  private record Handshake(SSLSession client, SSLSession server) {}
}
