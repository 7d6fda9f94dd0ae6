package dev.mtls.core;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A one-path HTTP/1.1 server on 127.0.0.1 that answers every GET with the configured status
 * and body; over TLS with a server context's sockets when made with {@link #https}. Written on plain sockets because the test classes compile inside module
 * {@code dev.mtls.core}, which does not read {@code jdk.httpserver}.
 */
final class LoopbackHttpServer implements AutoCloseable {
  final AtomicReference<byte[]> body = new AtomicReference<>(new byte[0]);
  final AtomicInteger status = new AtomicInteger(200);
  /** How many requests were answered. */
  final AtomicInteger requests = new AtomicInteger();
  private final ServerSocket socket;
  private final String scheme;
  private final Thread acceptor;

  LoopbackHttpServer() throws IOException {
    this(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), "http");
  }

  private LoopbackHttpServer(ServerSocket socket, String scheme) {
    this.socket = socket;
    this.scheme = scheme;
    acceptor = new Thread(this::serve, "test-" + scheme);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** An HTTPS server on the sockets of a server context. */
  static LoopbackHttpServer https(MtlsContext server) throws IOException {
    return new LoopbackHttpServer(server.serverSocketFactory()
        .createServerSocket(0, 50, InetAddress.getLoopbackAddress()), "https");
  }

  URI url(String path) {
    return url("127.0.0.1", path);
  }

  /** The URL of a path on this server, reached through a host name that resolves to 127.0.0.1. */
  URI url(String host, String path) {
    return URI.create(scheme + "://" + host + ":" + socket.getLocalPort() + path);
  }

  private void serve() {
    while (!socket.isClosed()) {
      try (Socket client = socket.accept()) {
        client.setSoTimeout(10_000);
        BufferedReader in = new BufferedReader(
            new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
        String line;
        do {
          line = in.readLine(); // request line and headers; GET has no body
        } while (line != null && !line.isEmpty());
        requests.incrementAndGet();
        int code = status.get();
        byte[] content = code == 200 ? body.get() : new byte[0];
        OutputStream out = client.getOutputStream();
        out.write(("HTTP/1.1 " + code + " Test\r\nContent-Type: application/pkix-crl\r\n"
            + "Content-Length: " + content.length + "\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        out.write(content);
        out.flush();
      } catch (IOException e) {
        // closed by close(), or a client that went away: either way, next connection
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
