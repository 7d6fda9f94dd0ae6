package dev.mtls.core.internal.tls;

import java.io.IOException;
import java.net.Socket;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A TLS server socket that accepts a plain TCP connection and layers TLS over it (server
 * mode) with whatever {@code SSLContext} the mtls context uses at that moment. The
 * parameters are the context's: what the {@code SSLServerSocket} setters would change is
 * fixed by the context's policy, and the setters refuse to loosen it.
 */
final class LayeringServerSocket extends SSLServerSocket {
  private final Supplier<SSLSocketFactory> layers;
  private final Consumer<SSLSocket> configure;
  private final String[] cipherSuites;

  LayeringServerSocket(Supplier<SSLSocketFactory> layers, Consumer<SSLSocket> configure, String[] cipherSuites)
      throws IOException {
    super();
    this.layers = layers;
    this.configure = configure;
    this.cipherSuites = cipherSuites.clone();
  }

  @Override
  public Socket accept() throws IOException {
    Socket plain = new Socket();
    implAccept(plain);
    try {
      SSLSocket tls = (SSLSocket) layers.get().createSocket(plain, null, plain.getPort(), true);
      configure.accept(tls);
      return tls;
    } catch (IOException | RuntimeException e) {
      plain.close();
      throw e;
    }
  }

  @Override
  public String[] getEnabledCipherSuites() {
    return cipherSuites.clone();
  }

  @Override
  public void setEnabledCipherSuites(String[] suites) {
    throw unsupported("cipher suites");
  }

  @Override
  public String[] getSupportedCipherSuites() {
    return cipherSuites.clone();
  }

  @Override
  public String[] getSupportedProtocols() {
    return fromSample(SSLSocket::getEnabledProtocols);
  }

  @Override
  public String[] getEnabledProtocols() {
    return fromSample(SSLSocket::getEnabledProtocols);
  }

  @Override
  public void setEnabledProtocols(String[] protocols) {
    throw unsupported("protocols");
  }

  @Override
  public void setNeedClientAuth(boolean need) {
    throw unsupported("client auth");
  }

  @Override
  public boolean getNeedClientAuth() {
    return fromSample(SSLSocket::getNeedClientAuth);
  }

  @Override
  public void setWantClientAuth(boolean want) {
    throw unsupported("client auth");
  }

  @Override
  public boolean getWantClientAuth() {
    return fromSample(SSLSocket::getWantClientAuth);
  }

  @Override
  public void setUseClientMode(boolean mode) {
    if (mode) {
      throw unsupported("client mode");
    }
  }

  @Override
  public boolean getUseClientMode() {
    return false;
  }

  @Override
  public void setEnableSessionCreation(boolean flag) {
    if (!flag) {
      throw unsupported("session creation");
    }
  }

  @Override
  public boolean getEnableSessionCreation() {
    return true;
  }

  @Override
  public SSLParameters getSSLParameters() {
    return fromSample(SSLSocket::getSSLParameters);
  }

  @Override
  public void setSSLParameters(SSLParameters parameters) {
    throw unsupported("SSL parameters");
  }

  /** What an accepted socket gets, read off an unconnected socket configured the same way. */
  private <T> T fromSample(Function<SSLSocket, T> read) {
    try (SSLSocket socket = (SSLSocket) layers.get().createSocket()) {
      configure.accept(socket);
      return read.apply(socket);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the context's parameters", e);
    }
  }

  private static UnsupportedOperationException unsupported(String what) {
    return new UnsupportedOperationException("the mtls context fixes the " + what
        + " of its server sockets; change its TlsPolicy or ClientAuth instead");
  }

  @Override
  public String toString() {
    return "mtls " + super.toString();
  }
}
