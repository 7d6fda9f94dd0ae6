package dev.mtls.core.internal.tls;

import java.security.KeyManagementException;
import java.security.Provider;
import java.security.SecureRandom;
import java.util.function.Supplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import org.jspecify.annotations.Nullable;

/**
 * The one {@link SSLContext} a context hands out for its whole life. Its engines, sockets
 * and session caches come from the inner context in use at that moment (renewed after
 * every identity, trust or revocation change), and keep the context's {@link TlsRules}; its
 * default and supported parameters are the policy's, so a container that takes only an
 * {@code SSLContext} gets the context's protocols, suites and client auth.
 *
 * <p>Its provider is the library's own, {@code "mtls"} (never installed JVM-wide), so that
 * frameworks that special-case the JDK's provider (Netty's {@code JdkSslContext} ignores a
 * context's parameters then) read this one's.
 */
public final class MtlsSslContext extends SSLContext {
  private static final Provider PROVIDER = new MtlsProvider();

  private MtlsSslContext(SSLContextSpi spi) {
    super(spi, PROVIDER, "TLS");
  }

  /**
   * Creates the long-lived context.
   *
   * @param current the inner context in use now
   * @param rules what every engine and socket keeps
   * @param sockets the context's socket factory
   * @param serverSockets the context's server socket factory
   * @param serverSessions the forwarding server session cache
   * @param clientSessions the forwarding client session cache
   * @return the context
   */
  public static SSLContext create(Supplier<SSLContext> current, TlsRules rules, SSLSocketFactory sockets,
      SSLServerSocketFactory serverSockets, SSLSessionContext serverSessions, SSLSessionContext clientSessions) {
    return new MtlsSslContext(new Spi(current, rules, sockets, serverSockets, serverSessions, clientSessions));
  }

  private static final class Spi extends SSLContextSpi {
    private final Supplier<SSLContext> current;
    private final TlsRules rules;
    private final SSLSocketFactory sockets;
    private final SSLServerSocketFactory serverSockets;
    private final SSLSessionContext serverSessions;
    private final SSLSessionContext clientSessions;

    Spi(Supplier<SSLContext> current, TlsRules rules, SSLSocketFactory sockets, SSLServerSocketFactory serverSockets,
        SSLSessionContext serverSessions, SSLSessionContext clientSessions) {
      this.current = current;
      this.rules = rules;
      this.sockets = sockets;
      this.serverSockets = serverSockets;
      this.serverSessions = serverSessions;
      this.clientSessions = clientSessions;
    }

    @Override
    protected void engineInit(KeyManager @Nullable [] km, TrustManager @Nullable [] tm, @Nullable SecureRandom sr)
        throws KeyManagementException {
      throw new KeyManagementException("an mtls context's SSLContext comes initialised with the context's"
          + " identity and trust, and cannot be initialised again; build another MtlsContext instead");
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      return sockets;
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      if (rules.clientMode()) {
        throw new IllegalStateException("this is an mtls client context: it accepts no connections;"
            + " build a server context with MtlsContext.forServer()");
      }
      return serverSockets;
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      return new PolicyEngine(current.get().createSSLEngine(), rules);
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      return new PolicyEngine(current.get().createSSLEngine(host, port), rules);
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      return serverSessions;
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      return clientSessions;
    }

    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
      return rules.defaults();
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
      return rules.defaults();
    }
  }

  /** The library's provider: named, empty, and never installed in the JVM's list. */
  private static final class MtlsProvider extends Provider {
    private static final long serialVersionUID = 1L;

    MtlsProvider() {
      super("mtls", "1.0", "mtls: the forwarding SSLContext of an MtlsContext (not a registered provider)");
    }
  }
}
