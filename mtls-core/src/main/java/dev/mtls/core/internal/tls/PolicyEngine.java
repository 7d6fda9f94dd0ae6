package dev.mtls.core.internal.tls;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.BiFunction;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;

/**
 * An engine of the provider behind the context's {@link TlsRules}: everything forwards to
 * the provider's engine, but whatever a container sets (protocols, suites, client auth,
 * endpoint identification, whole {@link SSLParameters}) is narrowed to the rules first, so
 * the policy wins over a container's own defaults.
 *
 * <p>On a server it also keeps a connection to one handshake (the client's hello for a second
 * one is refused before the provider reads it, and the engine closed: see {@code
 * ClientRecords}), and reports a client refused for sending no certificate to the context's
 * listeners, once.
 *
 * <p>The class is not in {@code java.base}: frameworks that do ALPN only with engines of
 * the JDK's own classes (Jetty's HTTP/2 ALPN processor) do not negotiate ALPN through it.
 * The four ALPN methods forward, so frameworks that use them (the JDK's {@code HttpClient},
 * Netty's {@code JdkSslContext}, Tomcat) work.
 */
public final class PolicyEngine extends SSLEngine {
  private final SSLEngine engine;
  private final TlsRules rules;
  private volatile @Nullable BiFunction<SSLEngine, List<String>, String> selector;
  /** What the client sends, followed on a server engine; {@code null} on a client's. */
  private final @Nullable ClientRecords records;
  private volatile boolean handshaken;
  private volatile boolean refusalReported;

  /**
   * Wraps a new engine of the provider and gives it the context's starting parameters.
   *
   * @param engine a new engine of the provider, not yet used
   * @param rules the context's rules
   */
  public PolicyEngine(SSLEngine engine, TlsRules rules) {
    super(engine.getPeerHost(), engine.getPeerPort());
    this.engine = engine;
    this.rules = rules;
    this.records = rules.clientMode() ? null : new ClientRecords();
    rules.configure(engine);
  }

  /** The provider's engine, for tests that read provider-specific parameters. */
  SSLEngine provided() {
    return engine;
  }

  @Override
  public SSLEngineResult wrap(ByteBuffer src, ByteBuffer dst) throws SSLException {
    return wrapped(() -> engine.wrap(src, dst));
  }

  @Override
  public SSLEngineResult wrap(ByteBuffer[] srcs, ByteBuffer dst) throws SSLException {
    return wrapped(() -> engine.wrap(srcs, dst));
  }

  @Override
  public SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst) throws SSLException {
    return wrapped(() -> engine.wrap(srcs, offset, length, dst));
  }

  @Override
  public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer dst) throws SSLException {
    return unwrapped(src, () -> engine.unwrap(src, dst));
  }

  @Override
  public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts) throws SSLException {
    return unwrapped(src, () -> engine.unwrap(src, dsts));
  }

  @Override
  public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length) throws SSLException {
    return unwrapped(src, () -> engine.unwrap(src, dsts, offset, length));
  }

  private SSLEngineResult wrapped(Call call) throws SSLException {
    try {
      return handshakeSeen(call.run());
    } catch (SSLException e) {
      throw reported(e);
    }
  }

  private SSLEngineResult unwrapped(ByteBuffer src, Call call) throws SSLException {
    ClientRecords watched = records;
    if (watched == null) {
      return wrapped(call);
    }
    int start = src.position();
    try {
      watched.checkNext(src);
      SSLEngineResult result = call.run();
      watched.read(src, start, start + result.bytesConsumed());
      return handshakeSeen(result);
    } catch (ClientRecords.Refused e) {
      engine.closeOutbound();
      throw e;
    } catch (SSLException e) {
      throw reported(e);
    }
  }

  private SSLEngineResult handshakeSeen(SSLEngineResult result) {
    if (result.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.FINISHED) {
      handshaken = true;
    }
    return result;
  }

  /** Reports a client refused for sending no certificate, once per engine; returns the failure. */
  private SSLException reported(SSLException failure) {
    if (!refusalReported && rules.reportIfNoClientCertificate(failure, peer())) {
      refusalReported = true;
    }
    return failure;
  }

  private @Nullable String peer() {
    String host = engine.getPeerHost();
    return host == null ? null : host + ":" + engine.getPeerPort();
  }

  /** An engine's wrap or unwrap. */
  @FunctionalInterface
  private interface Call {
    SSLEngineResult run() throws SSLException;
  }

  @Override
  public @Nullable Runnable getDelegatedTask() {
    return engine.getDelegatedTask();
  }

  @Override
  public void closeInbound() throws SSLException {
    engine.closeInbound();
  }

  @Override
  public boolean isInboundDone() {
    return engine.isInboundDone();
  }

  @Override
  public void closeOutbound() {
    engine.closeOutbound();
  }

  @Override
  public boolean isOutboundDone() {
    return engine.isOutboundDone();
  }

  /** The policy's suites: nothing else can be enabled. */
  @Override
  public String[] getSupportedCipherSuites() {
    return rules.cipherSuites();
  }

  @Override
  public String[] getEnabledCipherSuites() {
    return engine.getEnabledCipherSuites();
  }

  /** Enables the requested suites that the policy allows. */
  @Override
  public void setEnabledCipherSuites(String[] suites) {
    engine.setEnabledCipherSuites(rules.cipherSuites(suites));
  }

  /** The policy's protocols: nothing else can be enabled. */
  @Override
  public String[] getSupportedProtocols() {
    return rules.protocols();
  }

  @Override
  public String[] getEnabledProtocols() {
    return engine.getEnabledProtocols();
  }

  /** Enables the requested protocols that the policy allows. */
  @Override
  public void setEnabledProtocols(String[] protocols) {
    engine.setEnabledProtocols(rules.protocols(protocols));
  }

  @Override
  public SSLSession getSession() {
    return engine.getSession();
  }

  @Override
  public @Nullable SSLSession getHandshakeSession() {
    return engine.getHandshakeSession();
  }

  /**
   * Forwards; on a server whose TLS 1.2 handshake is done, refuses: that would be a
   * renegotiation (in TLS 1.3 it asks for a key update, which passes).
   */
  @Override
  public void beginHandshake() throws SSLException {
    if (records != null && handshaken && "TLSv1.2".equals(engine.getSession().getProtocol())) {
      throw new SSLHandshakeException("renegotiation is refused: an mtls server connection does one handshake");
    }
    engine.beginHandshake();
  }

  @Override
  public SSLEngineResult.HandshakeStatus getHandshakeStatus() {
    return engine.getHandshakeStatus();
  }

  /** Accepts this context's own mode only. */
  @Override
  public void setUseClientMode(boolean mode) {
    rules.checkMode(mode);
    engine.setUseClientMode(mode);
  }

  @Override
  public boolean getUseClientMode() {
    return engine.getUseClientMode();
  }

  /** Sets the flag, then raises client auth back to the context's mode if that lowered it. */
  @Override
  public void setNeedClientAuth(boolean need) {
    engine.setNeedClientAuth(need);
    rules.raiseClientAuth(engine);
  }

  @Override
  public boolean getNeedClientAuth() {
    return engine.getNeedClientAuth();
  }

  /** Sets the flag, then raises client auth back to the context's mode if that lowered it. */
  @Override
  public void setWantClientAuth(boolean want) {
    engine.setWantClientAuth(want);
    rules.raiseClientAuth(engine);
  }

  @Override
  public boolean getWantClientAuth() {
    return engine.getWantClientAuth();
  }

  @Override
  public void setEnableSessionCreation(boolean flag) {
    engine.setEnableSessionCreation(flag);
  }

  @Override
  public boolean getEnableSessionCreation() {
    return engine.getEnableSessionCreation();
  }

  @Override
  public SSLParameters getSSLParameters() {
    return engine.getSSLParameters();
  }

  /**
   * Sets the parameters, then narrows what the engine ended up with to the context's rules.
   * Parameters the rules refuse leave the engine as it was.
   */
  @Override
  public void setSSLParameters(SSLParameters parameters) {
    SSLParameters before = engine.getSSLParameters();
    try {
      engine.setSSLParameters(parameters);
      SSLParameters kept = engine.getSSLParameters();
      rules.keep(kept);
      engine.setSSLParameters(kept);
      rules.restrictProvider(engine);
    } catch (RuntimeException e) {
      engine.setSSLParameters(before);
      rules.restrictProvider(engine);
      throw e;
    }
  }

  @Override
  public @Nullable String getApplicationProtocol() {
    return engine.getApplicationProtocol();
  }

  @Override
  public @Nullable String getHandshakeApplicationProtocol() {
    return engine.getHandshakeApplicationProtocol();
  }

  /** Forwards, handing the selector this engine rather than the provider's. */
  @Override
  public void setHandshakeApplicationProtocolSelector(
      @Nullable BiFunction<SSLEngine, List<String>, String> selector) {
    this.selector = selector;
    engine.setHandshakeApplicationProtocolSelector(
        selector == null ? null : (provided, protocols) -> selector.apply(this, protocols));
  }

  @Override
  public @Nullable BiFunction<SSLEngine, List<String>, String> getHandshakeApplicationProtocolSelector() {
    return selector;
  }

  @Override
  public String toString() {
    return "mtls " + engine;
  }
}
