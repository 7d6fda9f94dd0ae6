package dev.mtls.benchmarks;

import dev.mtls.core.IdentitySource;
import dev.mtls.core.MtlsContext;
import dev.mtls.core.PeerPolicy;
import dev.mtls.core.Revocation;
import dev.mtls.core.TlsPolicy;
import dev.mtls.core.TlsProvider;
import dev.mtls.core.TrustSource;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.PemFiles;
import dev.mtls.testkit.TestCa;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;
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
 * Full TLS 1.3 mutual handshakes per second with the library's contexts, against contexts
 * built by hand on the same provider: EC P-256 certificates from one test CA (server
 * {@code localhost}, client {@code bench} with a SPIFFE ID), a client engine and a server
 * engine driven in one thread over in-memory buffers, delegated tasks run inline. Every
 * operation makes two new engines and completes a full handshake with client authentication,
 * including the server's NewSessionTicket; the client's session is then invalidated so that
 * the next handshake cannot resume it ({@link #setUp} checks that it does not).
 *
 * <ul>
 *   <li>{@code context=baseline}: what a user writes by hand: {@code SSLContext}s over the
 *       provider's default key manager factory and its {@code PKIX} trust manager factory,
 *       from in-memory PKCS#12 key stores holding the test certificates; TLS 1.3 and the
 *       cipher suites of {@link TlsPolicy#MODERN}, client authentication required, endpoint
 *       identification {@code HTTPS} on the client. For {@code BOUNCY_CASTLE}: Bouncy Castle's
 *       JSSE provider over Bouncy Castle's crypto provider, its {@code PKIX} factories.
 *   <li>{@code context=mtls}: {@link MtlsContext}s on the same provider built from PEM files
 *       of the same certificates, {@link PeerPolicy#anyTrustedPeer()}, reload on (the
 *       default: file events and a poll every 10 seconds).
 *   <li>{@code context=mtlsPolicy}: the same with the whole policy: the server allows only
 *       the common names {@code orders} and {@code bench} or SPIFFE IDs under
 *       {@code spiffe://bench.example/}, and checks the client against a 100,000-entry CRL.
 * </ul>
 *
 * <p>Both sides see the same peer on every handshake, as a server does with a returning
 * client: SunJSSE's certificate factory cache hands back a certificate object that remembers
 * its verified signature, and the library remembers each validated chain, so neither pays
 * the chain's signature check again (NettyHandshakeBenchmark's {@code clients=2000} measures
 * distinct clients). What neither skips is the handshake itself: key shares, both
 * CertificateVerify signatures and their verification. Compare within one run: the ratio to
 * {@code baseline} of the same provider is the library's cost, and the ratio of
 * {@code BOUNCY_CASTLE} rows to {@code JDK/baseline} is what choosing the provider gains.
 *
 * <pre>
 * mtls-benchmarks/run HandshakeBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(1)
public class HandshakeBenchmark {
  private static final String HOST = "localhost";
  private static final int PORT = 8443;
  private static final char[] PASSWORD = "bench".toCharArray();
  private static final int CRL_ENTRIES = 100_000;
  /** Held so that its level stays set: BCJSSE logs INFO lines per handshake otherwise. */
  private static final Logger BC_JSSE_LOGGER = Logger.getLogger("org.bouncycastle.jsse");

  /** The JSSE implementation on both sides, as {@link TlsProvider} names it. */
  @Param({"JDK", "BOUNCY_CASTLE"})
  public String provider;

  /** Hand-built contexts, the library's with any trusted peer, or with the whole policy. */
  @Param({"baseline", "mtls", "mtlsPolicy"})
  public String context;

  private Path directory;
  private X509Certificate serverCertificate;
  private X509Certificate clientCertificate;
  private MtlsContext mtlsServer;
  private MtlsContext mtlsClient;
  private Supplier<SSLEngine> serverEngines;
  private Supplier<SSLEngine> clientEngines;
  private SSLContext clientSslContext;
  private final ByteBuffer clientToServer = ByteBuffer.allocate(1 << 17);
  private final ByteBuffer serverToClient = ByteBuffer.allocate(1 << 17);
  private final ByteBuffer application = ByteBuffer.allocate(1 << 17);

  /**
   * Issues the certificates, builds the contexts of the chosen variant, and checks that a
   * handshake authenticates both sides and that the next one is a full handshake again.
   */
  @Setup
  public void setUp() throws Exception {
    BC_JSSE_LOGGER.setLevel(Level.SEVERE);
    TlsProvider tls = TlsProvider.valueOf(provider);
    TestCa ca = TestCa.create();
    IssuedCertificate server = ca.server(HOST);
    IssuedCertificate client = ca.leaf("bench").clientAuth().spiffeId("spiffe://bench.example/bench").issue();
    serverCertificate = server.certificate();
    clientCertificate = client.certificate();
    switch (context) {
      case "baseline" -> setUpByHand(tls, ca, server, client);
      case "mtls" -> setUpMtls(tls, ca, server, client, false);
      case "mtlsPolicy" -> setUpMtls(tls, ca, server, client, true);
      default -> throw new IllegalArgumentException("context must be baseline, mtls or mtlsPolicy: " + context);
    }

    SSLSession first = handshakeOnce();
    checkAuthenticated(first);
    // A resumed session keeps the creation time of the session it resumes; a full handshake
    // a clock tick later makes a session with a later one.
    while (System.currentTimeMillis() <= first.getCreationTime()) {
      Thread.sleep(1);
    }
    SSLSession second = handshakeOnce();
    checkAuthenticated(second);
    if (second.getCreationTime() <= first.getCreationTime()) {
      throw new IllegalStateException(this + ": the second handshake resumed the first's session");
    }
    System.out.println("\n" + this + ": " + second.getProtocol() + ", " + second.getCipherSuite() + ", "
        + tls.description());
  }

  private void setUpByHand(TlsProvider tls, TestCa ca, IssuedCertificate server, IssuedCertificate client)
      throws GeneralSecurityException {
    Provider jsse = tls == TlsProvider.BOUNCY_CASTLE
        ? new BouncyCastleJsseProvider(new BouncyCastleProvider()) : null;
    SSLContext serverContext = HandBuilt.sslContext(jsse, server.keyStore(PASSWORD), PASSWORD, ca.trustStore());
    SSLContext clientContext = HandBuilt.sslContext(jsse, client.keyStore(PASSWORD), PASSWORD, ca.trustStore());
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
    clientSslContext = clientContext;
    clientEngines = () -> {
      SSLEngine engine = clientContext.createSSLEngine(HOST, PORT);
      engine.setUseClientMode(true);
      SSLParameters parameters = new SSLParameters(suites, protocols);
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      engine.setSSLParameters(parameters);
      return engine;
    };
  }

  private void setUpMtls(TlsProvider tls, TestCa ca, IssuedCertificate server, IssuedCertificate client,
      boolean wholePolicy) throws IOException, GeneralSecurityException {
    directory = Files.createTempDirectory("mtls-handshake-bench");
    PemFiles serverFiles = server.writePem(directory.resolve("server"));
    PemFiles clientFiles = client.writePem(directory.resolve("client"));
    var serverBuilder = MtlsContext.forServer()
        .identity(IdentitySource.pemFiles(serverFiles.chain(), serverFiles.privateKey()))
        .trust(TrustSource.pemFile(serverFiles.caCertificate()))
        .provider(tls)
        .logging(false);
    if (wholePolicy) {
      Path crl = directory.resolve("ca.crl");
      Files.write(crl, ca.crlBuilder().addSyntheticRevocations(CRL_ENTRIES).build().getEncoded());
      serverBuilder.peerPolicy(PeerPolicy.builder().allowCommonNames("orders", "bench")
              .allowSpiffeIds("spiffe://bench.example/*").build())
          .revocation(Revocation.crls().file(crl).build());
    } else {
      serverBuilder.peerPolicy(PeerPolicy.anyTrustedPeer());
    }
    mtlsServer = serverBuilder.build();
    mtlsClient = MtlsContext.forClient()
        .identity(IdentitySource.pemFiles(clientFiles.chain(), clientFiles.privateKey()))
        .trust(TrustSource.pemFile(clientFiles.caCertificate()))
        .provider(tls)
        .logging(false)
        .build();
    serverEngines = mtlsServer::newEngine;
    clientEngines = () -> mtlsClient.newEngine(HOST, PORT);
    clientSslContext = mtlsClient.sslContext();
  }

  /**
   * One full mutual handshake between two new engines.
   *
   * @return the server's session, so that the JIT cannot drop the work
   */
  @Benchmark
  public SSLSession handshake() throws SSLException {
    return handshakeOnce();
  }

  private SSLSession handshakeOnce() throws SSLException {
    SSLEngine client = clientEngines.get();
    SSLSession server = EnginePair.handshake(client, serverEngines.get(), clientToServer, serverToClient,
        application);
    // The client keeps the session (with the server's ticket) for its host and port: dropping
    // it makes the next handshake a full one, in every variant alike.
    client.getSession().invalidate();
    return server;
  }

  private void checkAuthenticated(SSLSession server) throws SSLException {
    if (!"TLSv1.3".equals(server.getProtocol())) {
      throw new IllegalStateException(this + ": negotiated " + server.getProtocol());
    }
    Certificate[] client = server.getPeerCertificates();
    if (!clientCertificate.equals(client[0])) {
      throw new IllegalStateException(this + ": the server saw " + client[0] + " as the client");
    }
    if (!serverCertificate.equals(server.getLocalCertificates()[0])) {
      throw new IllegalStateException(this + ": the server presented " + server.getLocalCertificates()[0]);
    }
  }

  /**
   * Checks that the client kept no session it could have resumed, stops the contexts'
   * reloading and deletes the PEM files.
   */
  @TearDown
  public void tearDown() throws IOException {
    if (clientSslContext.getClientSessionContext().getIds().hasMoreElements()) {
      throw new IllegalStateException(this + ": the client's session cache is not empty:"
          + " some handshakes may have been resumed");
    }
    if (mtlsServer != null) {
      mtlsServer.close();
      mtlsClient.close();
    }
    if (directory != null) {
      HandBuilt.deleteTree(directory);
    }
  }

  @Override
  public String toString() {
    return provider + "/" + context;
  }
}
