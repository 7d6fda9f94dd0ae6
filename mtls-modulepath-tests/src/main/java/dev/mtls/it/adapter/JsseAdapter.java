package dev.mtls.it.adapter;

import dev.mtls.core.ClientAuth;
import dev.mtls.core.ContextChange;
import dev.mtls.core.MtlsContext;
import dev.mtls.core.Subscription;
import dev.mtls.core.Verdict;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

/**
 * A TLS stack of the adapter's own, a plain SunJSSE {@link SSLContext}, set up from an
 * {@link MtlsContext} the way an adapter sets up Netty's {@code SslContextBuilder}: the
 * context's {@link MtlsContext#keyManager() key manager} and
 * {@link MtlsContext#trustManager() trust manager}, its {@link MtlsContext#tlsPolicy() policy}'s
 * protocols and cipher suites and, on a server, its {@link MtlsContext#clientAuth() client-auth
 * mode}.
 *
 * <p>The session caches and ticket keys are this adapter's, not the context's: SunJSSE resumes
 * a session without asking the trust manager. So the adapter subscribes to the context's
 * changes and, at every {@link ContextChange#SESSIONS_RENEWED}, moves on to a fresh
 * {@code SSLContext}: after a trust or revocation change no peer the change refuses resumes a
 * session, and after an identity change a client presents its new certificate at its next
 * connection. {@link #close()} ends the subscription.
 *
 * <pre>{@code
 * try (JsseAdapter tls = JsseAdapter.of(serverContext)) {
 *   SSLSocket connection = tls.accept(serverSocket.accept());
 *   Verdict verdict = tls.verify(connection.getSession());
 * }
 * }</pre>
 */
public final class JsseAdapter implements AutoCloseable {
  /** The JDK's own JSSE, asked for by name: not whichever provider the application put first. */
  private static final String PROVIDER = "SunJSSE";
  private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

  private final MtlsContext context;
  private final SSLParameters parameters;
  private final AtomicReference<SSLContext> current;
  private final AtomicInteger renewals = new AtomicInteger();
  private final Subscription changes;

  private JsseAdapter(MtlsContext context) {
    this.context = context;
    this.parameters = parameters(context);
    this.current = new AtomicReference<>(newSslContext(context));
    this.changes = context.onChange(this::changed);
  }

  /**
   * Sets up SunJSSE from a context, and follows the context's changes until {@link #close()}.
   *
   * @param context the server or client context
   * @return the adapter
   * @throws IllegalStateException when SunJSSE cannot be set up with the context's managers
   */
  public static JsseAdapter of(MtlsContext context) {
    Objects.requireNonNull(context, "context");
    return new JsseAdapter(context);
  }

  /**
   * Takes a connection accepted on a plain server socket through the TLS handshake, as the
   * server, with the sessions in use now. The handshake is bounded by a read timeout of 10
   * seconds, which stays set on the socket.
   *
   * @param connection the accepted connection; closed with the returned socket
   * @return the TLS socket, its handshake done
   * @throws IOException when the handshake fails (a refused client's does) or times out
   * @throws IllegalStateException on a client context's adapter
   */
  public SSLSocket accept(Socket connection) throws IOException {
    Objects.requireNonNull(connection, "connection");
    if (context.role() != MtlsContext.Role.SERVER) {
      throw new IllegalStateException("accept(..) needs a server context, not " + context);
    }
    SSLSocket tls = (SSLSocket) current.get().getSocketFactory().createSocket(connection, null, true);
    return handshake(tls, parameters);
  }

  /**
   * Connects to a server and takes the connection through the TLS handshake, as the client,
   * with the sessions in use now. The server must pass the client context's server identity
   * rule for {@code host}, which is also sent as the server name (SNI) when it is a DNS
   * name. Connecting and the handshake are each bounded by 10 seconds; the read timeout
   * stays set on the socket.
   *
   * @param host the server's host name or IP literal
   * @param port the server's port
   * @return the TLS socket, its handshake done
   * @throws IOException when the connection or the handshake fails (a refused server's does)
   * @throws IllegalStateException on a server context's adapter
   */
  public SSLSocket connect(String host, int port) throws IOException {
    Objects.requireNonNull(host, "host");
    if (context.role() != MtlsContext.Role.CLIENT) {
      throw new IllegalStateException("connect(..) needs a client context, not " + context);
    }
    Socket plain = new Socket();
    try {
      plain.connect(new InetSocketAddress(host, port), (int) HANDSHAKE_TIMEOUT.toMillis());
      SSLSocket tls = (SSLSocket) current.get().getSocketFactory().createSocket(plain, host, port, true);
      // The socket's own parameters carry the server name (SNI) derived from the host.
      SSLParameters mine = tls.getSSLParameters();
      mine.setProtocols(parameters.getProtocols());
      mine.setCipherSuites(parameters.getCipherSuites());
      return handshake(tls, mine);
    } catch (IOException | RuntimeException e) {
      plain.close();
      throw e;
    }
  }

  /**
   * Judges the peer of a finished handshake again, by the context's verifier: for an
   * application that wants the verdict (and the peer's identity) after the handshake.
   *
   * @param session the session of a finished handshake
   * @return the verdict
   */
  public Verdict verify(SSLSession session) {
    return context.verifier().verify(session);
  }

  /**
   * The SunJSSE context in use now; a fresh one after every renewal of the context's sessions.
   *
   * @return the SSL context
   */
  public SSLContext sslContext() {
    return current.get();
  }

  /**
   * How many times this adapter moved on to a fresh SunJSSE context.
   *
   * @return the number of renewals since the adapter was made
   */
  public int renewals() {
    return renewals.get();
  }

  /**
   * Stops following the context's changes. Connections go on, and new ones get the sessions
   * of the moment, which no later change renews. Idempotent.
   */
  @Override
  public void close() {
    changes.close();
  }

  @Override
  public String toString() {
    return "JsseAdapter{" + context + ", " + renewals.get() + " renewals}";
  }

  private void changed(ContextChange change) {
    if (change == ContextChange.SESSIONS_RENEWED) {
      current.set(newSslContext(context));
      renewals.incrementAndGet();
    }
  }

  private static SSLSocket handshake(SSLSocket tls, SSLParameters settings) throws IOException {
    try {
      tls.setSSLParameters(settings);
      tls.setSoTimeout((int) HANDSHAKE_TIMEOUT.toMillis());
      tls.startHandshake();
      return tls;
    } catch (IOException | RuntimeException e) {
      tls.close();
      throw e;
    }
  }

  private static SSLContext newSslContext(MtlsContext context) {
    try {
      SSLContext tls = SSLContext.getInstance("TLS", PROVIDER);
      tls.init(new KeyManager[] {context.keyManager()}, new TrustManager[] {context.trustManager()}, null);
      return tls;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up " + PROVIDER + " for " + context + ": " + e.getMessage(), e);
    }
  }

  private static SSLParameters parameters(MtlsContext context) {
    SSLParameters settings = new SSLParameters(
        context.tlsPolicy().cipherSuites().toArray(new String[0]),
        context.tlsPolicy().protocols().toArray(new String[0]));
    if (context.role() == MtlsContext.Role.SERVER) {
      ClientAuth clientAuth = context.clientAuth();
      if (clientAuth == ClientAuth.REQUIRED) {
        settings.setNeedClientAuth(true);
      } else if (clientAuth == ClientAuth.OPTIONAL) {
        settings.setWantClientAuth(true);
      }
      settings.setUseCipherSuitesOrder(true);
    }
    return settings;
  }
}
