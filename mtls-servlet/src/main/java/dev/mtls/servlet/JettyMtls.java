package dev.mtls.servlet;

import dev.mtls.core.ClientAuth;
import dev.mtls.core.MtlsContext;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.io.ssl.SslHandshakeListener;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Mutual TLS on an embedded Jetty 12 server, from a core server context: the connector serves
 * the context's one long-lived {@code SSLContext}, so every rotation of identity, trust or
 * CRLs reaches the next connection without any reload call to Jetty.
 *
 * <pre>{@code
 * Server server = new Server();
 * ServerConnector connector = JettyMtls.connector(server, context);
 * connector.setPort(8443);
 * server.addConnector(connector);
 * }</pre>
 *
 * <p>Jetty's {@code SslContextFactory} chooses protocols and cipher suites from its own
 * defaults (which include TLS 1.2) and sets client-auth flags on every engine; the context's
 * {@code SSLContext} narrows them on every engine to its {@link dev.mtls.core.TlsPolicy} and
 * client-auth mode whatever Jetty asks for. These helpers also configure Jetty to ask for the
 * same, so that what Jetty reports (its dump, its logs) is what is served.
 *
 * <p>HTTP/1.1 only: Jetty negotiates HTTP/2 (ALPN) only with its own engines (see {@link
 * MtlsContext#sslContext()}). Jetty's SNI host check is off: it needs Jetty's own key manager,
 * and the context serves its one identity whatever host the client names.
 */
public final class JettyMtls {
  private JettyMtls() {}

  /**
   * An {@code SslContextFactory.Server} that hands Jetty the context's {@code SSLContext}, with
   * the context's protocols, cipher suites and client-auth mode.
   *
   * @param context a server context
   * @return a new factory, not started
   * @throws IllegalArgumentException on a client context
   */
  public static SslContextFactory.Server sslContextFactory(MtlsContext context) {
    requireServer(context);
    SslContextFactory.Server factory = new SslContextFactory.Server();
    factory.setSslContext(context.sslContext());
    factory.setIncludeProtocols(context.tlsPolicy().protocols().toArray(new String[0]));
    factory.setIncludeCipherSuites(context.tlsPolicy().cipherSuites().toArray(new String[0]));
    // Jetty keeps TLS 1.2-era exclusions of its own; the policy is the whole list.
    factory.setExcludeProtocols();
    factory.setExcludeCipherSuites();
    factory.setNeedClientAuth(context.clientAuth() == ClientAuth.REQUIRED);
    factory.setWantClientAuth(context.clientAuth() == ClientAuth.OPTIONAL);
    factory.setRenegotiationAllowed(false);
    return factory;
  }

  /**
   * A connector for HTTPS (HTTP/1.1 over the context's TLS) on the server: handshakes bounded
   * by {@link MtlsContext#handshakeTimeout()}, requests carrying the TLS session under {@link
   * MtlsFilter#SSL_SESSION_ATTRIBUTE} and the client certificate as the Servlet attributes say.
   * Set its port and add it to the server.
   *
   * @param server the server the connector belongs to
   * @param context a server context
   * @return a new connector, not added to the server
   * @throws IllegalArgumentException on a client context
   */
  public static ServerConnector connector(Server server, MtlsContext context) {
    Objects.requireNonNull(server, "server");
    requireServer(context);
    HttpConfiguration http = new HttpConfiguration();
    http.setSecureScheme("https");
    SecureRequestCustomizer secure = new SecureRequestCustomizer(false);
    secure.setSniRequired(false);
    http.addCustomizer(secure);
    http.addCustomizer(JettyMtls::exposeSession);
    SslConnectionFactory tls = new BoundedHandshakes(sslContextFactory(context), context.handshakeTimeout());
    return new ServerConnector(server, tls, new HttpConnectionFactory(http));
  }

  private static Request exposeSession(Request request, org.eclipse.jetty.http.HttpFields.Mutable headers) {
    if (request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE) instanceof EndPoint.SslSessionData data) {
      SSLSession session = data.sslSession();
      if (session != null) {
        request.setAttribute(MtlsFilter.SSL_SESSION_ATTRIBUTE, session);
      }
    }
    return request;
  }

  private static void requireServer(MtlsContext context) {
    Objects.requireNonNull(context, "context");
    if (context.role() != MtlsContext.Role.SERVER) {
      throw new IllegalArgumentException("a Jetty connector needs a server context (MtlsContext.forServer()), not a "
          + context.role() + " one");
    }
  }

  /**
   * TLS connections whose handshake must end within a time: Jetty bounds a handshake only by
   * the connector's idle timeout, which a trickling client resets with every byte.
   */
  private static final class BoundedHandshakes extends SslConnectionFactory {
    private final Duration timeout;

    BoundedHandshakes(SslContextFactory.Server factory, Duration timeout) {
      super(factory, "http/1.1");
      this.timeout = timeout;
    }

    @Override
    protected SslConnection newSslConnection(org.eclipse.jetty.server.Connector connector, EndPoint endPoint,
        SSLEngine engine) {
      SslConnection connection = super.newSslConnection(connector, endPoint, engine);
      AtomicBoolean done = new AtomicBoolean();
      Scheduler.Task deadline = connector.getScheduler().schedule(() -> {
        if (done.compareAndSet(false, true)) {
          endPoint.close(new TimeoutException("TLS handshake not completed within " + timeout));
        }
      }, timeout);
      connection.addHandshakeListener(new SslHandshakeListener() {
        @Override
        public void handshakeSucceeded(Event event) {
          finished();
        }

        @Override
        public void handshakeFailed(Event event, Throwable failure) {
          finished();
        }

        private void finished() {
          if (done.compareAndSet(false, true)) {
            deadline.cancel();
          }
        }
      });
      connection.addEventListener(new Connection.Listener() {
        @Override
        public void onClosed(Connection closed) {
          if (done.compareAndSet(false, true)) {
            deadline.cancel();
          }
        }
      });
      return connection;
    }
  }
}
