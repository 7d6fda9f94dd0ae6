package dev.mtls.core;

import dev.mtls.core.internal.IdentityHolder;
import dev.mtls.core.internal.Reloader;
import dev.mtls.core.internal.RevocationChecker;
import dev.mtls.core.internal.TrustHolder;
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
 * <p>Immutable and thread-safe. {@link #close()} stops its background work (CRL refresh).
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

  MtlsContext(Builder builder, JsseContext jsse, DefaultPeerVerifier verifier,
      RevocationChecker revocation, @Nullable IdentityHolder identity, TrustHolder trust,
      Reloader.Builder reloader) {
    this.role = builder.role;
    this.description = "MtlsContext{" + role + ", " + builder.provider + ", " + builder.tlsPolicy
        + (role == Role.SERVER ? ", clientAuth " + builder.clientAuth
            : ", hostname verification " + builder.verifyHostname) + "}";
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
  public static Builder forServer() {
    return new Builder(Role.SERVER);
  }

  /**
   * Starts a client context: it presents its identity when the server asks, and checks the
   * server's certificate, including its host name.
   *
   * @return a builder
   */
  public static Builder forClient() {
    return new Builder(Role.CLIENT);
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
   * client auth, endpoint identification. A fresh copy on every call.
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
   * A new client-side engine for a server, with this context's parameters; the server's
   * certificate must name {@code host} (unless host name verification was switched off),
   * and {@code host} is sent as the server name (SNI) when it is a DNS name.
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
   * socket made for a host checks that the server's certificate names that host.
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
   * Stops this context's background work (file watching, CRL refresh). Handshakes and
   * connections already running go on. Idempotent.
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

  /**
   * Builds a {@link MtlsContext}. Each setting is given once; {@link #build()} checks the
   * whole and loads the material, failing with a message that names what is wrong.
   */
  public static final class Builder {
    final Role role;
    @Nullable IdentitySource identitySource;
    @Nullable TrustSource trustSource;
    ClientAuth clientAuth = ClientAuth.REQUIRED;
    private boolean clientAuthSet;
    TlsPolicy tlsPolicy = TlsPolicy.MODERN;
    private boolean tlsPolicySet;
    @Nullable PeerPolicy peerPolicy;
    boolean peerPolicyInHandshake = true;
    @Nullable Revocation revocation;
    @Nullable MtlsListener listener;
    TlsProvider provider = TlsProvider.JDK;
    private boolean providerSet;
    @Nullable Clock clock;
    boolean verifyHostname = true;
    @Nullable ReloadPolicy reloadPolicy;

    private Builder(Role role) {
      this.role = role;
    }

    /**
     * The certificate chain and private key this side presents. Required for a server;
     * optional for a client (one without an identity cannot do mutual TLS).
     *
     * @param source where the identity comes from
     * @return this builder
     */
    public Builder identity(IdentitySource source) {
      requireUnset(identitySource, "identity");
      this.identitySource = Objects.requireNonNull(source, "source");
      return this;
    }

    /**
     * The trust anchors the peer's chain must lead to. Required, except for a server with
     * {@link ClientAuth#NONE}.
     *
     * @param source where the anchors come from
     * @return this builder
     */
    public Builder trust(TrustSource source) {
      requireUnset(trustSource, "trust");
      this.trustSource = Objects.requireNonNull(source, "source");
      return this;
    }

    /**
     * Whether a server asks for client certificates. Default {@link ClientAuth#REQUIRED}.
     * Server contexts only.
     *
     * @param clientAuth the mode
     * @return this builder
     */
    public Builder clientAuth(ClientAuth clientAuth) {
      Objects.requireNonNull(clientAuth, "clientAuth");
      if (role != Role.SERVER) {
        throw new IllegalStateException("clientAuth is a server setting; this is a client context");
      }
      if (clientAuthSet) {
        throw new IllegalStateException("clientAuth was already set to " + this.clientAuth);
      }
      this.clientAuth = clientAuth;
      this.clientAuthSet = true;
      return this;
    }

    /**
     * Protocols and cipher suites. Default {@link TlsPolicy#MODERN} (TLS 1.3 only).
     *
     * @param policy the policy
     * @return this builder
     */
    public Builder tlsPolicy(TlsPolicy policy) {
      Objects.requireNonNull(policy, "policy");
      if (tlsPolicySet) {
        throw new IllegalStateException("tlsPolicy was already set to " + tlsPolicy);
      }
      this.tlsPolicy = policy;
      this.tlsPolicySet = true;
      return this;
    }

    /**
     * Which trusted peers are allowed. Required for a server (say
     * {@link PeerPolicy#anyTrustedPeer()} to accept every peer the anchors accept); a
     * client defaults to any trusted server whose certificate names the host it connects to.
     *
     * @param policy the policy
     * @return this builder
     */
    public Builder peerPolicy(PeerPolicy policy) {
      requireUnset(peerPolicy, "peerPolicy");
      this.peerPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Whether the peer policy is enforced in the handshake as well as by the
     * {@link #verifier() verifier}. Default {@code true}: a peer the policy refuses never
     * completes a handshake. An adapter that answers refused peers itself (an HTTP 403 with
     * a reason) sets this to {@code false}; chain, validity and revocation are still
     * checked in the handshake.
     *
     * @param enforce whether to enforce the policy in the handshake
     * @return this builder
     */
    public Builder peerPolicyInHandshake(boolean enforce) {
      this.peerPolicyInHandshake = enforce;
      return this;
    }

    /**
     * How revoked peer certificates are recognised. Default: no revocation checking.
     *
     * @param revocation the revocation setting
     * @return this builder
     */
    public Builder revocation(Revocation revocation) {
      requireUnset(this.revocation, "revocation");
      this.revocation = Objects.requireNonNull(revocation, "revocation");
      return this;
    }

    /**
     * Who hears rejections, refreshes and expiry warnings. Default
     * {@link MtlsListener#logging()}.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder listener(MtlsListener listener) {
      requireUnset(this.listener, "listener");
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * The JSSE implementation. Default {@link TlsProvider#JDK}.
     *
     * @param provider the provider
     * @return this builder
     */
    public Builder provider(TlsProvider provider) {
      Objects.requireNonNull(provider, "provider");
      if (providerSet) {
        throw new IllegalStateException("provider was already set to " + this.provider);
      }
      this.provider = provider;
      this.providerSet = true;
      return this;
    }

    /**
     * The clock validity and CRL staleness are judged by. Default: the system clock, UTC.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      requireUnset(this.clock, "clock");
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Whether and how often identity, trust and CRL files are reloaded while the context
     * runs. Default {@link ReloadPolicy#defaults()}; material given in memory never reloads.
     *
     * @param policy the reload policy
     * @return this builder
     */
    public Builder reload(ReloadPolicy policy) {
      requireUnset(reloadPolicy, "reload");
      this.reloadPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * DANGEROUS: a client context stops checking that the server's certificate names the
     * host it connects to, so any server with a certificate from the trust anchors can
     * impersonate any other. Only for peers identified by a {@link PeerPolicy} instead
     * (SPIFFE IDs, say). Logged at WARN.
     *
     * @return this builder
     */
    public Builder insecureSkipHostnameVerification() {
      if (role != Role.CLIENT) {
        throw new IllegalStateException("host name verification is a client setting; this is a server context");
      }
      this.verifyHostname = false;
      return this;
    }

    /**
     * Checks the settings, loads identity and trust, starts revocation, and builds the
     * context.
     *
     * @return the context
     * @throws MtlsLoadException when material cannot be loaded or fails its checks
     * @throws IllegalStateException when settings are missing or contradict each other
     * @throws MtlsException when the provider cannot do what the TLS policy asks, or is not
     *     available here ({@link TlsProvider#unavailabilityCause()}: for Bouncy Castle, the
     *     message names the bctls and bcprov releases found)
     */
    public MtlsContext build() {
      checkSettings();
      return ContextAssembly.assemble(this);
    }

    private void checkSettings() {
      if (role == Role.SERVER && identitySource == null) {
        throw new IllegalStateException("a server context needs an identity: call identity(IdentitySource)");
      }
      boolean judgesPeers = role == Role.CLIENT || clientAuth != ClientAuth.NONE;
      if (judgesPeers && trustSource == null) {
        throw new IllegalStateException("no trust anchors: call trust(TrustSource) with the CA certificates"
            + (role == Role.SERVER ? " that issue client certificates" : " that issue server certificates"));
      }
      if (role == Role.SERVER && judgesPeers && peerPolicy == null) {
        throw new IllegalStateException("no peer policy: name the allowed clients with"
            + " peerPolicy(PeerPolicy.builder()...build()), or accept every client the trust anchors"
            + " accept with peerPolicy(PeerPolicy.anyTrustedPeer())");
      }
      if (!judgesPeers && (peerPolicy != null || revocation != null)) {
        throw new IllegalStateException("clientAuth is NONE, so clients are never judged: a peerPolicy"
            + " or revocation setting would have no effect; remove it or ask for client certificates");
      }
      Throwable unavailable = provider.unavailabilityCause();
      if (unavailable != null) {
        throw new MtlsException("TlsProvider." + provider + " cannot be used: " + unavailable.getMessage(),
            unavailable);
      }
    }

    private static void requireUnset(@Nullable Object value, String name) {
      if (value != null) {
        throw new IllegalStateException(name + " was already set to " + value);
      }
    }
  }
}
