package dev.mtls.micrometer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import dev.mtls.core.MtlsContext;
import org.jspecify.annotations.Nullable;

/**
 * A real TLS server on 127.0.0.1 with a context's server socket factory: completes (or fails)
 * each handshake, greets, and records the outcome once the server's side is done, so a test
 * knows the context's listeners have heard the verdict.
 */
final class LoopbackServer implements AutoCloseable {
  private final SSLServerSocket serverSocket;
  private final BlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();

  LoopbackServer(MtlsContext context) throws IOException {
    serverSocket = (SSLServerSocket) context.serverSocketFactory().createServerSocket(0, 50,
        InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "loopback-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return serverSocket.getLocalPort();
  }

  /** The outcome of the next connection on the server's side, waiting up to 10 seconds. */
  Outcome nextOutcome() throws InterruptedException {
    Outcome outcome = outcomes.poll(10, TimeUnit.SECONDS);
    if (outcome == null) {
      throw new AssertionError("the server saw no connection within 10 s");
    }
    return outcome;
  }

  private void acceptLoop() {
    while (!serverSocket.isClosed()) {
      try (SSLSocket socket = (SSLSocket) serverSocket.accept()) {
        socket.setSoTimeout(10_000);
        try {
          socket.startHandshake();
          SSLSession session = socket.getSession();
          // With TLS 1.3 a refused client certificate surfaces at the first read or write.
          OutputStream out = socket.getOutputStream();
          out.write("hello\n".getBytes(StandardCharsets.US_ASCII));
          out.flush();
          socket.getInputStream().read();
          outcomes.add(new Outcome(session, null));
        } catch (IOException e) {
          outcomes.add(new Outcome(null, e));
        }
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  /** Connects a client context, reads the greeting and answers it. */
  static void connect(MtlsContext client, int port) throws IOException {
    try (SSLSocket socket = (SSLSocket) client.socketFactory().createSocket("localhost", port)) {
      socket.setSoTimeout(10_000);
      socket.startHandshake();
      InputStream in = socket.getInputStream();
      byte[] greeting = in.readNBytes(6);
      if (!new String(greeting, StandardCharsets.US_ASCII).equals("hello\n")) {
        throw new IOException("no greeting from the server");
      }
      socket.getOutputStream().write('.');
    }
  }

  @Override
  public void close() throws IOException {
    serverSocket.close();
  }

  /** What the server saw of one connection: a session, or the failure. */
  record Outcome(@Nullable SSLSession session, @Nullable IOException failure) {
    boolean succeeded() {
      return failure == null;
    }
  }
}
