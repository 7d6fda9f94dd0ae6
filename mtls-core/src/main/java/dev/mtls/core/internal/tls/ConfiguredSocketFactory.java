package dev.mtls.core.internal.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A socket factory that applies a context's parameters (protocols, suites, client auth,
 * endpoint identification, server name) to every socket it makes, so that no caller can
 * forget to.
 */
public final class ConfiguredSocketFactory extends SSLSocketFactory {
  private final Supplier<SSLSocketFactory> delegate;
  private final Consumer<SSLSocket> configure;
  private final String[] cipherSuites;

  /**
   * Wraps a factory.
   *
   * @param delegate the provider's factory of the context in use now, asked for every socket
   * @param configure applies the context's parameters to a new socket
   * @param cipherSuites the suites the context allows
   */
  public ConfiguredSocketFactory(
      Supplier<SSLSocketFactory> delegate, Consumer<SSLSocket> configure, String[] cipherSuites) {
    this.delegate = delegate;
    this.configure = configure;
    this.cipherSuites = cipherSuites.clone();
  }

  @Override
  public String[] getDefaultCipherSuites() {
    return cipherSuites.clone();
  }

  @Override
  public String[] getSupportedCipherSuites() {
    return cipherSuites.clone();
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

  private Socket configured(Socket socket) {
    configure.accept((SSLSocket) socket);
    return socket;
  }
}
