package dev.mtls.core.internal.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import javax.net.ssl.HandshakeCompletedEvent;
import javax.net.ssl.HandshakeCompletedListener;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/**
 * A socket of the provider behind the context's {@link TlsRules}, as {@link PolicyEngine} is
 * for engines: everything forwards to the provider's socket, but what a caller sets
 * (protocols, suites, client auth, endpoint identification, whole {@link SSLParameters}) is
 * narrowed to the rules first.
 */
public final class PolicySocket extends SSLSocket {
  private final SSLSocket socket;
  private final TlsRules rules;
  private final Map<HandshakeCompletedListener, HandshakeCompletedListener> listeners = new ConcurrentHashMap<>();
  private volatile @Nullable BiFunction<SSLSocket, List<String>, String> selector;

  /**
   * Wraps a new socket of the provider and gives it the context's starting parameters.
   *
   * @param socket a new socket of the provider, before its handshake
   * @param rules the context's rules
   */
  public PolicySocket(SSLSocket socket, TlsRules rules) {
    this.socket = socket;
    this.rules = rules;
    rules.configure(socket);
  }

  // --- TLS ---------------------------------------------------------------------------

  /** The policy's suites: nothing else can be enabled. */
  @Override
  public String[] getSupportedCipherSuites() {
    return rules.cipherSuites();
  }

  @Override
  public String[] getEnabledCipherSuites() {
    return socket.getEnabledCipherSuites();
  }

  /** Enables the requested suites that the policy allows. */
  @Override
  public void setEnabledCipherSuites(String[] suites) {
    socket.setEnabledCipherSuites(rules.cipherSuites(suites));
  }

  /** The policy's protocols: nothing else can be enabled. */
  @Override
  public String[] getSupportedProtocols() {
    return rules.protocols();
  }

  @Override
  public String[] getEnabledProtocols() {
    return socket.getEnabledProtocols();
  }

  /** Enables the requested protocols that the policy allows. */
  @Override
  public void setEnabledProtocols(String[] protocols) {
    socket.setEnabledProtocols(rules.protocols(protocols));
  }

  @Override
  public SSLSession getSession() {
    return socket.getSession();
  }

  @Override
  public @Nullable SSLSession getHandshakeSession() {
    return socket.getHandshakeSession();
  }

  /** Forwards; the listener hears of this socket rather than the provider's. */
  @Override
  public void addHandshakeCompletedListener(HandshakeCompletedListener listener) {
    if (listener == null) {
      throw new IllegalArgumentException("listener is null");
    }
    HandshakeCompletedListener forwarding = event -> listener.handshakeCompleted(
        new HandshakeCompletedEvent(this, event.getSession()));
    if (listeners.putIfAbsent(listener, forwarding) == null) {
      socket.addHandshakeCompletedListener(forwarding);
    }
  }

  @Override
  public void removeHandshakeCompletedListener(HandshakeCompletedListener listener) {
    if (listener == null) {
      throw new IllegalArgumentException("listener is null");
    }
    HandshakeCompletedListener forwarding = listeners.remove(listener);
    if (forwarding == null) {
      throw new IllegalArgumentException("listener not registered");
    }
    socket.removeHandshakeCompletedListener(forwarding);
  }

  @Override
  public void startHandshake() throws IOException {
    socket.startHandshake();
  }

  /** Accepts this context's own mode only. */
  @Override
  public void setUseClientMode(boolean mode) {
    rules.checkMode(mode);
    socket.setUseClientMode(mode);
  }

  @Override
  public boolean getUseClientMode() {
    return socket.getUseClientMode();
  }

  /** Sets the flag, then raises client auth back to the context's mode if that lowered it. */
  @Override
  public void setNeedClientAuth(boolean need) {
    socket.setNeedClientAuth(need);
    rules.raiseClientAuth(socket);
  }

  @Override
  public boolean getNeedClientAuth() {
    return socket.getNeedClientAuth();
  }

  /** Sets the flag, then raises client auth back to the context's mode if that lowered it. */
  @Override
  public void setWantClientAuth(boolean want) {
    socket.setWantClientAuth(want);
    rules.raiseClientAuth(socket);
  }

  @Override
  public boolean getWantClientAuth() {
    return socket.getWantClientAuth();
  }

  @Override
  public void setEnableSessionCreation(boolean flag) {
    socket.setEnableSessionCreation(flag);
  }

  @Override
  public boolean getEnableSessionCreation() {
    return socket.getEnableSessionCreation();
  }

  @Override
  public SSLParameters getSSLParameters() {
    return socket.getSSLParameters();
  }

  /**
   * Sets the parameters, then narrows what the socket ended up with to the context's rules.
   * Parameters the rules refuse leave the socket as it was.
   */
  @Override
  public void setSSLParameters(SSLParameters parameters) {
    SSLParameters before = socket.getSSLParameters();
    try {
      socket.setSSLParameters(parameters);
      SSLParameters kept = socket.getSSLParameters();
      rules.keep(kept);
      socket.setSSLParameters(kept);
      rules.restrictProvider(socket);
    } catch (RuntimeException e) {
      socket.setSSLParameters(before);
      rules.restrictProvider(socket);
      throw e;
    }
  }

  @Override
  public @Nullable String getApplicationProtocol() {
    return socket.getApplicationProtocol();
  }

  @Override
  public @Nullable String getHandshakeApplicationProtocol() {
    return socket.getHandshakeApplicationProtocol();
  }

  /** Forwards, handing the selector this socket rather than the provider's. */
  @Override
  public void setHandshakeApplicationProtocolSelector(
      @Nullable BiFunction<SSLSocket, List<String>, String> selector) {
    this.selector = selector;
    socket.setHandshakeApplicationProtocolSelector(
        selector == null ? null : (provided, protocols) -> selector.apply(this, protocols));
  }

  @Override
  public @Nullable BiFunction<SSLSocket, List<String>, String> getHandshakeApplicationProtocolSelector() {
    return selector;
  }

  // --- the socket underneath: all forwarded ------------------------------------------

  @Override
  public void connect(SocketAddress endpoint) throws IOException {
    socket.connect(endpoint);
  }

  @Override
  public void connect(SocketAddress endpoint, int timeout) throws IOException {
    socket.connect(endpoint, timeout);
  }

  @Override
  public void bind(@Nullable SocketAddress bindpoint) throws IOException {
    socket.bind(bindpoint);
  }

  @Override
  public @Nullable InetAddress getInetAddress() {
    return socket.getInetAddress();
  }

  @Override
  public InetAddress getLocalAddress() {
    return socket.getLocalAddress();
  }

  @Override
  public int getPort() {
    return socket.getPort();
  }

  @Override
  public int getLocalPort() {
    return socket.getLocalPort();
  }

  @Override
  public @Nullable SocketAddress getRemoteSocketAddress() {
    return socket.getRemoteSocketAddress();
  }

  @Override
  public @Nullable SocketAddress getLocalSocketAddress() {
    return socket.getLocalSocketAddress();
  }

  @Override
  public @Nullable SocketChannel getChannel() {
    return socket.getChannel();
  }

  @Override
  public InputStream getInputStream() throws IOException {
    return socket.getInputStream();
  }

  @Override
  public OutputStream getOutputStream() throws IOException {
    return socket.getOutputStream();
  }

  @Override
  public void setTcpNoDelay(boolean on) throws SocketException {
    socket.setTcpNoDelay(on);
  }

  @Override
  public boolean getTcpNoDelay() throws SocketException {
    return socket.getTcpNoDelay();
  }

  @Override
  public void setSoLinger(boolean on, int linger) throws SocketException {
    socket.setSoLinger(on, linger);
  }

  @Override
  public int getSoLinger() throws SocketException {
    return socket.getSoLinger();
  }

  @Override
  public void sendUrgentData(int data) throws IOException {
    socket.sendUrgentData(data);
  }

  @Override
  public void setOOBInline(boolean on) throws SocketException {
    socket.setOOBInline(on);
  }

  @Override
  public boolean getOOBInline() throws SocketException {
    return socket.getOOBInline();
  }

  @Override
  public void setSoTimeout(int timeout) throws SocketException {
    socket.setSoTimeout(timeout);
  }

  @Override
  public int getSoTimeout() throws SocketException {
    return socket.getSoTimeout();
  }

  @Override
  public void setSendBufferSize(int size) throws SocketException {
    socket.setSendBufferSize(size);
  }

  @Override
  public int getSendBufferSize() throws SocketException {
    return socket.getSendBufferSize();
  }

  @Override
  public void setReceiveBufferSize(int size) throws SocketException {
    socket.setReceiveBufferSize(size);
  }

  @Override
  public int getReceiveBufferSize() throws SocketException {
    return socket.getReceiveBufferSize();
  }

  @Override
  public void setKeepAlive(boolean on) throws SocketException {
    socket.setKeepAlive(on);
  }

  @Override
  public boolean getKeepAlive() throws SocketException {
    return socket.getKeepAlive();
  }

  @Override
  public void setTrafficClass(int tc) throws SocketException {
    socket.setTrafficClass(tc);
  }

  @Override
  public int getTrafficClass() throws SocketException {
    return socket.getTrafficClass();
  }

  @Override
  public void setReuseAddress(boolean on) throws SocketException {
    socket.setReuseAddress(on);
  }

  @Override
  public boolean getReuseAddress() throws SocketException {
    return socket.getReuseAddress();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  @Override
  public void shutdownInput() throws IOException {
    socket.shutdownInput();
  }

  @Override
  public void shutdownOutput() throws IOException {
    socket.shutdownOutput();
  }

  @Override
  public boolean isConnected() {
    return socket.isConnected();
  }

  @Override
  public boolean isBound() {
    return socket.isBound();
  }

  @Override
  public boolean isClosed() {
    return socket.isClosed();
  }

  @Override
  public boolean isInputShutdown() {
    return socket.isInputShutdown();
  }

  @Override
  public boolean isOutputShutdown() {
    return socket.isOutputShutdown();
  }

  @Override
  public void setPerformancePreferences(int connectionTime, int latency, int bandwidth) {
    socket.setPerformancePreferences(connectionTime, latency, bandwidth);
  }

  @Override
  public <T> PolicySocket setOption(SocketOption<T> name, T value) throws IOException {
    socket.setOption(name, value);
    return this;
  }

  @Override
  public <T> T getOption(SocketOption<T> name) throws IOException {
    return socket.getOption(name);
  }

  @Override
  public Set<SocketOption<?>> supportedOptions() {
    return socket.supportedOptions();
  }

  @Override
  public String toString() {
    return "mtls " + socket;
  }
}
