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
 * and body, over plain TCP or over TLS with a server context. Written on plain sockets
 * because the test classes compile inside module {@code dev.mtls.core}, which does not read
 * {@code jdk.httpserver}.
 */
final class LoopbackHttpServer implements AutoCloseable {
  final AtomicReference<byte[]> body = new AtomicReference<>(new byte[0]);
  final AtomicInteger status = new AtomicInteger(200);
  private final ServerSocket socket;
  private final String base;
  private final Thread acceptor;

  /** A plain HTTP server. */
  LoopbackHttpServer() throws IOException {
    this(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), "http://127.0.0.1:");
  }

  /** An HTTPS server whose connections use a server context's server socket factory. */
  LoopbackHttpServer(MtlsContext tls) throws IOException {
    this(tls.serverSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress()), "https://localhost:");
  }

  private LoopbackHttpServer(ServerSocket socket, String scheme) {
    this.socket = socket;
    this.base = scheme + socket.getLocalPort();
    acceptor = new Thread(this::serve, "test-http");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  URI url(String path) {
    return URI.create(base + path);
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
