package dev.mtls.it.adapter;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * A TLS server on 127.0.0.1 as an adapter runs one: a plain server socket whose connections
 * the {@link JsseAdapter} takes through the handshake, each with the sessions in use at that
 * moment. Answers "hello" and records what it saw of each connection.
 */
final class AdapterServer implements AutoCloseable {
  private final JsseAdapter adapter;
  private final ServerSocket serverSocket;
  private final BlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();

  AdapterServer(JsseAdapter adapter) throws IOException {
    this.adapter = adapter;
    serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "adapter-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return serverSocket.getLocalPort();
  }

  /** What the server saw of the next connection, waiting up to 10 seconds for it. */
  Outcome nextOutcome() throws InterruptedException {
    Outcome outcome = outcomes.poll(10, TimeUnit.SECONDS);
    if (outcome == null) {
      throw new AssertionError("the server saw no connection within 10 s");
    }
    return outcome;
  }

  private void acceptLoop() {
    while (!serverSocket.isClosed()) {
      try (Socket connection = serverSocket.accept()) {
        connection.setTcpNoDelay(true);
        serve(connection);
      } catch (IOException e) {
        if (serverSocket.isClosed()) {
          return;
        }
      }
    }
  }

  private void serve(Socket connection) {
    try (SSLSocket tls = adapter.accept(connection)) {
      // With TLS 1.3 the client learns of a refusal on its first read.
      OutputStream out = tls.getOutputStream();
      out.write("hello\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      outcomes.add(Outcome.success(tls.getSession()));
      tls.getInputStream().read(); // wait for the client to finish
    } catch (IOException | RuntimeException e) {
      outcomes.add(Outcome.failure(e));
    }
  }

  @Override
  public void close() throws IOException {
    serverSocket.close();
  }

  /** What the server saw of one connection: a session, or why there was none. */
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
