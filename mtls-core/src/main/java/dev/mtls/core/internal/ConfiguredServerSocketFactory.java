package dev.mtls.core.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.function.Consumer;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLServerSocketFactory;

/**
 * A server socket factory that applies a context's parameters to every server socket it
 * makes; accepted sockets inherit them.
 */
public final class ConfiguredServerSocketFactory extends SSLServerSocketFactory {
  private final SSLServerSocketFactory delegate;
  private final Consumer<SSLServerSocket> configure;
  private final String[] cipherSuites;

  /**
   * Wraps a factory.
   *
   * @param delegate the provider's factory
   * @param configure applies the context's parameters to a new server socket
   * @param cipherSuites the suites the context allows
   */
  public ConfiguredServerSocketFactory(
      SSLServerSocketFactory delegate, Consumer<SSLServerSocket> configure, String[] cipherSuites) {
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
  public ServerSocket createServerSocket() throws IOException {
    return configured(delegate.createServerSocket());
  }

  @Override
  public ServerSocket createServerSocket(int port) throws IOException {
    return configured(delegate.createServerSocket(port));
  }

  @Override
  public ServerSocket createServerSocket(int port, int backlog) throws IOException {
    return configured(delegate.createServerSocket(port, backlog));
  }

  @Override
  public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
    return configured(delegate.createServerSocket(port, backlog, address));
  }

  private ServerSocket configured(ServerSocket socket) {
    configure.accept((SSLServerSocket) socket);
    return socket;
  }
}
