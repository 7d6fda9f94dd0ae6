package dev.mtls.core;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * A TLS server on 127.0.0.1 driven by {@link SSLEngine}s, as containers (Tomcat, Jetty,
 * Netty) drive theirs: each connection gets a new engine from the supplier, which may set
 * it up the way a container does. Answers "hello" like {@link LoopbackServer} and records
 * the same outcomes.
 */
final class EngineLoopbackServer implements AutoCloseable {
  private final ServerSocket serverSocket;
  private final Supplier<SSLEngine> engines;
  private final BlockingQueue<LoopbackServer.Outcome> outcomes = new LinkedBlockingQueue<>();

  EngineLoopbackServer(Supplier<SSLEngine> engines) throws IOException {
    this.engines = engines;
    serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "engine-loopback-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return serverSocket.getLocalPort();
  }

  LoopbackServer.Outcome nextOutcome() throws InterruptedException {
    LoopbackServer.Outcome outcome = outcomes.poll(10, TimeUnit.SECONDS);
    if (outcome == null) {
      throw new AssertionError("the server saw no connection within 10 s");
    }
    return outcome;
  }

  private void acceptLoop() {
    while (!serverSocket.isClosed()) {
      try (Socket socket = serverSocket.accept()) {
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        serve(socket);
      } catch (IOException e) {
        if (serverSocket.isClosed()) {
          return;
        }
      }
    }
  }

  private void serve(Socket socket) throws IOException {
    SSLEngine engine;
    try {
      engine = engines.get();
    } catch (RuntimeException e) {
      outcomes.add(LoopbackServer.Outcome.failure(e));
      return;
    }
    Pump pump = new Pump(engine, socket.getInputStream(), socket.getOutputStream());
    try {
      pump.handshake();
      pump.write("hello\n".getBytes(StandardCharsets.US_ASCII));
      outcomes.add(LoopbackServer.Outcome.success(engine.getSession()));
      pump.readByte(); // wait for the client to finish
    } catch (IOException e) {
      pump.sendAlert();
      outcomes.add(LoopbackServer.Outcome.failure(e));
    }
  }

  @Override
  public void close() throws IOException {
    serverSocket.close();
  }

  /** Moves bytes between an engine and a blocking socket. */
  private static final class Pump {
    private final SSLEngine engine;
    private final InputStream in;
    private final OutputStream out;
    private final ByteBuffer netIn;
    private final ByteBuffer netOut;
    private final ByteBuffer appIn;

    Pump(SSLEngine engine, InputStream in, OutputStream out) {
      this.engine = engine;
      this.in = in;
      this.out = out;
      int packet = engine.getSession().getPacketBufferSize();
      netIn = ByteBuffer.allocate(packet);
      netOut = ByteBuffer.allocate(packet);
      appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
    }

    void handshake() throws IOException {
      engine.beginHandshake();
      SSLEngineResult.HandshakeStatus status = engine.getHandshakeStatus();
      while (status != SSLEngineResult.HandshakeStatus.FINISHED
          && status != SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING) {
        switch (status) {
          case NEED_WRAP -> status = wrap(ByteBuffer.allocate(0)).getHandshakeStatus();
          case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> status = unwrap().getHandshakeStatus();
          case NEED_TASK -> {
            Runnable task;
            while ((task = engine.getDelegatedTask()) != null) {
              task.run();
            }
            status = engine.getHandshakeStatus();
          }
          default -> throw new SSLException("unexpected handshake status " + status);
        }
      }
    }

    void write(byte[] data) throws IOException {
      ByteBuffer source = ByteBuffer.wrap(data);
      while (source.hasRemaining()) {
        wrap(source);
      }
    }

    int readByte() throws IOException {
      while (appIn.position() == 0) {
        unwrap();
      }
      appIn.flip();
      int b = appIn.get();
      appIn.compact();
      return b;
    }

    /** After a failed handshake: sends the engine's alert, so the client hears why. */
    void sendAlert() {
      try {
        engine.closeOutbound();
        while (!engine.isOutboundDone()) {
          wrap(ByteBuffer.allocate(0));
        }
      } catch (IOException | RuntimeException e) {
        // the client went away; nothing to tell
      }
    }

    private SSLEngineResult wrap(ByteBuffer source) throws IOException {
      netOut.clear();
      SSLEngineResult result = engine.wrap(source, netOut);
      netOut.flip();
      out.write(netOut.array(), 0, netOut.limit());
      out.flush();
      if (result.getStatus() == SSLEngineResult.Status.CLOSED && source.hasRemaining()) {
        throw new SSLException("engine closed");
      }
      return result;
    }

    private SSLEngineResult unwrap() throws IOException {
      while (true) {
        netIn.flip();
        SSLEngineResult result = engine.unwrap(netIn, appIn);
        netIn.compact();
        switch (result.getStatus()) {
          case OK:
            if (result.bytesConsumed() > 0 || result.bytesProduced() > 0
                || result.getHandshakeStatus() != SSLEngineResult.HandshakeStatus.NEED_UNWRAP) {
              return result;
            }
            break;
          case BUFFER_UNDERFLOW:
            break;
          case CLOSED:
            throw new EOFException("the client closed the connection");
          default:
            throw new SSLException("unexpected unwrap status " + result.getStatus());
        }
        byte[] chunk = new byte[netIn.remaining()];
        int read = in.read(chunk);
        if (read < 0) {
          throw new EOFException("the client closed the connection");
        }
        netIn.put(chunk, 0, read);
      }
    }
  }
}
