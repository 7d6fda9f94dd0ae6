package dev.mtls.core;

import dev.mtls.core.internal.tls.BcJsse;
import dev.mtls.core.internal.tls.ConfiguredSocketFactory;
import dev.mtls.core.internal.tls.JdkSignatureSchemes;
import dev.mtls.core.internal.tls.LayeringServerSocketFactory;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The JSSE side of a context: the {@link SSLContext} over the library's key and trust
 * managers, the parameters every engine and socket gets, and the engines and sockets
 * themselves.
 *
 * <p>After trust anchors or revocation data change, {@link #renew()} replaces the
 * {@code SSLContext} with a fresh one over the same managers: its session caches and
 * session-ticket keys are new, so no peer can resume a session made before the change
 * (resumption skips the trust manager, and the JDK's stateless tickets cannot be revoked one
 * by one). Engines and sockets made through this class always use the current one.
 */
final class JsseContext {
  private final MtlsContext.Role role;
  private final TlsProvider provider;
  private final TlsPolicy tlsPolicy;
  private final ClientAuth clientAuth;
  private final KeyManager[] keyManagers;
  private final TrustManager[] trustManagers;
  private volatile SSLContext current;

  JsseContext(MtlsContext.Role role, TlsProvider provider, TlsPolicy tlsPolicy, ClientAuth clientAuth,
      KeyManager[] keyManagers, TrustManager[] trustManagers) {
    this.role = role;
    this.provider = provider;
    this.tlsPolicy = tlsPolicy;
    this.clientAuth = clientAuth;
    this.keyManagers = keyManagers.clone();
    this.trustManagers = trustManagers.clone();
    this.current = newSslContext();
    checkPolicySupported(current);
  }

  SSLContext sslContext() {
    return current;
  }

  /** Replaces the SSL context with a fresh one: new session caches, new ticket keys. */
  void renew() {
    current = newSslContext();
  }

  SSLParameters parameters() {
    SSLParameters parameters = new SSLParameters(
        tlsPolicy.cipherSuites().toArray(new String[0]), tlsPolicy.protocols().toArray(new String[0]));
    if (role == MtlsContext.Role.SERVER) {
      parameters.setUseCipherSuitesOrder(true);
      if (clientAuth == ClientAuth.REQUIRED) {
        parameters.setNeedClientAuth(true);
      } else if (clientAuth == ClientAuth.OPTIONAL) {
        parameters.setWantClientAuth(true);
      }
    }
    // A client's server-identity rule decides in the trust manager, host name check included:
    // endpoint identification is left to whoever makes an engine (it can add, never remove).
    if (provider == TlsProvider.JDK) {
      JdkSignatureSchemes.apply(parameters, TlsPolicy.SIGNATURE_SCHEMES);
    }
    return parameters;
  }

  SSLEngine newServerEngine() {
    SSLEngine engine = current.createSSLEngine();
    engine.setUseClientMode(false);
    configure(engine);
    return engine;
  }

  SSLEngine newClientEngine(String host, int port) {
    // The JSSE derives the server name (SNI) from the host; the parameters leave it be.
    SSLEngine engine = current.createSSLEngine(host, port);
    engine.setUseClientMode(true);
    configure(engine);
    return engine;
  }

  SSLSocketFactory socketFactory() {
    return new ConfiguredSocketFactory(() -> current.getSocketFactory(), this::configure, suites());
  }

  SSLServerSocketFactory serverSocketFactory() {
    return new LayeringServerSocketFactory(() -> current.getSocketFactory(), this::configureAccepted, suites());
  }

  private void configure(SSLEngine engine) {
    engine.setSSLParameters(parameters());
    if (provider == TlsProvider.BOUNCY_CASTLE) {
      BcJsse.restrictSignatureSchemes(engine, TlsPolicy.SIGNATURE_SCHEMES);
    }
  }

  private void configure(SSLSocket socket) {
    // A client socket made for a host already carries it as peer host and server name (SNI).
    socket.setUseClientMode(role == MtlsContext.Role.CLIENT);
    applyParameters(socket);
  }

  private void configureAccepted(SSLSocket socket) {
    socket.setUseClientMode(false);
    applyParameters(socket);
  }

  private void applyParameters(SSLSocket socket) {
    socket.setSSLParameters(parameters());
    if (provider == TlsProvider.BOUNCY_CASTLE) {
      BcJsse.restrictSignatureSchemes(socket, TlsPolicy.SIGNATURE_SCHEMES);
    }
  }

  private String[] suites() {
    return tlsPolicy.cipherSuites().toArray(new String[0]);
  }

  private SSLContext newSslContext() {
    try {
      SSLContext context = provider == TlsProvider.BOUNCY_CASTLE
          ? BcJsse.newSslContext()
          : SSLContext.getInstance("TLS");
      context.init(keyManagers, trustManagers, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new MtlsException("cannot create a TLS context with provider " + provider + ": " + e.getMessage(), e);
    }
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
