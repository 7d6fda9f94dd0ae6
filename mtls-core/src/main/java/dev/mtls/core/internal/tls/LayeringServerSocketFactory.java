package dev.mtls.core.internal.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Makes {@link LayeringServerSocket}s: server sockets that accept plain connections and
 * layer TLS over each one with the context's current {@code SSLContext}, so a server socket
 * opened before a trust or revocation change still serves later connections from the
 * renewed context.
 */
public final class LayeringServerSocketFactory extends SSLServerSocketFactory {
  private final Supplier<SSLSocketFactory> layers;
  private final Consumer<SSLSocket> configure;
  private final String[] cipherSuites;

  /**
   * Creates the factory.
   *
   * @param layers the socket factory of the context in use now, asked for every connection
   * @param configure applies the context's server parameters to an accepted socket
   * @param cipherSuites the suites the context allows
   */
  public LayeringServerSocketFactory(
      Supplier<SSLSocketFactory> layers, Consumer<SSLSocket> configure, String[] cipherSuites) {
    this.layers = layers;
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
    return new LayeringServerSocket(layers, configure, cipherSuites);
  }

  @Override
  public ServerSocket createServerSocket(int port) throws IOException {
    return createServerSocket(port, 50, null);
  }

  @Override
  public ServerSocket createServerSocket(int port, int backlog) throws IOException {
    return createServerSocket(port, backlog, null);
  }

  @Override
  public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
    LayeringServerSocket socket = new LayeringServerSocket(layers, configure, cipherSuites);
    socket.bind(new java.net.InetSocketAddress(address, port), backlog);
    return socket;
  }
}
