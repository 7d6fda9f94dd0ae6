package dev.mtls.core.internal.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.InetSocketAddress;
import java.util.function.Supplier;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSocketFactory;

/**
 * Makes {@link LayeringServerSocket}s: server sockets that accept plain connections and
 * layer TLS over each one with the context's current {@code SSLContext}, so a server socket
 * opened before a trust or revocation change still serves later connections from the
 * renewed context.
 */
public final class LayeringServerSocketFactory extends SSLServerSocketFactory {
  private final Supplier<SSLSocketFactory> layers;
  private final TlsRules rules;

  /**
   * Creates the factory.
   *
   * @param layers the socket factory of the context in use now, asked for every connection
   * @param rules what every accepted socket keeps
   */
  public LayeringServerSocketFactory(Supplier<SSLSocketFactory> layers, TlsRules rules) {
    this.layers = layers;
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
  public ServerSocket createServerSocket() throws IOException {
    return new LayeringServerSocket(layers, rules);
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
    LayeringServerSocket socket = new LayeringServerSocket(layers, rules);
    try {
      socket.bind(new InetSocketAddress(address, port), backlog);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
    return socket;
  }
}
