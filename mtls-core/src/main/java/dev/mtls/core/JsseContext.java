package dev.mtls.core;

import dev.mtls.core.internal.tls.BcJsse;
import dev.mtls.core.internal.tls.ConfiguredSocketFactory;
import dev.mtls.core.internal.tls.ForwardingSessionContext;
import dev.mtls.core.internal.tls.JdkNamedGroups;
import dev.mtls.core.internal.tls.LayeringServerSocketFactory;
import dev.mtls.core.internal.tls.MtlsSslContext;
import dev.mtls.core.internal.tls.RefusalReporter;
import dev.mtls.core.internal.tls.TlsRules;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSSE side of a context: one long-lived {@link SSLContext} handed to whoever asks,
 * forwarding to an inner {@code SSLContext} over the library's key and trust managers.
 *
 * <p>After the identity, the trust anchors or the revocation data change, {@link #renew()}
 * replaces the inner context with a fresh one over the same managers: its session caches
 * and session-ticket keys are new, so no peer can resume a session made before the change
 * (resumption skips the trust manager, and the JDK's stateless tickets cannot be revoked one
 * by one), and a client makes a full handshake, presenting its current certificate. The
 * long-lived context, its engines, socket factories and session caches always reach the
 * inner context in use, so holders of {@link #sslContext()} follow every change.
 *
 * <p>Lock-free: a renewal is one {@code volatile} write; handshakes never wait for it.
 */
final class JsseContext {
  private static final Logger log = LoggerFactory.getLogger(MtlsContext.class);

  private final TlsProvider provider;
  private final TlsPolicy tlsPolicy;
  private final KeyManager[] keyManagers;
  private final TrustManager[] trustManagers;
  private final TlsRules rules;
  private final ForwardingSessionContext serverSessions;
  private final ForwardingSessionContext clientSessions;
  private final SSLSocketFactory socketFactory;
  private final SSLServerSocketFactory serverSocketFactory;
  private final SSLContext held;
  private volatile SSLContext current;

  /**
   * Creates the JSSE side of a context.
   *
   * @param handshakeTimeout how long a connection accepted by the server sockets has for its
   *     handshake
   * @param refusals where the engines and sockets report a client refused without a chain
   *     for the trust manager to judge (no certificate)
   */
  JsseContext(MtlsContext.Role role, TlsProvider provider, TlsPolicy tlsPolicy, ClientAuth clientAuth,
      KeyManager[] keyManagers, TrustManager[] trustManagers, Duration handshakeTimeout, RefusalReporter refusals) {
    this.provider = provider;
    this.tlsPolicy = tlsPolicy;
    this.keyManagers = keyManagers.clone();
    this.trustManagers = trustManagers.clone();
    this.current = newSslContext();
    checkPolicySupported(current);
    this.rules = new TlsRules(role, tlsPolicy, clientAuth, TlsPolicy.SIGNATURE_SCHEMES, namedGroups(current),
        provider == TlsProvider.BOUNCY_CASTLE, handshakeTimeout, refusals);
    this.serverSessions = new ForwardingSessionContext(() -> current.getServerSessionContext());
    this.clientSessions = new ForwardingSessionContext(() -> current.getClientSessionContext());
    this.socketFactory = new ConfiguredSocketFactory(() -> current.getSocketFactory(), rules);
    this.serverSocketFactory = new LayeringServerSocketFactory(() -> current.getSocketFactory(), rules);
    this.held = MtlsSslContext.create(() -> current, rules, socketFactory, serverSocketFactory,
        serverSessions, clientSessions);
  }

  /** The one SSL context of this context's life. */
  SSLContext sslContext() {
    return held;
  }

  SSLParameters parameters() {
    return rules.defaults();
  }

  Duration handshakeTimeout() {
    return rules.handshakeTimeout();
  }

  SSLSocketFactory socketFactory() {
    return socketFactory;
  }

  /** The server socket factory; refused on a client context. */
  SSLServerSocketFactory serverSocketFactory() {
    return held.getServerSocketFactory();
  }

  /**
   * Replaces the inner SSL context with a fresh one: new session caches, new ticket keys,
   * the session settings made so far. Never throws: a failure is logged, and the sessions
   * cached in the inner context in use are invalidated instead (tickets the JDK handed out
   * stay resumable until the next renewal succeeds).
   *
   * @return whether the inner context was replaced
   */
  boolean renew() {
    try {
      SSLContext next = newSslContext();
      serverSessions.applyTo(next.getServerSessionContext());
      clientSessions.applyTo(next.getClientSessionContext());
      current = next;
      // Again once in use: a setting made while the fresh context was prepared is not lost.
      serverSessions.applyTo(next.getServerSessionContext());
      clientSessions.applyTo(next.getClientSessionContext());
      return true;
    } catch (RuntimeException e) {
      log.error("cannot renew the TLS sessions after a change ({}); invalidating the cached sessions instead",
          e.toString(), e);
      invalidateCached(current);
      return false;
    }
  }

  private static void invalidateCached(SSLContext context) {
    try {
      for (SSLSessionContext sessions : List.of(context.getServerSessionContext(), context.getClientSessionContext())) {
        for (byte[] id : Collections.list(sessions.getIds())) {
          SSLSession session = sessions.getSession(id);
          if (session != null) {
            session.invalidate();
          }
        }
      }
    } catch (RuntimeException e) {
      log.error("cannot invalidate the cached TLS sessions either", e);
    }
  }

  private SSLContext newSslContext() {
    try {
      SSLContext context = provider == TlsProvider.BOUNCY_CASTLE
          ? BcJsse.newSslContext()
          // By name: the first installed provider may be another application's.
          : SSLContext.getInstance("TLS", "SunJSSE");
      context.init(keyManagers, trustManagers, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new MtlsException("cannot create a TLS context with provider " + provider + ": " + e.getMessage(), e);
    }
  }

  /**
   * The policy's key-exchange groups that the provider has, in the policy's order; {@code null}
   * where it cannot take groups per connection (SunJSSE before Java 20), which is refused for a
   * policy that requires its groups.
   *
   * @throws MtlsException when a required group is missing, or no group is left
   */
  private @Nullable List<String> namedGroups(SSLContext context) {
    List<String> supported = provider == TlsProvider.BOUNCY_CASTLE
        ? BcJsse.supportedGroups(tlsPolicy.namedGroups())
        : JdkNamedGroups.supported(context.getSupportedSSLParameters());
    if (supported == null) {
      if (tlsPolicy.groupsRequired()) {
        throw new MtlsException("TLS provider JDK (SunJSSE, Java " + Runtime.version() + ") cannot set"
            + " key-exchange groups per connection, which " + tlsPolicy + " requires: Java 20 and later can,"
            + " and so can TlsProvider.BOUNCY_CASTLE (the JVM-wide jdk.tls.namedGroups property is not set"
            + " by this library)");
      }
      log.debug("TLS provider {} offers its own key-exchange groups: it cannot take them per connection",
          provider.description());
      return null;
    }
    List<String> offered = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (String group : tlsPolicy.namedGroups()) {
      (supported.contains(group) ? offered : missing).add(group);
    }
    boolean onlyHybridsMissing = missing.stream().allMatch(TlsPolicy::isHybrid);
    if ((tlsPolicy.groupsRequired() && !missing.isEmpty()) || !onlyHybridsMissing || offered.isEmpty()) {
      throw new MtlsException("TLS provider " + provider.description() + " has no key-exchange group "
          + String.join(", ", missing) + ", which " + tlsPolicy + " requires"
          + (missing.stream().anyMatch(TlsPolicy::isHybrid) && provider == TlsProvider.JDK
              ? "; TlsProvider.BOUNCY_CASTLE has the post-quantum hybrids" : ""));
    }
    if (provider == TlsProvider.BOUNCY_CASTLE && !(offered.contains("secp256r1") && offered.contains("secp384r1"))) {
      log.warn("{}: with TlsProvider.BOUNCY_CASTLE, ECDSA signatures in handshakes work only on curves among the"
          + " key-exchange groups {} (BCJSSE ties ecdsa_secp256r1_sha256 to secp256r1, and so on): ECDSA"
          + " certificates on other curves fail the handshake; RSA and Ed25519 ones are not affected",
          tlsPolicy, offered);
    }
    log.debug("TLS provider {} offers the key-exchange groups {}", provider.description(), offered);
    return offered;
  }

  private void checkPolicySupported(SSLContext context) {
    SSLParameters supported = context.getSupportedSSLParameters();
    List<String> protocols = Arrays.asList(supported.getProtocols());
    List<String> suites = Arrays.asList(supported.getCipherSuites());
    List<String> missing = new ArrayList<>();
    for (String protocol : tlsPolicy.protocols()) {
      if (!protocols.contains(protocol)) {
        missing.add("protocol " + protocol);
      }
    }
    for (String suite : tlsPolicy.cipherSuites()) {
      if (!suites.contains(suite)) {
        missing.add("cipher suite " + suite);
      }
    }
    if (!missing.isEmpty()) {
      throw new MtlsException("TLS provider " + provider + " (" + context.getProvider().getName()
          + ") cannot do what " + tlsPolicy + " asks: " + String.join(", ", missing));
    }
  }
}
