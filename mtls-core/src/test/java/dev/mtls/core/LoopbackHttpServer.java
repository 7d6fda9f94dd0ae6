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
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A one-path HTTP/1.1 server on 127.0.0.1 that answers every GET with the configured status
 * and body, or the way a hostile server does ({@link Answer}); over TLS with a server context's
 * sockets when made with {@link #https}. Each connection is served on a thread of its own.
 * Written on plain sockets because the test classes compile inside module {@code
 * dev.mtls.core}, which does not read {@code jdk.httpserver}.
 */
final class LoopbackHttpServer implements AutoCloseable {
  /** How the server answers. */
  enum Answer {
    /** The status and body, with their length. */
    BODY,
    /** Status 200 and zeros without end, no length given, until the client goes away. */
    ENDLESS,
    /** Status 200 announcing a 400 MB body, then nothing, until the client goes away. */
    ANNOUNCE_HUGE,
    /** Reads the request and never answers, until the client goes away. */
    HANG,
    /** Status 200 for a 1,000-byte body, then one byte every 200 ms. */
    TRICKLE
  }

  final AtomicReference<byte[]> body = new AtomicReference<>(new byte[0]);
  final AtomicInteger status = new AtomicInteger(200);
  final AtomicReference<Answer> answer = new AtomicReference<>(Answer.BODY);
  /** How many requests were answered. */
  final AtomicInteger requests = new AtomicInteger();
  /** How many body bytes were written, over all connections. */
  final AtomicLong bytesSent = new AtomicLong();
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
      try {
        Socket client = socket.accept();
        Thread handler = new Thread(() -> answer(client), "test-" + scheme + "-connection");
        handler.setDaemon(true);
        handler.start();
      } catch (IOException e) {
        // closed by close(): the loop ends
      }
    }
  }

  private void answer(Socket connection) {
    try (Socket client = connection) {
      client.setSoTimeout(10_000);
      BufferedReader in = new BufferedReader(
          new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
      String line;
      do {
        line = in.readLine(); // request line and headers; GET has no body
      } while (line != null && !line.isEmpty());
      requests.incrementAndGet();
      OutputStream out = client.getOutputStream();
      switch (answer.get()) {
        case BODY -> {
          int code = status.get();
          byte[] content = code == 200 ? body.get() : new byte[0];
          out.write(head(code, "Content-Length: " + content.length));
          out.write(content);
          bytesSent.addAndGet(content.length);
        }
        case ENDLESS -> {
          out.write(head(200, "X-Length: none"));
          byte[] chunk = new byte[64 * 1024];
          while (true) {
            out.write(chunk); // until the client closes: then write fails
            bytesSent.addAndGet(chunk.length);
          }
        }
        case ANNOUNCE_HUGE -> {
          out.write(head(200, "Content-Length: " + 400L * 1024 * 1024));
          out.flush();
          awaitClose(client);
        }
        case HANG -> awaitClose(client);
        case TRICKLE -> {
          out.write(head(200, "Content-Length: 1000"));
          for (int i = 0; i < 1000; i++) {
            out.flush();
            Thread.sleep(200); // a slow server, on purpose: the client must give up
            out.write(0x30);
            bytesSent.incrementAndGet();
          }
        }
      }
      out.flush();
    } catch (IOException e) {
      // a client that went away, or close(): either way, done with this connection
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static byte[] head(int code, String length) {
    return ("HTTP/1.1 " + code + " Test\r\nContent-Type: application/pkix-crl\r\n" + length
        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  /** Waits until the client closes the connection (or the 10 s read timeout passes). */
  private static void awaitClose(Socket client) throws IOException {
    while (client.getInputStream().read() >= 0) {
      // discard
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
