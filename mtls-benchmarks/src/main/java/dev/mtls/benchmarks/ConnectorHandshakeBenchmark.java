package dev.mtls.benchmarks;

import dev.mtls.core.IdentitySource;
import dev.mtls.core.MtlsContext;
import dev.mtls.core.PeerPolicy;
import dev.mtls.core.TlsPolicy;
import dev.mtls.core.TrustSource;
import dev.mtls.servlet.JettyMtls;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import dev.mtls.tomcat.TomcatMtls;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
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
 * Connections per second to an embedded Jetty 12 or Tomcat 11 over loopback: one new TCP
 * connection per operation, a full TLS 1.3 mutual handshake (EC P-256) from a plain JSSE
 * client whose session is dropped after each connection, one HTTP/1.1 request
 * ({@code Connection: close}) answered by the container (404: no application), and the close.
 * The request is there so that the client waits for the server to have judged its
 * certificate (in TLS 1.3 the client's handshake ends before the server has read it).
 *
 * <ul>
 *   <li>{@code context=baseline}: the container configured by hand, as its documentation
 *       shows: Jetty's {@code SslContextFactory.Server} over a hand-built SunJSSE
 *       {@code SSLContext} (default key manager, PKIX trust manager, client auth needed, TLS
 *       1.3); Tomcat's {@code SSLHostConfig} with the same key store and trust store
 *       (Tomcat builds the JSSE context), certificate verification required, TLS 1.3.
 *   <li>{@code context=mtls}: {@link JettyMtls#connector} or {@link TomcatMtls#connector} over
 *       a library server context of the same certificates (JDK provider, any trusted peer).
 * </ul>
 * Client and server share the machine's cores: compare the two within one run.
 *
 * <pre>
 * mtls-benchmarks/run ConnectorHandshakeBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(1)
public class ConnectorHandshakeBenchmark {
  private static final char[] PASSWORD = "bench".toCharArray();
  private static final byte[] REQUEST = "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
      .getBytes(StandardCharsets.US_ASCII);
  private static final int MAX_RESPONSE = 64 * 1024;
  /** {@code HTTP/1.1 404}: as much of the response as is read for its status. */
  private static final int STATUS_LINE = 12;
  private static final int TIMEOUT_MILLIS = 10_000;
  /** Held so that their levels stay set: Tomcat logs its start and stop at INFO. */
  private static final List<Logger> CONTAINER_LOGGERS = List.of(Logger.getLogger("org.apache.catalina"),
      Logger.getLogger("org.apache.coyote"), Logger.getLogger("org.apache.tomcat"));

  /** The container. */
  @Param({"jetty", "tomcat"})
  public String container;

  /** The container's TLS set up by hand, or by the library's connector. */
  @Param({"baseline", "mtls"})
  public String context;

  private MtlsContext mtls;
  private Server jetty;
  private Tomcat tomcat;
  private Path tomcatBase;
  private int port;
  private SSLContext client;
  private final byte[] response = new byte[8192];

  /** Starts the container on a free loopback port and checks that one request gets an answer. */
  @Setup
  public void setUp() throws Exception {
    CONTAINER_LOGGERS.forEach(logger -> logger.setLevel(Level.SEVERE));
    TestCa ca = TestCa.create();
    IssuedCertificate server = ca.server("localhost");
    IssuedCertificate clientIdentity = ca.client("bench");
    client = HandBuilt.sslContext(null, clientIdentity.keyStore(PASSWORD), PASSWORD, ca.trustStore());
    if (context.equals("mtls")) {
      mtls = MtlsContext.forServer()
          .identity(IdentitySource.of(server.privateKey(), server.chain()))
          .trust(TrustSource.of(List.of(ca.certificate())))
          .peerPolicy(PeerPolicy.anyTrustedPeer())
          .logging(false)
          .build();
    } else if (!context.equals("baseline")) {
      throw new IllegalArgumentException("context must be baseline or mtls: " + context);
    }
    switch (container) {
      case "jetty" -> startJetty(server, ca);
      case "tomcat" -> startTomcat(server, ca);
      default -> throw new IllegalArgumentException("container must be jetty or tomcat: " + container);
    }
    int status = connect();
    if (status != 404) {
      throw new IllegalStateException(this + ": the first request got " + status + ", not 404");
    }
  }

  private void startJetty(IssuedCertificate identity, TestCa ca) throws Exception {
    jetty = new Server();
    ServerConnector connector;
    if (mtls != null) {
      connector = JettyMtls.connector(jetty, mtls);
    } else {
      SslContextFactory.Server tls = new SslContextFactory.Server();
      tls.setSslContext(HandBuilt.sslContext(null, identity.keyStore(PASSWORD), PASSWORD, ca.trustStore()));
      tls.setNeedClientAuth(true);
      tls.setIncludeProtocols("TLSv1.3");
      connector = new ServerConnector(jetty, tls);
    }
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    jetty.addConnector(connector);
    jetty.start();
    port = connector.getLocalPort();
  }

  private void startTomcat(IssuedCertificate identity, TestCa ca) throws Exception {
    tomcatBase = Files.createTempDirectory("mtls-tomcat-bench");
    tomcat = new Tomcat();
    tomcat.setBaseDir(tomcatBase.toString());
    Connector connector;
    if (mtls != null) {
      connector = TomcatMtls.connector(mtls);
    } else {
      connector = new Connector("org.apache.coyote.http11.Http11NioProtocol");
      connector.setScheme("https");
      connector.setSecure(true);
      connector.setProperty("SSLEnabled", "true");
      SSLHostConfig host = new SSLHostConfig();
      host.setProtocols("TLSv1.3");
      host.setCertificateVerification("required");
      host.setTrustStore(ca.trustStore());
      SSLHostConfigCertificate certificate = new SSLHostConfigCertificate(host, SSLHostConfigCertificate.Type.EC);
      certificate.setCertificateKeystore(identity.keyStore(PASSWORD));
      certificate.setCertificateKeystorePassword(new String(PASSWORD));
      certificate.setCertificateKeyAlias("identity");
      host.addCertificate(certificate);
      connector.addSslHostConfig(host);
    }
    connector.setProperty("address", "127.0.0.1");
    connector.setPort(0);
    tomcat.getService().addConnector(connector);
    tomcat.setConnector(connector);
    tomcat.addContext("", null);
    tomcat.start();
    port = connector.getLocalPort();
  }

  /**
   * One connection: handshake, request, response, close.
   *
   * @return the response's HTTP status
   */
  @Benchmark
  public int connection() throws IOException {
    return connect();
  }

  private int connect() throws IOException {
    try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(),
        port)) {
      socket.setSoTimeout(TIMEOUT_MILLIS);
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setProtocols(new String[] {"TLSv1.3"});
      parameters.setCipherSuites(TlsPolicy.MODERN.cipherSuites().toArray(new String[0]));
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      socket.setSSLParameters(parameters);
      socket.startHandshake();
      OutputStream out = socket.getOutputStream();
      out.write(REQUEST);
      out.flush();
      InputStream in = socket.getInputStream();
      int length = 0;
      int read = 0;
      while (length < STATUS_LINE && (read = in.read(response, length, response.length - length)) > 0) {
        length += read;
      }
      // The rest of the response, up to the server's close (bounded).
      for (long total = length; read > 0 && total < MAX_RESPONSE; total += read) {
        read = in.read(response);
      }
      socket.getSession().invalidate();
      String head = new String(response, 0, Math.min(length, STATUS_LINE), StandardCharsets.US_ASCII);
      if (length < STATUS_LINE || !head.startsWith("HTTP/1.1 ")) {
        throw new IOException(this + ": not an HTTP response: " + head);
      }
      return Integer.parseInt(head.substring(9, 12));
    }
  }

  /** Stops the container (deleting Tomcat's base directory) and closes the context. */
  @TearDown
  public void tearDown() throws Exception {
    if (jetty != null) {
      jetty.stop();
    }
    if (tomcat != null) {
      tomcat.stop();
      tomcat.destroy();
      HandBuilt.deleteTree(tomcatBase);
    }
    if (mtls != null) {
      mtls.close();
    }
  }

  @Override
  public String toString() {
    return container + "/" + context;
  }
}
