package dev.mtls.tomcat;

import dev.mtls.core.MtlsContext;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;

/**
 * Mutual TLS on an embedded Tomcat 11 server, from a core server context: the connector's
 * engines come from the context's one long-lived {@code SSLContext}, so every rotation of
 * identity, trust or CRLs reaches the next connection without {@code reloadSslHostConfigs()}
 * or any other call to Tomcat.
 *
 * <pre>{@code
 * Tomcat tomcat = new Tomcat();
 * Connector connector = TomcatMtls.connector(context);
 * connector.setPort(8443);
 * tomcat.getService().addConnector(connector);
 * }</pre>
 *
 * <p>Tomcat's endpoint sets protocols, cipher suites and the client-auth mode from its {@code
 * SSLHostConfig} on every engine; the context's {@code SSLContext} keeps its {@link
 * dev.mtls.core.TlsPolicy} and client-auth mode on every engine whatever Tomcat sets. The host
 * configuration made here also asks for the same, so that what Tomcat reports is what is
 * served. Requests carry the client's chain and TLS session id as the Servlet attributes say,
 * which is what {@code dev.mtls.servlet.MtlsFilter} reads.
 *
 * <p>On the module path: {@code tomcat-embed-core} is one module that holds the servlet API
 * too, so libraries that need {@code jakarta.servlet} (this project's filter among them) need
 * {@code --add-reads} to it; embedded Tomcat is usually run on the class path.
 */
public final class TomcatMtls {
  /** Tomcat's JSSE implementation, by name: its package is not exported to modules. */
  private static final String JSSE_IMPLEMENTATION = "org.apache.tomcat.util.net.jsse.JSSEImplementation";

  private TomcatMtls() {}

  /**
   * A connector for HTTPS (HTTP/1.1, NIO) over the context's TLS: the host configuration of
   * {@link #sslHostConfig(MtlsContext)}, and a connection timeout of {@link
   * MtlsContext#handshakeTimeout()}, which bounds the handshake and the first request line
   * (the keep-alive timeout between requests stays Tomcat's). Set its port and add it to the
   * service.
   *
   * @param context a server context
   * @return a new connector
   * @throws IllegalArgumentException on a client context
   */
  public static Connector connector(MtlsContext context) {
    SSLHostConfig host = sslHostConfig(context);
    Connector connector = new Connector(Http11NioProtocol.class.getName());
    connector.setScheme("https");
    connector.setSecure(true);
    Http11NioProtocol protocol = (Http11NioProtocol) connector.getProtocolHandler();
    protocol.setSSLEnabled(true);
    // The JSSE implementation takes a given SSLContext as it is; Tomcat's OpenSSL one would not.
    protocol.setSslImplementationName(JSSE_IMPLEMENTATION);
    protocol.addSslHostConfig(host);
    int keepAlive = protocol.getKeepAliveTimeout();
    protocol.setKeepAliveTimeout(keepAlive);
    protocol.setConnectionTimeout(Math.toIntExact(context.handshakeTimeout().toMillis()));
    return connector;
  }

  /**
   * The default host's TLS configuration: one certificate entry whose {@code SSLContext} is
   * the context's, the context's protocols and cipher suites, and the certificate verification
   * of its client-auth mode ({@code required}, {@code optional} or {@code none}).
   *
   * @param context a server context
   * @return a new host configuration, for {@code addSslHostConfig}
   * @throws IllegalArgumentException on a client context
   */
  public static SSLHostConfig sslHostConfig(MtlsContext context) {
    Objects.requireNonNull(context, "context");
    if (context.role() != MtlsContext.Role.SERVER) {
      throw new IllegalArgumentException("a Tomcat connector needs a server context (MtlsContext.forServer()), not a "
          + context.role() + " one");
    }
    SSLHostConfig host = new SSLHostConfig();
    host.setProtocols(String.join(",", context.tlsPolicy().protocols()));
    // Tomcat takes TLS 1.3 suites (named without "_WITH_") and earlier ones in separate settings,
    // and warns about every suite given in the wrong one.
    List<String> suites = context.tlsPolicy().cipherSuites();
    String tls13 = suites.stream().filter(suite -> !suite.contains("_WITH_")).collect(Collectors.joining(":"));
    String tls12 = suites.stream().filter(suite -> suite.contains("_WITH_")).collect(Collectors.joining(":"));
    host.setCipherSuites(tls13);
    if (!tls12.isEmpty()) {
      host.setCiphers(tls12);
    }
    host.setCertificateVerification(switch (context.clientAuth()) {
      case REQUIRED -> "required";
      case OPTIONAL -> "optional";
      case NONE -> "none";
    });
    SSLHostConfigCertificate certificate = new SSLHostConfigCertificate(host, SSLHostConfigCertificate.Type.UNDEFINED);
    certificate.setSslContext(new HeldContext(context));
    host.addCertificate(certificate);
    return host;
  }
}
