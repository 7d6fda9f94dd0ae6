package dev.mtls.benchmarks;

import dev.mtls.core.MtlsContext;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/** One handshake between a client and a server engine in memory, for a real session to judge. */
final class EnginePair {
  private static final int MAX_ROUNDS = 100;
  private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

  private EnginePair() {}

  /**
   * Connects a client context to a server context in memory.
   *
   * @return the server's session, whose peer is the client
   */
  static SSLSession serverSession(MtlsContext server, MtlsContext client) throws SSLException {
    return handshake(client.newEngine("localhost", 8443), server.newEngine(), ByteBuffer.allocate(1 << 17),
        ByteBuffer.allocate(1 << 17), ByteBuffer.allocate(1 << 17));
  }

  /**
   * One full handshake between two new engines, delegated tasks run inline, over buffers the
   * caller keeps (cleared here), so that a benchmark measures the handshake and not buffer
   * allocation.
   *
   * @return the server's session
   */
  static SSLSession handshake(SSLEngine clientEngine, SSLEngine serverEngine, ByteBuffer clientToServer,
      ByteBuffer serverToClient, ByteBuffer application) throws SSLException {
    clientToServer.clear();
    serverToClient.clear();
    clientEngine.beginHandshake();
    serverEngine.beginHandshake();
    for (int round = 0; round < MAX_ROUNDS; round++) {
      wrap(clientEngine, clientToServer);
      wrap(serverEngine, serverToClient);
      unwrap(serverEngine, clientToServer, application);
      unwrap(clientEngine, serverToClient, application);
      if (clientEngine.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING
          && serverEngine.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING
          && clientToServer.position() == 0
          && serverToClient.position() == 0) {
        return serverEngine.getSession();
      }
    }
    throw new IllegalStateException("no handshake after " + MAX_ROUNDS + " rounds");
  }

  private static void wrap(SSLEngine engine, ByteBuffer out) throws SSLException {
    while (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
      SSLEngineResult result = engine.wrap(NOTHING, out);
      if (result.getStatus() != SSLEngineResult.Status.OK) {
        throw new IllegalStateException("wrap: " + result);
      }
      runTasks(engine);
    }
  }

  private static void unwrap(SSLEngine engine, ByteBuffer in, ByteBuffer application) throws SSLException {
    in.flip();
    try {
      while (in.hasRemaining()) {
        application.clear();
        SSLEngineResult result = engine.unwrap(in, application);
        runTasks(engine);
        if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
          return;
        }
        if (result.getStatus() != SSLEngineResult.Status.OK) {
          throw new IllegalStateException("unwrap: " + result);
        }
        if (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
          return;
        }
      }
    } finally {
      in.compact();
    }
  }

  private static void runTasks(SSLEngine engine) {
    Runnable task;
    while ((task = engine.getDelegatedTask()) != null) {
      task.run();
    }
  }
}
