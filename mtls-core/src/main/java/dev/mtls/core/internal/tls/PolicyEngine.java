package dev.mtls.core.internal.tls;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.BiFunction;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;

/**
 * An engine of the provider behind the context's {@link TlsRules}: everything forwards to
 * the provider's engine, but whatever a container sets (protocols, suites, client auth,
 * endpoint identification, whole {@link SSLParameters}) is narrowed to the rules first, so
 * the policy wins over a container's own defaults.
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
    rules.configure(engine);
  }

  /** The provider's engine, for tests that read provider-specific parameters. */
  SSLEngine provided() {
    return engine;
  }

  @Override
  public SSLEngineResult wrap(ByteBuffer src, ByteBuffer dst) throws SSLException {
    return engine.wrap(src, dst);
  }

  @Override
  public SSLEngineResult wrap(ByteBuffer[] srcs, ByteBuffer dst) throws SSLException {
    return engine.wrap(srcs, dst);
  }

  @Override
  public SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst) throws SSLException {
    return engine.wrap(srcs, offset, length, dst);
  }

  @Override
  public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer dst) throws SSLException {
    return engine.unwrap(src, dst);
  }

  @Override
  public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts) throws SSLException {
    return engine.unwrap(src, dsts);
  }

  @Override
  public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length) throws SSLException {
    return engine.unwrap(src, dsts, offset, length);
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

  @Override
  public void beginHandshake() throws SSLException {
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
