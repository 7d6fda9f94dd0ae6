package dev.mtls.core.internal.tls;

import java.io.IOException;
import java.net.Socket;
import java.util.function.Supplier;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A TLS server socket that accepts a plain TCP connection and layers TLS over it (server
 * mode) with whatever {@code SSLContext} the mtls context uses at that moment. Every
 * accepted socket is a {@link PolicySocket}. What a caller sets on the server socket
 * (suites, protocols, client auth, whole {@link SSLParameters}) is kept for the sockets it
 * accepts, narrowed to the context's {@link TlsRules} as an engine's settings are: a
 * request the rules leave nothing of is refused, client auth never drops below the
 * context's mode.
 */
final class LayeringServerSocket extends SSLServerSocket {
  private final Supplier<SSLSocketFactory> layers;
  private final TlsRules rules;
  /** What accepted sockets get; replaced whole, under this socket's lock. */
  private volatile SSLParameters template;
  private volatile boolean sessionCreation = true;

  LayeringServerSocket(Supplier<SSLSocketFactory> layers, TlsRules rules) throws IOException {
    super();
    this.layers = layers;
    this.rules = rules;
    this.template = rules.defaults();
  }

  @Override
  public Socket accept() throws IOException {
    Socket plain = new Socket();
    implAccept(plain);
    try {
      SSLSocket tls = (SSLSocket) layers.get().createSocket(plain, null, plain.getPort(), true);
      PolicySocket accepted = new PolicySocket(tls, rules);
      accepted.setSSLParameters(template);
      accepted.setEnableSessionCreation(sessionCreation);
      return accepted;
    } catch (IOException | RuntimeException e) {
      plain.close();
      throw e;
    }
  }

  @Override
  public String[] getEnabledCipherSuites() {
    return template.getCipherSuites().clone();
  }

  /** Enables, for the sockets accepted from now on, the requested suites the policy allows. */
  @Override
  public synchronized void setEnabledCipherSuites(String[] suites) {
    SSLParameters next = copy();
    next.setCipherSuites(rules.cipherSuites(suites));
    template = next;
  }

  /** The policy's suites: nothing else can be enabled. */
  @Override
  public String[] getSupportedCipherSuites() {
    return rules.cipherSuites();
  }

  /** The policy's protocols: nothing else can be enabled. */
  @Override
  public String[] getSupportedProtocols() {
    return rules.protocols();
  }

  @Override
  public String[] getEnabledProtocols() {
    return template.getProtocols().clone();
  }

  /** Enables, for the sockets accepted from now on, the requested protocols the policy allows. */
  @Override
  public synchronized void setEnabledProtocols(String[] protocols) {
    SSLParameters next = copy();
    next.setProtocols(rules.protocols(protocols));
    template = next;
  }

  /** Sets the flag, then raises client auth back to the context's mode if that lowered it. */
  @Override
  public synchronized void setNeedClientAuth(boolean need) {
    SSLParameters next = copy();
    next.setNeedClientAuth(need);
    rules.keep(next);
    template = next;
  }

  @Override
  public boolean getNeedClientAuth() {
    return template.getNeedClientAuth();
  }

  /** Sets the flag, then raises client auth back to the context's mode if that lowered it. */
  @Override
  public synchronized void setWantClientAuth(boolean want) {
    SSLParameters next = copy();
    next.setWantClientAuth(want);
    rules.keep(next);
    template = next;
  }

  @Override
  public boolean getWantClientAuth() {
    return template.getWantClientAuth();
  }

  /** Accepts server mode only. */
  @Override
  public void setUseClientMode(boolean mode) {
    rules.checkMode(mode);
  }

  @Override
  public boolean getUseClientMode() {
    return false;
  }

  @Override
  public void setEnableSessionCreation(boolean flag) {
    sessionCreation = flag;
  }

  @Override
  public boolean getEnableSessionCreation() {
    return sessionCreation;
  }

  @Override
  public SSLParameters getSSLParameters() {
    return copy();
  }

  /**
   * Keeps the parameters for the sockets accepted from now on, narrowed to the context's
   * rules; parameters the rules refuse leave the server socket as it was. Protocols or
   * suites left {@code null} keep the current ones.
   */
  @Override
  public synchronized void setSSLParameters(SSLParameters parameters) {
    // Read back through a real socket, so every field the provider knows is carried over.
    try (SSLSocket sample = (SSLSocket) layers.get().createSocket()) {
      PolicySocket socket = new PolicySocket(sample, rules);
      socket.setSSLParameters(template);
      socket.setSSLParameters(parameters);
      template = socket.getSSLParameters();
    } catch (IOException e) {
      throw new IllegalStateException("cannot apply the SSL parameters: " + e.getMessage(), e);
    }
  }

  private SSLParameters copy() {
    try (SSLSocket sample = (SSLSocket) layers.get().createSocket()) {
      sample.setUseClientMode(false);
      sample.setSSLParameters(template);
      return sample.getSSLParameters();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the SSL parameters: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "mtls " + super.toString();
  }
}
