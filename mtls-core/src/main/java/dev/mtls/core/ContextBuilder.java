package dev.mtls.core;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What server and client context builders share: identity, trust, TLS policy, revocation,
 * reload, listener, provider and clock. Each setting is given once; {@link #build()} checks
 * the whole and loads the material, failing with a message that names what is wrong.
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
  static final Duration MAX_CLOCK_SKEW = Duration.ofHours(1);

  final MtlsContext.Role role;
  @Nullable IdentitySource identitySource;
  @Nullable TrustSource trustSource;
  ClientAuth clientAuth = ClientAuth.REQUIRED;
  TlsPolicy tlsPolicy = TlsPolicy.MODERN;
  private boolean tlsPolicySet;
  @Nullable PeerPolicy peerPolicy;
  boolean peerPolicyInHandshake = true;
  @Nullable Revocation revocation;
  @Nullable MtlsListener listener;
  TlsProvider provider = TlsProvider.JDK;
  private boolean providerSet;
  @Nullable Clock clock;
  Duration clockSkew = Duration.ZERO;
  private boolean clockSkewSet;
  @Nullable ServerIdentity serverIdentity;
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
   * Who hears rejections, refreshes and expiry warnings. Default
   * {@link MtlsListener#logging()}.
   *
   * @param listener the listener
   * @return this builder
   */
  public B listener(MtlsListener listener) {
    requireUnset(this.listener, "listener");
    this.listener = Objects.requireNonNull(listener, "listener");
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
    if (skew.isNegative() || skew.compareTo(MAX_CLOCK_SKEW) > 0) {
      throw new IllegalArgumentException("clockSkew must be between 0 and " + MAX_CLOCK_SKEW + ": " + skew);
    }
    this.clockSkew = skew;
    this.clockSkewSet = true;
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
