package dev.mtls.core;

import dev.mtls.core.internal.tls.IdentityHolder;
import dev.mtls.core.internal.reload.Reloader;
import dev.mtls.core.internal.crl.RevocationChecker;
import dev.mtls.core.internal.validation.TrustHolder;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.jspecify.annotations.Nullable;

/**
 * A server or client side of mutual TLS: one {@link SSLContext} for the context's whole
 * life, built from an identity, trust anchors, a TLS policy and a peer policy, and the
 * {@link PeerVerifier} that judges peers by the same rules after the handshake.
 *
 * <pre>{@code
 * MtlsContext server = MtlsContext.forServer()
 *     .identity(IdentitySource.pemFiles(Path.of("/etc/tls/tls.crt"), Path.of("/etc/tls/tls.key")))
 *     .trust(TrustSource.pemFile(Path.of("/etc/tls/ca.crt")))
 *     .peerPolicy(PeerPolicy.builder().allowSpiffeIds("spiffe://prod.example/ns/*\/sa/orders").build())
 *     .build();
 * HttpsServer https = HttpsServer.create(new InetSocketAddress(8443), 0);
 * https.setHttpsConfigurator(new HttpsConfigurator(server.sslContext()));
 * }</pre>
 *
 * <p>Whatever takes the context's {@link #sslContext()}, {@link #newEngine()} or socket
 * factories follows every change: after the identity, the trust anchors or the revocation
 * data change, the context moves on to fresh session caches and ticket keys, so no peer the
 * change refuses can resume a session, and a client presents its new certificate at its
 * next connection. Adapters that need the managers themselves (Netty's OpenSSL provider)
 * take {@link #keyManager()} and {@link #trustManager()} and subscribe with
 * {@link #onChange(Consumer)}.
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
  private final TlsPolicy tlsPolicy;
  private final ClientAuth clientAuth;
  private final Duration clockSkew;
  private final X509ExtendedKeyManager keyManager;
  private final X509ExtendedTrustManager trustManager;
  private final boolean judgesPeers;
  private final ChangeSubscribers subscribers;
  private final Reloader reloader;
  private final CompositeListener listeners;
  private final Clock clock;
  private final Duration expiryWarning;
  private final AtomicBoolean closed = new AtomicBoolean();

  MtlsContext(ContextBuilder<?> builder, JsseContext jsse, DefaultPeerVerifier verifier,
      RevocationChecker revocation, @Nullable IdentityHolder identity, TrustHolder trust,
      X509ExtendedKeyManager keyManager, X509ExtendedTrustManager trustManager, Reloader.Builder reloader,
      CompositeListener listeners, Clock clock, Duration expiryWarning) {
    this.role = builder.role;
    this.description = "MtlsContext{" + role + ", " + builder.provider + ", " + builder.tlsPolicy
        + (role == Role.SERVER ? ", clientAuth " + builder.clientAuth
            : ", " + (builder.serverIdentity != null ? builder.serverIdentity : ServerIdentity.hostName())) + "}";
    this.jsse = jsse;
    this.verifier = verifier;
    this.revocation = revocation;
    this.identity = identity;
    this.trust = trust;
    this.tlsPolicy = builder.tlsPolicy;
    this.clientAuth = builder.clientAuth;
    this.clockSkew = builder.clockSkew;
    this.keyManager = keyManager;
    this.trustManager = trustManager;
    this.judgesPeers = builder.trustSource != null;
    this.subscribers = new ChangeSubscribers(description);
    this.reloader = reloader.afterChange(this::changed).build();
    this.listeners = listeners;
    this.clock = clock;
    this.expiryWarning = expiryWarning;
  }

  /**
   * After the identity, the trust anchors or the revocation data changed (on the reload
   * thread, the CRL refresh thread, or the thread that noticed a CRL turn stale): moves the
   * context's {@code SSLContext} on to fresh session caches and ticket keys, then tells the
   * subscribers. Lock-free, and never throws: a failed renewal is logged, never passed to the
   * handshake or {@code verify()} that may have noticed the change.
   */
  void changed(List<ContextChange> changes) {
    if (changes.isEmpty()) {
      return;
    }
    boolean renewed = jsse.renew();
    for (ContextChange change : changes) {
      subscribers.publish(change);
    }
    if (renewed) {
      subscribers.publish(ContextChange.SESSIONS_RENEWED);
    }
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
   * The context's JSSE context: the same object for the context's whole life, to hand to a
   * container or client that takes an {@code SSLContext} (the JDK's {@code HttpsServer} and
   * {@code HttpClient}, Tomcat, Jetty, Netty's {@code JdkSslContext}) and keeps it.
   *
   * <ul>
   *   <li>Its default and supported parameters are the policy's: protocols, cipher suites,
   *       client auth ({@code need} on a {@link ClientAuth#REQUIRED} server, {@code want} on
   *       an {@link ClientAuth#OPTIONAL} one), signature schemes, the server's cipher order,
   *       host-name checking on a client. {@code new HttpsConfigurator(context.sslContext())}
   *       and nothing else serves mutual TLS 1.3.
   *   <li>Its engines and sockets start with those parameters, and keep the policy whatever
   *       a container sets on them afterwards: protocols and suites asked for are narrowed to
   *       the policy's (a request that leaves none fails with an
   *       {@link IllegalArgumentException} naming both lists, when the container starts),
   *       client auth can be raised but not lowered below the context's mode, a client's
   *       host-name check stays on when the context checks host names, algorithm constraints
   *       a container sets are added to the context's (no SHA-1, SHA-224, MD5 or DSA
   *       handshake signatures; see {@link TlsPolicy}). ALPN, SNI and everything else pass
   *       through.
   *   <li>Its engines, sockets and session caches always come from the inner context in use:
   *       after every identity, trust or revocation change it moves on to fresh session
   *       caches and ticket keys, so a held {@code SSLContext} lets no refused peer resume a
   *       session. Session timeout and cache size set on its session contexts survive that.
   *   <li>A server connection does one handshake: a client's hello for a second one (TLS 1.2
   *       renegotiation) closes it, and a second {@code beginHandshake()} after TLS 1.2 is
   *       refused. A client refused for sending no certificate is reported to the listeners
   *       ({@link RejectionReason#NO_CERTIFICATE}), as every other refusal is.
   *   <li>{@code init(..)} is refused: it comes initialised with the context's managers.
   * </ul>
   *
   * <p>Its engines are of a class of this library, wrapping the provider's. Frameworks that
   * negotiate ALPN only with engines of the JDK's own classes cannot do so with it: Jetty's
   * HTTP/2 over TLS needs Jetty's own {@code SslContextFactory} set up from
   * {@link #keyManager()}, {@link #trustManager()} and {@link #sslParameters()} instead.
   *
   * @return the SSL context, always the same
   */
  public SSLContext sslContext() {
    return jsse.sslContext();
  }

  /**
   * The parameters every engine and socket of this context starts with: protocols, cipher
   * suites, client auth on a server, signature schemes (where the JDK lets us say so) and the
   * algorithm constraints that keep SHA-1, SHA-224, MD5 and DSA out of handshake signatures. No
   * endpoint identification on a client: its {@link ServerIdentity} rule checks the server in
   * the trust manager. The same as {@code sslContext().getDefaultSSLParameters()}. A fresh
   * copy on every call.
   *
   * @return the parameters
   */
  public SSLParameters sslParameters() {
    return jsse.parameters();
  }

  /**
   * A new server-side engine with this context's parameters, as
   * {@code sslContext().createSSLEngine()} makes it.
   *
   * @return the engine
   * @throws IllegalStateException on a client context, whose engines need the peer's host
   */
  public SSLEngine newEngine() {
    if (role != Role.SERVER) {
      throw new IllegalStateException("a client engine needs the server's host and port: use newEngine(host, port)");
    }
    return jsse.sslContext().createSSLEngine();
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
    // The JSSE derives the server name (SNI) from the host; the parameters leave it be.
    return jsse.sslContext().createSSLEngine(host, port);
  }

  /**
   * A socket factory whose sockets carry this context's parameters, and keep them as
   * {@link #sslContext()}'s engines do. On a client context a socket made for a host applies
   * the context's {@link ServerIdentity} rule for that host. The same as
   * {@code sslContext().getSocketFactory()}.
   *
   * @return the factory
   */
  public SSLSocketFactory socketFactory() {
    return jsse.socketFactory();
  }

  /**
   * A server socket factory whose sockets carry this context's parameters, and accept every
   * connection with the sessions in use at that moment. Settings made on its server sockets
   * apply to the connections they accept, kept to the policy as {@link #sslContext()}'s
   * engines are. Each accepted connection must complete its handshake within the
   * {@linkplain #handshakeTimeout() handshake timeout} or is closed, so stalled clients pin no
   * thread for longer; the application's SO_TIMEOUT applies once the handshake is done. The
   * same as {@code sslContext().getServerSocketFactory()}.
   *
   * @return the factory
   * @throws IllegalStateException on a client context
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
   * A verifier that judges this server's clients by another peer policy: the same trust
   * anchors, revocation data, clock and listeners as {@link #verifier()}, but this policy
   * instead of the context's, and its own memo of sessions (so a request costs a lookup on a
   * steady connection). For adapters with rules per request, such as the servlet filter's per
   * path: {@code /admin/*} may allow only {@code admin-client} where the context allows every
   * service. The policy replaces the context's for its verdicts; the handshake still checks
   * the context's own (unless built with {@code peerPolicyInHandshake(false)}), so a client
   * must then pass both. Keep the verifier: each call makes a new one, with an empty memo.
   *
   * <pre>{@code
   * PeerVerifier admins = context.verifier(PeerPolicy.builder().allowCommonNames("admin-client").build());
   * }</pre>
   *
   * @param policy who may connect, for this verifier's verdicts
   * @return a new verifier
   * @throws IllegalStateException on a client context, whose peers are judged by its
   *     {@link ServerIdentity} rule
   */
  public PeerVerifier verifier(PeerPolicy policy) {
    return verifier.withPolicy(policy);
  }

  /**
   * The key manager that presents this context's identity, for adapters that configure a
   * TLS implementation themselves (Netty's {@code SslContextBuilder}, including its OpenSSL
   * provider). It always presents the current identity: a reloaded certificate is served by
   * the next full handshake. A client context without an identity gets a key manager that
   * offers no certificate. The same object on every call.
   *
   * @return the key manager
   */
  public X509ExtendedKeyManager keyManager() {
    return keyManager;
  }

  /**
   * The trust manager that judges peers during the handshake: the chain against the
   * current trust anchors and revocation data and (unless switched off with
   * {@code peerPolicyInHandshake(false)}) the peer policy; on a client, the server's host
   * name when the engine or socket asks for endpoint identification. A server context that
   * asks for no client certificate gets one that refuses every peer. The same object on
   * every call.
   *
   * <p>A TLS implementation that resumes sessions without asking it must drop its sessions
   * at {@link ContextChange#SESSIONS_RENEWED} (see {@link #onChange(Consumer)}).
   *
   * @return the trust manager
   */
  public X509ExtendedTrustManager trustManager() {
    return trustManager;
  }

  /**
   * How long a peer has to complete its TLS handshake ({@link ContextBuilder#handshakeTimeout},
   * default 10 seconds). The context's server sockets keep it themselves; adapters that drive
   * the context's engines (servlet containers, Netty) bound their handshakes with it.
   *
   * @return the handshake timeout
   */
  public Duration handshakeTimeout() {
    return jsse.handshakeTimeout();
  }

  /**
   * How far a peer certificate's validity period is stretched at both ends to allow for clocks
   * that disagree ({@link ContextBuilder#clockSkew}, default none), for adapters that explain
   * why a certificate was refused as expired or not yet valid.
   *
   * @return the tolerated clock skew
   */
  public Duration clockSkew() {
    return clockSkew;
  }

  /**
   * The protocols and cipher suites this context allows.
   *
   * @return the TLS policy
   */
  public TlsPolicy tlsPolicy() {
    return tlsPolicy;
  }

  /**
   * Whether this server asks for, and insists on, a client certificate.
   *
   * @return the client-auth mode
   * @throws IllegalStateException on a client context
   */
  public ClientAuth clientAuth() {
    if (role != Role.SERVER) {
      throw new IllegalStateException("a client context has no client-auth mode; it presents its identity"
          + " when the server asks");
    }
    return clientAuth;
  }

  /**
   * Subscribes to this context's changes: {@link ContextChange#IDENTITY},
   * {@link ContextChange#TRUST} and {@link ContextChange#REVOCATION} when material changed,
   * each followed by {@link ContextChange#SESSIONS_RENEWED} once the sessions moved on.
   *
   * <p>The subscriber is called on a thread of the library ({@code mtls-changes-N}, started
   * for a change and ended once it was heard), never on a handshake's or the one that
   * reloaded, in the order of the changes, one call at a time. One that throws is logged;
   * one that blocks delays only its own context's later changes, never a reload, a handshake
   * or {@code verify()}. {@link #close()} ends the subscriptions.
   *
   * <pre>{@code
   * Subscription changes = context.onChange(change -> {
   *   if (change == ContextChange.SESSIONS_RENEWED) {
   *     rotateTicketKeys();
   *   }
   * });
   * }</pre>
   *
   * @param subscriber what to call
   * @return the subscription; closing it stops the calls
   */
  public Subscription onChange(Consumer<ContextChange> subscriber) {
    Objects.requireNonNull(subscriber, "subscriber");
    return subscribers.subscribe(subscriber);
  }

  /**
   * Adds a condition on every identity this context reloads from now on: a reloaded identity
   * that it refuses is not used (the reload fails with {@link MtlsListener#reloadFailed} and a
   * {@link MtlsLoadException} naming the certificate file and the requirement's problem, and
   * the identity in use keeps serving). The identity in use is not checked here: an adapter
   * checks it when it is built. {@link #close()} ends the requirement.
   *
   * @param requirement the condition
   * @return a subscription; closing it removes the requirement
   */
  public Subscription requireOfIdentity(IdentityRequirement requirement) {
    Objects.requireNonNull(requirement, "requirement");
    return identity == null ? () -> { } : identity.require(requirement);
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

  /**
   * What this context holds now, by its clock: its chain, trust anchors, CRLs and how
   * reloading fares, for metrics (the {@code mtls-micrometer} module reads its gauges here)
   * and health checks.
   *
   * @return a snapshot
   */
  public ContextStatus status() {
    List<MtlsListener.CertificateSummary> chain = summaries(identityChain());
    List<MtlsListener.CertificateSummary> anchors = summaries(trustAnchors());
    Instant now = clock.instant();
    return new ContextStatus(now, chain, anchors, revocation.crls(now), reloader.reloads(), expiryWarning);
  }

  /**
   * Whether this context can do its work now: {@link Health.Status#OK}, {@link
   * Health.Status#DEGRADED} (an expiry within the {@link ReloadPolicy#expiryWarning() expiry
   * warning}, a CRL used stale under soft-fail, a reload failing while the old material stays)
   * or {@link Health.Status#DOWN} (own certificate expired, no valid trust anchor, a CRL stale
   * beyond any soft-fail), with the reasons. The same as {@code status().health()}.
   *
   * <pre>{@code
   * boolean up = context.health().status() != Health.Status.DOWN;
   * }</pre>
   *
   * @return the health
   */
  public Health health() {
    return status().health();
  }

  /**
   * Adds a listener to this running context, after those given to the builder: for code that
   * gets the context built (a metrics binder, say). It hears events from now on; closing the
   * subscription removes it. Like the builder's, it is guarded: one that throws is logged.
   *
   * @param listener the listener
   * @return the subscription; closing it removes the listener
   */
  public Subscription addListener(MtlsListener listener) {
    return listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  private static List<MtlsListener.CertificateSummary> summaries(List<X509Certificate> certificates) {
    List<MtlsListener.CertificateSummary> summaries = new ArrayList<>(certificates.size());
    for (X509Certificate certificate : certificates) {
      summaries.add(MtlsListener.CertificateSummary.of(certificate));
    }
    return summaries;
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
   * second), closes its CRL HTTP clients and ends its change subscriptions. Handshakes and
   * connections already running go on, and the {@link #sslContext()} keeps working with the
   * material of the moment. Idempotent.
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
      subscribers.close();
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
