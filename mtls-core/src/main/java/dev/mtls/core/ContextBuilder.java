package dev.mtls.core;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What server and client context builders share: identity, trust, TLS policy, revocation,
 * reload, listeners and logging, provider and clock. Each setting is given once; {@link
 * #build()} checks the whole and loads the material, failing with a message that names what
 * is wrong.
 *
 * <p>Obtain one from {@link MtlsContext#forServer()} ({@link ServerContextBuilder}) or {@link
 * MtlsContext#forClient()} ({@link ClientContextBuilder}); settings that only make sense on one
 * side are only on that side's builder, so a client cannot be given a client-auth mode nor a
 * server a rule for who its server must be ({@link ClientContextBuilder#serverIdentity}).
 *
 * @param <B> the concrete builder, returned by every setter for chaining
 */
public abstract sealed class ContextBuilder<B extends ContextBuilder<B>>
    permits ServerContextBuilder, ClientContextBuilder {
  /**
   * Clocks synchronised by NTP agree within a second; an hour covers a host that missed a
   * daylight-saving change or lost its time source for days. More would accept certificates
   * long expired or not yet valid.
   */
  static final DurationBounds CLOCK_SKEW = new DurationBounds("clockSkew", Duration.ZERO, Duration.ofHours(1));
  /**
   * A loopback handshake takes milliseconds and one across the world a second or two; past
   * five minutes a stalled client has held a thread far too long.
   */
  static final DurationBounds HANDSHAKE_TIMEOUT = new DurationBounds("handshakeTimeout", Duration.ofMillis(100),
      Duration.ofMinutes(5));
  static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

  final MtlsContext.Role role;
  @Nullable IdentitySource identitySource;
  @Nullable TrustSource trustSource;
  ClientAuth clientAuth = ClientAuth.REQUIRED;
  TlsPolicy tlsPolicy = TlsPolicy.MODERN;
  private boolean tlsPolicySet;
  @Nullable PeerPolicy peerPolicy;
  boolean peerPolicyInHandshake = true;
  @Nullable Revocation revocation;
  final List<MtlsListener> listeners = new ArrayList<>();
  boolean logging = true;
  private boolean loggingSet;
  TlsProvider provider = TlsProvider.JDK;
  private boolean providerSet;
  @Nullable Clock clock;
  Duration clockSkew = Duration.ZERO;
  private boolean clockSkewSet;
  Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
  private boolean handshakeTimeoutSet;
  @Nullable ServerIdentity serverIdentity;
  CertificateProfile certificateProfile = CertificateProfile.RFC_5280;
  @Nullable ReloadPolicy reloadPolicy;

  ContextBuilder(MtlsContext.Role role) {
    this.role = role;
  }

  /** This builder, as its concrete type. */
  abstract B self();

  /**
   * The certificate chain and private key this side presents. Required for a server;
   * optional for a client (one without an identity cannot do mutual TLS).
   *
   * @param source where the identity comes from
   * @return this builder
   */
  public B identity(IdentitySource source) {
    requireUnset(identitySource, "identity");
    this.identitySource = Objects.requireNonNull(source, "source");
    return self();
  }

  /**
   * The trust anchors the peer's chain must lead to. Required, except for a server with
   * {@link ClientAuth#NONE}.
   *
   * @param source where the anchors come from
   * @return this builder
   */
  public B trust(TrustSource source) {
    requireUnset(trustSource, "trust");
    this.trustSource = Objects.requireNonNull(source, "source");
    return self();
  }

  /**
   * Protocols and cipher suites. Default {@link TlsPolicy#MODERN} (TLS 1.3 only).
   *
   * @param policy the policy
   * @return this builder
   */
  public B tlsPolicy(TlsPolicy policy) {
    Objects.requireNonNull(policy, "policy");
    if (tlsPolicySet) {
      throw new IllegalStateException("tlsPolicy was already set to " + tlsPolicy);
    }
    this.tlsPolicy = policy;
    this.tlsPolicySet = true;
    return self();
  }

  /**
   * How revoked peer certificates are recognised. Default: no revocation checking.
   *
   * @param revocation the revocation setting
   * @return this builder
   */
  public B revocation(Revocation revocation) {
    requireUnset(this.revocation, "revocation");
    this.revocation = Objects.requireNonNull(revocation, "revocation");
    return self();
  }

  /**
   * Adds a listener for rejections, reloads, CRL refreshes and expiry warnings, for metrics or
   * alerts. It hears every event in addition to the context's SLF4J logging (see {@link
   * #logging(boolean)}) and to the listeners added before it, in the order added. One that
   * throws is logged and otherwise ignored: it cannot fail a handshake or a reload.
   *
   * <pre>{@code
   * builder.listener(new MtlsListener() {
   *   @Override public void peerRejected(PeerRejected event) {
   *     rejections.increment(event.rejected().reason(), event.count());
   *   }
   * });
   * }</pre>
   *
   * @param listener the listener
   * @return this builder
   * @throws IllegalStateException when this listener was added already
   */
  public B listener(MtlsListener listener) {
    Objects.requireNonNull(listener, "listener");
    for (MtlsListener added : listeners) {
      if (added == listener) {
        throw new IllegalStateException("listener " + listener + " was already added");
      }
    }
    listeners.add(listener);
    return self();
  }

  /**
   * Whether the context logs its events through SLF4J (logger {@code dev.mtls}: rejections,
   * failed reloads and expiry warnings at WARN, reloads and CRL refreshes at INFO,
   * rate-limited). Default {@code true}, whatever listeners are added; {@code false} leaves
   * the events to the {@link #listener(MtlsListener) listeners} alone, for an application that
   * logs them itself.
   *
   * @param enabled {@code false} to switch the library's logging of events off
   * @return this builder
   */
  public B logging(boolean enabled) {
    if (loggingSet) {
      throw new IllegalStateException("logging was already set to " + logging);
    }
    this.logging = enabled;
    this.loggingSet = true;
    return self();
  }

  /**
   * The JSSE implementation. Default {@link TlsProvider#JDK}.
   *
   * @param provider the provider
   * @return this builder
   */
  public B provider(TlsProvider provider) {
    Objects.requireNonNull(provider, "provider");
    if (providerSet) {
      throw new IllegalStateException("provider was already set to " + this.provider);
    }
    this.provider = provider;
    this.providerSet = true;
    return self();
  }

  /**
   * The clock validity and CRL staleness are judged by. Default: the system clock, UTC.
   *
   * @param clock the clock
   * @return this builder
   */
  public B clock(Clock clock) {
    requireUnset(this.clock, "clock");
    this.clock = Objects.requireNonNull(clock, "clock");
    return self();
  }

  /**
   * How far validity dates may be off from this side's clock: a peer's certificate, and this
   * context's own at start and at every reload, count as valid from {@code notBefore - skew}
   * to {@code notAfter + skew}. For fleets whose clocks drift; CRL times are not stretched.
   * At most one hour: more would accept certificates long expired or not yet valid.
   *
   * @param skew between zero (the default) and one hour
   * @return this builder
   * @throws IllegalArgumentException when negative or longer than one hour
   * @throws IllegalStateException when it was already set
   */
  public B clockSkew(Duration skew) {
    Objects.requireNonNull(skew, "skew");
    if (clockSkewSet) {
      throw new IllegalStateException("clockSkew was already set to " + clockSkew);
    }
    this.clockSkew = CLOCK_SKEW.check(skew);
    this.clockSkewSet = true;
    return self();
  }

  /**
   * How long a peer has to complete its TLS handshake. Default 10 seconds.
   *
   * <p>Connections accepted by the context's {@link MtlsContext#serverSocketFactory()} server
   * sockets keep it themselves: the client's hello must arrive within this time of the
   * accept, and the whole handshake must complete within this time of the server's first
   * read of the connection; otherwise the connection is closed and the read fails with a
   * {@link java.net.SocketTimeoutException}. Until the handshake is done each read waits at
   * most until then, whatever SO_TIMEOUT the application set, which applies again
   * afterwards. A silent or trickling client so holds a server thread for this long at most.
   *
   * <p>Engines ({@link MtlsContext#sslContext()}, {@link MtlsContext#newEngine()}) do no I/O
   * of their own: the container or adapter that drives them bounds their handshakes, reading
   * {@link MtlsContext#handshakeTimeout()}. Neither do client sockets, which connect and read
   * as the application set them up.
   *
   * @param timeout between 100 milliseconds and five minutes
   * @return this builder
   * @throws IllegalArgumentException when outside those bounds
   * @throws IllegalStateException when it was already set
   */
  public B handshakeTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (handshakeTimeoutSet) {
      throw new IllegalStateException("handshakeTimeout was already set to " + DurationBounds.format(handshakeTimeout));
    }
    this.handshakeTimeout = HANDSHAKE_TIMEOUT.check(timeout);
    this.handshakeTimeoutSet = true;
    return self();
  }

  /**
   * Whether and how often identity, trust and CRL files are reloaded while the context
   * runs. Default {@link ReloadPolicy#defaults()}; material given in memory never reloads.
   *
   * @param policy the reload policy
   * @return this builder
   */
  public B reload(ReloadPolicy policy) {
    requireUnset(reloadPolicy, "reload");
    this.reloadPolicy = Objects.requireNonNull(policy, "policy");
    return self();
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
    Throwable unavailable = provider.unavailabilityCause();
    if (unavailable != null) {
      throw new MtlsException("TlsProvider." + provider + " cannot be used: " + unavailable.getMessage(),
          unavailable);
    }
    return ContextAssembly.assemble(this);
  }

  /** The side's own checks of what was set, before anything is loaded. */
  abstract void checkSettings();

  static void requireUnset(@Nullable Object value, String name) {
    if (value != null) {
      throw new IllegalStateException(name + " was already set to " + value);
    }
  }
}
