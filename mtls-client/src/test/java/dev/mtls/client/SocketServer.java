package dev.mtls.client;

import dev.mtls.core.MtlsContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A one-answer HTTP server on plain sockets, on 127.0.0.1: over a server context's TLS sockets
 * ({@link #tls}), which send the peer an alert when they refuse it (the JDK's {@code HttpsServer}
 * closes without one); or plain, answering every connection at once with {@code 400 Bad
 * Request} as nginx answers bytes that are not HTTP ({@link #strictPlainHttp}).
 */
final class SocketServer implements AutoCloseable {
  private final ServerSocket socket;
  private final boolean tls;
  private final Thread acceptor;

  private SocketServer(ServerSocket socket, boolean tls) {
    this.socket = socket;
    this.tls = tls;
    acceptor = new Thread(this::serve, "test-socket-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  static SocketServer tls(MtlsContext server) throws IOException {
    return new SocketServer(server.serverSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress()),
        true);
  }

  static SocketServer strictPlainHttp() throws IOException {
    return new SocketServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), false);
  }

  int port() {
    return socket.getLocalPort();
  }

  private void serve() {
    while (!socket.isClosed()) {
      try (Socket client = socket.accept()) {
        client.setSoTimeout(10_000);
        InputStream in = client.getInputStream();
        OutputStream out = client.getOutputStream();
        if (tls) {
          byte[] request = new byte[4096];
          int read = in.read(request); // the handshake, then the request's first bytes
          if (read < 0) {
            continue;
          }
          out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
              .getBytes(StandardCharsets.US_ASCII));
        } else {
          int first = in.read();
          if (first < 0) {
            continue;
          }
          out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
        }
        out.flush();
      } catch (IOException e) {
        // a refused handshake or a client gone: next connection
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
    try {
      acceptor.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
