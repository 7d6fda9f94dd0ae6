package dev.mtls.core;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLSession;

/**
 * Drives a client {@link SSLEngine} over a real loopback socket to a {@link LoopbackServer}:
 * the handshake, then the server's "hello". For tests of what an engine's own settings do.
 */
final class LoopbackEngineClient {
  private static final int MAX_STEPS = 1_000;

  private LoopbackEngineClient() {}

  /**
   * Connects, completes the engine's handshake and reads the greeting.
   *
   * @return the engine's session
   * @throws IOException when the handshake fails (an {@code SSLHandshakeException} when the
   *     engine's trust manager refuses the server)
   */
  static SSLSession connect(SSLEngine engine, int port) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(10_000);
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      SSLSession session = engine.getSession();
      ByteBuffer netIn = ByteBuffer.allocate(session.getPacketBufferSize());
      ByteBuffer netOut = ByteBuffer.allocate(session.getPacketBufferSize());
      ByteBuffer appIn = ByteBuffer.allocate(session.getApplicationBufferSize());
      engine.beginHandshake();
      for (int step = 0; step < MAX_STEPS; step++) {
        SSLEngineResult.HandshakeStatus status = engine.getHandshakeStatus();
        if (status == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
          netOut.clear();
          engine.wrap(ByteBuffer.allocate(0), netOut);
          out.write(netOut.array(), 0, netOut.position());
          out.flush();
        } else if (status == SSLEngineResult.HandshakeStatus.NEED_TASK) {
          Runnable task;
          while ((task = engine.getDelegatedTask()) != null) {
            task.run();
          }
        } else if (status == SSLEngineResult.HandshakeStatus.NEED_UNWRAP) {
          unwrap(engine, in, netIn, appIn);
        } else if (appIn.position() >= 6) {
          String greeting = new String(appIn.array(), 0, 6, StandardCharsets.US_ASCII);
          if (!greeting.equals("hello\n")) {
            throw new IOException("no greeting from the server: " + greeting);
          }
          return engine.getSession();
        } else {
          unwrap(engine, in, netIn, appIn); // handshake done: application data (and tickets)
        }
      }
      throw new IOException("no greeting after " + MAX_STEPS + " steps");
    }
  }

  private static void unwrap(SSLEngine engine, InputStream in, ByteBuffer netIn, ByteBuffer appIn)
      throws IOException {
    netIn.flip();
    SSLEngineResult result = engine.unwrap(netIn, appIn);
    netIn.compact();
    if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW
        || (result.bytesConsumed() == 0 && result.bytesProduced() == 0
            && result.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_UNWRAP)) {
      int read = in.read(netIn.array(), netIn.position(), netIn.remaining());
      if (read < 0) {
        throw new EOFException("the server closed the connection");
      }
      netIn.position(netIn.position() + read);
    } else if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
      throw new EOFException("the engine was closed: " + result);
    }
  }
}
