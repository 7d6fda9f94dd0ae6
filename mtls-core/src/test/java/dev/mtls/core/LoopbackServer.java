package dev.mtls.core;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * A real TLS server on 127.0.0.1 for tests: accepts connections with a context's server
 * socket factory, completes (or fails) the handshake, answers "hello" and records what
 * happened, so a test can assert on the server's view of each handshake.
 */
final class LoopbackServer implements AutoCloseable {
  private final SSLServerSocket serverSocket;
  private final Thread acceptor;
  private final BlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();

  LoopbackServer(MtlsContext context) throws IOException {
    this(context, serverSocket -> {});
  }

  /** A server whose server socket is first set up as an application would (setters called). */
  LoopbackServer(MtlsContext context, java.util.function.Consumer<SSLServerSocket> setup) throws IOException {
    serverSocket = (SSLServerSocket) context.serverSocketFactory()
        .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    setup.accept(serverSocket);
    acceptor = new Thread(this::acceptLoop, "loopback-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return serverSocket.getLocalPort();
  }

  /** The outcome of the next handshake, waiting up to 10 seconds for it. */
  Outcome nextOutcome() throws InterruptedException {
    Outcome outcome = outcomes.poll(10, TimeUnit.SECONDS);
    if (outcome == null) {
      throw new AssertionError("the server saw no connection within 10 s");
    }
    return outcome;
  }

  /**
   * Makes a full handshake with a client holding {@code client}'s identity and trusting {@code
   * serverAnchor}, and returns the server's outcome; a session either side made is invalidated.
   */
  Outcome handshake(dev.mtls.testkit.IssuedCertificate client, java.security.cert.X509Certificate serverAnchor)
      throws Exception {
    try (MtlsContext context = MtlsContext.forClient()
        .identity(IdentitySource.of(client.privateKey(), client.chain()))
        .trust(TrustSource.of(java.util.List.of(serverAnchor)))
        .reload(ReloadPolicy.disabled())
        .listener(MtlsListener.silent())
        .build()) {
      try {
        LoopbackClient.connect(context, "localhost", port()).invalidate();
      } catch (IOException refused) {
        // the server's outcome says why
      }
      Outcome outcome = nextOutcome();
      if (outcome.succeeded()) {
        outcome.session().invalidate();
      }
      return outcome;
    }
  }

  /** The outcome of a handshake already finished, or {@code null} when there is none. */
  Outcome pollOutcome() {
    return outcomes.poll();
  }

  private void acceptLoop() {
    while (!serverSocket.isClosed()) {
      try (SSLSocket socket = (SSLSocket) serverSocket.accept()) {
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        try {
          socket.startHandshake();
          SSLSession session = socket.getSession();
          // With TLS 1.3 a client certificate failure surfaces on the first read or write.
          OutputStream out = socket.getOutputStream();
          out.write("hello\n".getBytes(StandardCharsets.US_ASCII));
          out.flush();
          outcomes.add(Outcome.success(session));
          socket.getInputStream().read(); // wait for the client to finish
        } catch (SocketTimeoutException e) {
          outcomes.add(Outcome.failure(e));
        } catch (IOException e) {
          outcomes.add(Outcome.failure(e));
        }
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  @Override
  public void close() throws IOException {
    serverSocket.close();
  }

  /** What the server saw of one connection. */
  record Outcome(SSLSession session, Exception failure) {
    static Outcome success(SSLSession session) {
      return new Outcome(session, null);
    }

    static Outcome failure(Exception e) {
      return new Outcome(null, e);
    }

    boolean succeeded() {
      return failure == null;
    }
  }
}
