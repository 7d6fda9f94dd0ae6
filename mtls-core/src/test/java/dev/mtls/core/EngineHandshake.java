package dev.mtls.core;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;

/**
 * A handshake between two engines in memory, with a bound on its rounds: what each side threw,
 * for tests of what engines say when a handshake fails.
 */
final class EngineHandshake {
  private static final int MAX_ROUNDS = 100;

  private final SSLEngine client;
  private final SSLEngine server;
  private final ByteBuffer toServer = ByteBuffer.allocate(1 << 17);
  private final ByteBuffer toClient = ByteBuffer.allocate(1 << 17);
  private final ByteBuffer application = ByteBuffer.allocate(1 << 17);
  private @Nullable SSLException clientFailure;
  private @Nullable SSLException serverFailure;

  private EngineHandshake(SSLEngine client, SSLEngine server) {
    this.client = client;
    this.server = server;
  }

  /** Runs a handshake until both sides finished or failed; fails the test if it does not end. */
  static EngineHandshake run(SSLEngine client, SSLEngine server) {
    EngineHandshake handshake = new EngineHandshake(client, server);
    handshake.run();
    return handshake;
  }

  @Nullable SSLException clientFailure() {
    return clientFailure;
  }

  @Nullable SSLException serverFailure() {
    return serverFailure;
  }

  private void run() {
    for (int round = 0; round < MAX_ROUNDS; round++) {
      if (clientFailure == null) {
        clientFailure = step(client, toClient, toServer);
      }
      if (serverFailure == null) {
        serverFailure = step(server, toServer, toClient);
      }
      // A side is done when it failed, or finished and read all the other side sent it.
      boolean clientDone = clientFailure != null || (finished(client) && toClient.position() == 0);
      boolean serverDone = serverFailure != null || (finished(server) && toServer.position() == 0);
      if (clientDone && serverDone) {
        return;
      }
    }
    throw new AssertionError("the engines' handshake did not end within " + MAX_ROUNDS + " rounds");
  }

  private @Nullable SSLException step(SSLEngine engine, ByteBuffer in, ByteBuffer out) {
    try {
      in.flip();
      engine.unwrap(in, application);
      in.compact();
      application.clear();
      runTasks(engine);
      engine.wrap(ByteBuffer.allocate(0), out);
      runTasks(engine);
      return null;
    } catch (SSLException e) {
      try {
        engine.wrap(ByteBuffer.allocate(0), out); // the alert
      } catch (SSLException ignored) {
        // the engine is closed
      }
      return e;
    }
  }

  private static boolean finished(SSLEngine engine) {
    return engine.isOutboundDone() || engine.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING;
  }

  private static void runTasks(SSLEngine engine) {
    for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
      task.run();
    }
  }
}
