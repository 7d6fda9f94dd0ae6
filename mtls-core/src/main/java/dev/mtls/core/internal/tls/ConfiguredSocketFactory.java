package dev.mtls.core.internal.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.function.Supplier;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A socket factory whose sockets come from the context's current {@code SSLContext} and
 * keep its {@link TlsRules} (as {@link PolicySocket}s): protocols, suites, client auth and
 * endpoint identification start as the context's, and whatever a caller sets later is
 * narrowed to them.
 */
public final class ConfiguredSocketFactory extends SSLSocketFactory {
  private final Supplier<SSLSocketFactory> delegate;
  private final TlsRules rules;

  /**
   * Wraps a factory.
   *
   * @param delegate the provider's factory of the context in use now, asked for every socket
   * @param rules what every socket keeps
   */
  public ConfiguredSocketFactory(Supplier<SSLSocketFactory> delegate, TlsRules rules) {
    this.delegate = delegate;
    this.rules = rules;
  }

  @Override
  public String[] getDefaultCipherSuites() {
    return rules.cipherSuites();
  }

  @Override
  public String[] getSupportedCipherSuites() {
    return rules.cipherSuites();
  }

  @Override
  public Socket createSocket() throws IOException {
    return configured(delegate.get().createSocket());
  }

  @Override
  public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
    return configured(delegate.get().createSocket(socket, host, port, autoClose));
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return configured(delegate.get().createSocket(host, port));
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
    return configured(delegate.get().createSocket(host, port, localHost, localPort));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return configured(delegate.get().createSocket(host, port));
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return configured(delegate.get().createSocket(address, port, localAddress, localPort));
  }

  private Socket configured(Socket socket) throws IOException {
    // A client socket made for a host already carries it as peer host and server name (SNI).
    try {
      return new PolicySocket((SSLSocket) socket, rules);
    } catch (RuntimeException e) {
      socket.close();
      throw e;
    }
  }
}
