package dev.mtls.core.internal.tls;

import dev.mtls.core.ClientAuth;
import dev.mtls.core.MtlsContext;
import dev.mtls.core.RejectionReason;
import dev.mtls.core.TlsPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/**
 * What every engine and socket of a context keeps, whatever a container sets on it.
 *
 * <ul>
 *   <li>Protocols and cipher suites: a request is narrowed to the policy's (in the order
 *       asked for); a request that leaves nothing is refused with an
 *       {@link IllegalArgumentException} naming both lists, so a misconfigured container
 *       fails when it starts, not at its first connection.
 *   <li>Client auth on the server side: a container may raise it, never lower it below the
 *       context's mode ({@code REQUIRED} stays "need", {@code OPTIONAL} stays at least
 *       "want"). On the client side the flags mean nothing and are accepted as set.
 *   <li>Host-name checking on the client side is not a parameter: the context's {@code
 *       ServerIdentity} rule checks the server in the trust manager whatever the engine's
 *       endpoint-identification setting, so a container setting {@code null} or {@code ""}
 *       removes no check (and the {@code "HTTPS"} the JDK HttpClient always sets adds none
 *       that the rule does not ask for). The setting passes through.
 *   <li>The policy's signature schemes, and the server's own cipher-suite order.
 *   <li>The policy's key-exchange groups, where the provider takes them per connection (Bouncy
 *       Castle always, the JDK from Java 20 on): a request is narrowed to them, in the order
 *       asked for, and one that leaves none is refused like protocols and suites; a request
 *       that names none gets the policy's. A Bouncy Castle server picks by its own order.
 *   <li>{@link HandshakeSignatures}: no SHA-1, SHA-224, MD5 or DSA in a handshake signature,
 *       either way. Algorithm constraints a container sets are combined with these, both
 *       having to permit; they can narrow, never widen.
 *   <li>The role: a server context's engine cannot be turned into a client's, nor the
 *       reverse (its trust manager judges the other side's certificates).
 * </ul>
 *
 * <p>Everything else a container sets (ALPN protocols, SNI names and matchers, packet sizes,
 * session creation) passes through.
 *
 * <p>What a server connection does beyond its parameters, on both providers:
 * <ul>
 *   <li>One handshake: a client's hello for a second one (TLS 1.2 renegotiation) closes the
 *       connection, and the application's own {@code beginHandshake()} or {@code
 *       startHandshake()} after a TLS 1.2 handshake is refused ({@code ClientRecords}).
 *   <li>A client refused for sending no certificate is reported to the context's listeners,
 *       once per connection ({@link #reportIfNoClientCertificate}).
 *   <li>Sockets accepted by the context's server sockets complete their handshake within the
 *       {@linkplain #handshakeTimeout() handshake timeout} ({@code AcceptedConnection}).
 * </ul>
 *
 * <p>Immutable.
 */
public final class TlsRules {
  private final MtlsContext.Role role;
  private final TlsPolicy policy;
  private final ClientAuth clientAuth;
  private final List<String> signatureSchemes;
  private final @Nullable List<String> namedGroups;
  private final boolean bouncyCastle;
  private final Duration handshakeTimeout;
  private final RefusalReporter refusals;

  /**
   * Creates the rules of a context.
   *
   * @param role the context's role
   * @param policy its protocols and suites
   * @param clientAuth its client-auth mode (servers; ignored for clients)
   * @param signatureSchemes the signature schemes to offer and accept
   * @param namedGroups the key-exchange groups to offer and accept, most preferred first, all
   *     supported by the provider; {@code null} where the provider cannot take them per
   *     connection (the JDK before Java 20), which leaves its own
   * @param bouncyCastle whether the engines and sockets are Bouncy Castle's
   * @param handshakeTimeout how long an accepted connection has for its handshake
   * @param refusals where refusals without a chain to judge are reported
   */
  public TlsRules(MtlsContext.Role role, TlsPolicy policy, ClientAuth clientAuth, List<String> signatureSchemes,
      @Nullable List<String> namedGroups, boolean bouncyCastle, Duration handshakeTimeout, RefusalReporter refusals) {
    this.role = Objects.requireNonNull(role, "role");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.clientAuth = role == MtlsContext.Role.SERVER ? Objects.requireNonNull(clientAuth, "clientAuth")
        : ClientAuth.NONE;
    this.signatureSchemes = List.copyOf(signatureSchemes);
    this.namedGroups = namedGroups == null ? null : List.copyOf(namedGroups);
    this.bouncyCastle = bouncyCastle;
    this.handshakeTimeout = Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
    this.refusals = Objects.requireNonNull(refusals, "refusals");
  }

  /**
   * How long a connection accepted by the context's server sockets has for its handshake.
   *
   * @return the handshake timeout
   */
  public Duration handshakeTimeout() {
    return handshakeTimeout;
  }

  /**
   * Reports a failed server handshake to the context's listeners when the client was refused
   * for sending no certificate ({@link HandshakeFailures#isNoClientCertificate}): the provider
   * refuses such a client before any trust manager could. Does nothing on a client context or
   * for other failures.
   *
   * @param failure what the engine or socket threw
   * @param peer the connection's peer, for the detail, or {@code null} when not known
   * @return whether it was reported
   */
  public boolean reportIfNoClientCertificate(Throwable failure, @Nullable Object peer) {
    if (role != MtlsContext.Role.SERVER || !HandshakeFailures.isNoClientCertificate(failure)) {
      return false;
    }
    try {
      refusals.refused(RejectionReason.NO_CERTIFICATE,
          "the peer sent no certificate" + (peer == null ? "" : " (connection from " + peer + ")"));
    } catch (RuntimeException e) {
      // the listeners are guarded; the handshake's own failure is what the caller rethrows
    }
    return true;
  }

  /**
   * Whether engines and sockets are in client mode.
   *
   * @return {@code true} for a client context
   */
  public boolean clientMode() {
    return role == MtlsContext.Role.CLIENT;
  }

  /**
   * The parameters an engine or socket of this context starts with, and what the context
   * offers as its default and supported parameters. A fresh copy on every call.
   *
   * @return the parameters
   */
  public SSLParameters defaults() {
    SSLParameters parameters = new SSLParameters(
        policy.cipherSuites().toArray(new String[0]), policy.protocols().toArray(new String[0]));
    if (role == MtlsContext.Role.SERVER) {
      parameters.setUseCipherSuitesOrder(true);
      if (clientAuth == ClientAuth.REQUIRED) {
        parameters.setNeedClientAuth(true);
      } else if (clientAuth == ClientAuth.OPTIONAL) {
        parameters.setWantClientAuth(true);
      }
    }
    parameters.setAlgorithmConstraints(HandshakeSignatures.INSTANCE);
    if (namedGroups != null) {
      JdkNamedGroups.set(parameters, namedGroups);
    }
    if (!bouncyCastle) {
      JdkSignatureSchemes.apply(parameters, signatureSchemes);
    }
    return parameters;
  }

  /**
   * The protocols and suites of the policy, as arrays.
   *
   * @return the policy's protocols
   */
  public String[] protocols() {
    return policy.protocols().toArray(new String[0]);
  }

  /**
   * The policy's cipher suites.
   *
   * @return the suites
   */
  public String[] cipherSuites() {
    return policy.cipherSuites().toArray(new String[0]);
  }

  /**
   * The protocols of a request that the policy allows.
   *
   * @param requested what a container asks for
   * @return the allowed ones, in the order asked for
   * @throws IllegalArgumentException when none is allowed
   */
  public String[] protocols(String[] requested) {
    return narrow(requested, policy.protocols(), "protocols");
  }

  /**
   * The cipher suites of a request that the policy allows.
   *
   * @param requested what a container asks for
   * @return the allowed ones, in the order asked for
   * @throws IllegalArgumentException when none is allowed
   */
  public String[] cipherSuites(String[] requested) {
    return narrow(requested, policy.cipherSuites(), "cipher suites");
  }

  /**
   * Refuses to switch an engine or socket to the other role.
   *
   * @param clientMode the mode asked for
   * @throws IllegalArgumentException when it is not this context's
   */
  public void checkMode(boolean clientMode) {
    if (clientMode != clientMode()) {
      throw new IllegalArgumentException("this is an mtls " + role.name().toLowerCase(java.util.Locale.ROOT)
          + " context: its engines and sockets cannot be switched to "
          + (clientMode ? "client" : "server") + " mode; build a context with MtlsContext."
          + (clientMode ? "forClient()" : "forServer()") + " for that side");
    }
  }

  /**
   * Makes parameters read back from an engine or socket keep these rules (see the class
   * description).
   *
   * @param parameters the parameters to change
   * @throws IllegalArgumentException when they enable no allowed protocol or suite
   */
  public void keep(SSLParameters parameters) {
    parameters.setProtocols(protocols(orEmpty(parameters.getProtocols())));
    parameters.setCipherSuites(cipherSuites(orEmpty(parameters.getCipherSuites())));
    if (role == MtlsContext.Role.SERVER) {
      parameters.setUseCipherSuitesOrder(true);
      if (clientAuth == ClientAuth.REQUIRED && !parameters.getNeedClientAuth()) {
        parameters.setNeedClientAuth(true);
      } else if (clientAuth == ClientAuth.OPTIONAL && !parameters.getNeedClientAuth()
          && !parameters.getWantClientAuth()) {
        parameters.setWantClientAuth(true);
      }
    }
    parameters.setAlgorithmConstraints(HandshakeSignatures.with(parameters.getAlgorithmConstraints()));
    if (namedGroups != null && JdkNamedGroups.isSupported()) {
      JdkNamedGroups.set(parameters, namedGroups(JdkNamedGroups.get(parameters)));
    }
    if (!bouncyCastle) {
      JdkSignatureSchemes.apply(parameters, signatureSchemes);
    }
  }

  /**
   * The key-exchange groups of the policy, as the provider has them.
   *
   * @return the groups, most preferred first, or {@code null} where the provider cannot take
   *     them per connection and offers its own
   */
  public @Nullable List<String> namedGroups() {
    return namedGroups;
  }

  /**
   * The groups of a request that the policy allows.
   *
   * @param requested what a container asks for; {@code null} asks for none in particular
   * @return the allowed ones in the order asked for, or the policy's for {@code null}
   * @throws IllegalArgumentException when none is allowed
   */
  List<String> namedGroups(String @Nullable [] requested) {
    List<String> allowed = java.util.Objects.requireNonNull(namedGroups, "namedGroups");
    return requested == null ? allowed : Arrays.asList(narrow(requested, allowed, "key-exchange groups"));
  }

  /**
   * Sets the starting parameters on a new engine of the provider.
   *
   * @param engine the provider's engine
   */
  public void configure(SSLEngine engine) {
    engine.setUseClientMode(clientMode());
    engine.setSSLParameters(defaults());
    restrictProvider(engine);
  }

  /**
   * Sets the starting parameters on a new socket of the provider.
   *
   * @param socket the provider's socket
   */
  public void configure(SSLSocket socket) {
    socket.setUseClientMode(clientMode());
    socket.setSSLParameters(defaults());
    restrictProvider(socket);
  }

  /**
   * Sets what the JSSE parameters cannot carry (Bouncy Castle's signature schemes); to be
   * called after every {@code setSSLParameters} on a provider's engine or socket.
   *
   * @param engineOrSocket the provider's engine or socket
   */
  public void restrictProvider(Object engineOrSocket) {
    if (bouncyCastle) {
      List<String> groups = namedGroups == null ? null : namedGroups(BcJsse.namedGroups(engineOrSocket));
      BcJsse.restrict(engineOrSocket, signatureSchemes, groups, role == MtlsContext.Role.SERVER);
    }
  }

  /**
   * Raises a server engine's client auth back to the context's mode after a container
   * lowered it.
   *
   * @param engine the provider's engine
   */
  public void raiseClientAuth(SSLEngine engine) {
    if (role != MtlsContext.Role.SERVER) {
      return;
    }
    if (clientAuth == ClientAuth.REQUIRED && !engine.getNeedClientAuth()) {
      engine.setNeedClientAuth(true);
    } else if (clientAuth == ClientAuth.OPTIONAL && !engine.getNeedClientAuth() && !engine.getWantClientAuth()) {
      engine.setWantClientAuth(true);
    }
  }

  /**
   * Raises a server socket's client auth back to the context's mode after a container
   * lowered it.
   *
   * @param socket the provider's socket
   */
  public void raiseClientAuth(SSLSocket socket) {
    if (role != MtlsContext.Role.SERVER) {
      return;
    }
    if (clientAuth == ClientAuth.REQUIRED && !socket.getNeedClientAuth()) {
      socket.setNeedClientAuth(true);
    } else if (clientAuth == ClientAuth.OPTIONAL && !socket.getNeedClientAuth() && !socket.getWantClientAuth()) {
      socket.setWantClientAuth(true);
    }
  }

  private static String[] narrow(String @Nullable [] requested, List<String> allowed, String what) {
    if (requested == null) {
      throw new IllegalArgumentException(what + " must not be null");
    }
    List<String> kept = new ArrayList<>(requested.length);
    for (String name : requested) {
      if (name != null && allowed.contains(name) && !kept.contains(name)) {
        kept.add(name);
      }
    }
    if (kept.isEmpty()) {
      throw new IllegalArgumentException("none of the " + what + " asked for " + Arrays.toString(requested)
          + " is allowed by the mtls context's TLS policy, which allows " + allowed
          + "; ask for some of those, or build the context with another TlsPolicy");
    }
    return kept.toArray(new String[0]);
  }

  private static String[] orEmpty(String @Nullable [] names) {
    return names == null ? new String[0] : names;
  }

  @Override
  public String toString() {
    return "TlsRules{" + role + ", " + policy + (role == MtlsContext.Role.SERVER ? ", clientAuth " + clientAuth : "")
        + ", groups " + (namedGroups == null ? "the provider's own" : namedGroups) + "}";
  }
}
