package dev.mtls.client;

import dev.mtls.core.MtlsContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/**
 * A one-answer HTTP server on plain sockets, on 127.0.0.1: over a server context's TLS sockets
 * ({@link #tls}), whose alert always reaches a refused client (the JDK's {@code HttpsServer} may
 * close before its alert is read, and on JDK 17 sends none); or plain, answering every connection at once with {@code 400 Bad
 * Request} as nginx answers bytes that are not HTTP ({@link #strictPlainHttp}).
 */
final class SocketServer implements AutoCloseable {
  private final ServerSocket socket;
  private final @Nullable MtlsContext tls;
  private final Thread acceptor;

  private SocketServer(ServerSocket socket, @Nullable MtlsContext tls) {
    this.socket = socket;
    this.tls = tls;
    acceptor = new Thread(this::serve, "test-socket-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  static SocketServer tls(MtlsContext server) throws IOException {
    return new SocketServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), server);
  }

  static SocketServer strictPlainHttp() throws IOException {
    return new SocketServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), null);
  }

  int port() {
    return socket.getLocalPort();
  }

  private void serve() {
    while (!socket.isClosed()) {
      try (Socket client = socket.accept()) {
        client.setSoTimeout(10_000);
        if (tls != null) {
          answerTls(client, tls);
        } else if (client.getInputStream().read() >= 0) {
          OutputStream out = client.getOutputStream();
          out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
          out.flush();
        }
      } catch (IOException e) {
        // a client gone, or close(): next connection
      }
    }
  }

  /**
   * TLS layered over the accepted connection without owning it, so that a refused handshake
   * leaves the connection open until the client, having read the alert, closes it: closed
   * at once, the connection could reset and take the alert with it before the client reads.
   */
  private static void answerTls(Socket client, MtlsContext context) throws IOException {
    SSLSocket tls = (SSLSocket) context.sslContext().getSocketFactory().createSocket(client, null, client.getPort(),
        false);
    tls.setUseClientMode(false);
    try {
      InputStream in = tls.getInputStream();
      if (in.read(new byte[4096]) >= 0) { // the handshake, then the request's first bytes
        tls.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
            .getBytes(StandardCharsets.US_ASCII));
        tls.getOutputStream().flush();
      }
    } catch (IOException refused) {
      InputStream raw = client.getInputStream();
      byte[] discard = new byte[4096];
      while (raw.read(discard) >= 0) {
        // until the client closes (or the read timeout)
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
