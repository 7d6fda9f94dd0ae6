package dev.mtls.core;

import dev.mtls.core.internal.tls.IdentityHolder;
import dev.mtls.core.internal.reload.Reloader;
import dev.mtls.core.internal.crl.RevocationChecker;
import dev.mtls.core.internal.validation.TrustHolder;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * A server or client side of mutual TLS: an {@link SSLContext} with its parameters, built
 * from an identity, trust anchors, a TLS policy and a peer policy, and the
 * {@link PeerVerifier} that judges peers by the same rules after the handshake.
 *
 * <pre>{@code
 * MtlsContext server = MtlsContext.forServer()
 *     .identity(IdentitySource.pemFiles(Path.of("/etc/tls/tls.crt"), Path.of("/etc/tls/tls.key")))
 *     .trust(TrustSource.pemFile(Path.of("/etc/tls/ca.crt")))
 *     .peerPolicy(PeerPolicy.builder().allowSpiffeIds("spiffe://prod.example/ns/*\/sa/orders").build())
 *     .build();
 * SSLEngine engine = server.newEngine();
 * }</pre>
 *
 * <p>Immutable and thread-safe. Its background work (reloads, CRL refreshes) runs on threads
 * that all contexts of the JVM share, and {@link #close()} stops it.
 */
public final class MtlsContext implements AutoCloseable {

  private final Role role;
  private final String description;
  private final JsseContext jsse;
  private final DefaultPeerVerifier verifier;
  private final RevocationChecker revocation;
  private final @Nullable IdentityHolder identity;
  private final TrustHolder trust;
  private final boolean peerPolicyInHandshake;
  private final boolean judgesPeers;
  private final Reloader reloader;
  private final AtomicBoolean closed = new AtomicBoolean();

  MtlsContext(ContextBuilder<?> builder, JsseContext jsse, DefaultPeerVerifier verifier,
      RevocationChecker revocation, @Nullable IdentityHolder identity, TrustHolder trust,
      Reloader.Builder reloader) {
    this.role = builder.role;
    this.description = "MtlsContext{" + role + ", " + builder.provider + ", " + builder.tlsPolicy
        + (role == Role.SERVER ? ", clientAuth " + builder.clientAuth
            : ", " + (builder.serverIdentity != null ? builder.serverIdentity : ServerIdentity.hostName())) + "}";
    this.jsse = jsse;
    this.verifier = verifier;
    this.revocation = revocation;
    this.identity = identity;
    this.trust = trust;
    this.peerPolicyInHandshake = builder.peerPolicyInHandshake;
    this.judgesPeers = builder.trustSource != null;
    this.reloader = reloader.sweepSessions(this::renewSessions).build();
  }

  /**
   * After trust anchors or revocation data changed: drops the sessions the change refuses
   * from the caches of the SSL context in use (for holders of {@link #sslContext()}), then
   * moves on to a fresh one, whose new ticket keys no earlier session can resume with.
   */
  synchronized void renewSessions() {
    SessionSweeper.sweep(jsse.sslContext(), verifier, peerPolicyInHandshake);
    jsse.renew();
  }

  /**
   * Starts a server context: it presents its identity and, by default, requires a client
   * certificate ({@link ClientAuth#REQUIRED}).
   *
   * @return a builder
   */
  public static ServerContextBuilder forServer() {
    return new ServerContextBuilder();
  }

  /**
   * Starts a client context: it presents its identity when the server asks, and checks the
   * server's certificate and who the server is ({@link ServerIdentity}, by default the host
   * name).
   *
   * @return a builder
   */
  public static ClientContextBuilder forClient() {
    return new ClientContextBuilder();
  }

  /**
   * Whether this is a server or a client context.
   *
   * @return the role
   */
  public Role role() {
    return role;
  }

  /**
   * The JSSE context, with the library's key and trust managers. Engines and sockets made
   * from it directly do not carry the library's parameters: prefer {@link #newEngine()},
   * {@link #socketFactory()} and {@link #serverSocketFactory()}, or apply
   * {@link #sslParameters()}.
   *
   * @return the SSL context
   */
  public SSLContext sslContext() {
    return jsse.sslContext();
  }

  /**
   * The parameters every engine and socket of this context gets: protocols, cipher suites,
   * client auth on a server. No endpoint identification on a client: its
   * {@link ServerIdentity} rule checks the server in the trust manager. A fresh copy on every
   * call.
   *
   * @return the parameters
   */
  public SSLParameters sslParameters() {
    return jsse.parameters();
  }

  /**
   * A new server-side engine with this context's parameters.
   *
   * @return the engine
   * @throws IllegalStateException on a client context, whose engines need the peer's host
   */
  public SSLEngine newEngine() {
    if (role != Role.SERVER) {
      throw new IllegalStateException("a client engine needs the server's host and port: use newEngine(host, port)");
    }
    return jsse.newServerEngine();
  }

  /**
   * A new client-side engine for a server, with this context's parameters; the server must
   * pass the context's {@link ServerIdentity} rule for {@code host} (by default: its
   * certificate names {@code host}), and {@code host} is sent as the server name (SNI) when it
   * is a DNS name.
   *
   * @param host the server's host name or IP literal
   * @param port the server's port
   * @return the engine
   * @throws IllegalStateException on a server context
   */
  public SSLEngine newEngine(String host, int port) {
    Objects.requireNonNull(host, "host");
    if (role != Role.CLIENT) {
      throw new IllegalStateException("a server engine has no peer host: use newEngine()");
    }
    return jsse.newClientEngine(host, port);
  }

  /**
   * A socket factory whose sockets carry this context's parameters. On a client context a
   * socket made for a host applies the context's {@link ServerIdentity} rule for that host.
   *
   * @return the factory
   */
  public SSLSocketFactory socketFactory() {
    return jsse.socketFactory();
  }

  /**
   * A server socket factory whose sockets carry this context's parameters, and accept every
   * connection with the SSL context in use at that moment.
   *
   * @return the factory
   */
  public SSLServerSocketFactory serverSocketFactory() {
    return jsse.serverSocketFactory();
  }

  /**
   * The verifier that judges peers by this context's trust, revocation and peer policy, for
   * adapters that check after the handshake.
   *
   * @return the verifier
   */
  public PeerVerifier verifier() {
    return verifier;
  }

  /**
   * The certificate chain this context presents now.
   *
   * @return the chain, leaf first; empty for a client without an identity
   */
  public List<X509Certificate> identityChain() {
    return identity == null ? List.of() : identity.current().chain();
  }

  /**
   * The trust anchors this context checks peers against now.
   *
   * @return the anchor certificates; empty for a server that asks for no client certificate
   */
  public List<X509Certificate> trustAnchors() {
    return judgesPeers ? trust.anchors() : List.of();
  }

  /** Reports expiring certificates now, and starts watching the files when the policy asks. */
  void startReloading(ReloadPolicy policy) {
    reloader.warnIfExpiring();
    if (policy.isEnabled()) {
      reloader.start(policy.interval(), policy.fileEvents());
    }
  }

  /**
   * Reloads, now, whatever changed in this context's files: identity, trust anchors, CRL
   * files. Each new material is checked before it is used; refused material leaves the old
   * in place. Works whatever the {@link ReloadPolicy}, for operators' "reload" commands.
   *
   * @return what happened to each material
   */
  public ReloadResult reloadNow() {
    return reloader.reloadNow();
  }

  /**
   * Stops this context's background work (polling, file watching, CRL refresh; a reload or
   * fetch in progress is interrupted and waited for, at most the CRL fetch timeout and a
   * second) and closes its CRL HTTP clients. Handshakes and connections already running go
   * on. Idempotent.
   *
   * <p>The background threads are shared by every context of the JVM: one scheduler with two
   * daemon threads named {@code mtls-background-N} and, for file events, one daemon thread
   * named {@code mtls-watch}. They start with the first context that needs them and end when
   * the last one is closed.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      reloader.close();
      revocation.close();
    }
  }

  @Override
  public String toString() {
    return description;
  }

  /** Which side of the handshake a context is. */
  public enum Role {
    /** Accepts connections; judges clients. */
    SERVER,
    /** Opens connections; judges servers. */
    CLIENT
  }
}
