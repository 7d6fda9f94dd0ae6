package dev.mtls.cli.server;

import java.net.URI;

/** A started CLI server; closing it stops the engine and frees the port. */
public interface RunningServer extends AutoCloseable {

  /**
   * Where it listens, for example {@code https://localhost:8443/}.
   *
   * @return the base address
   */
  URI uri();

  /**
   * Which engine serves.
   *
   * @return the engine
   */
  Engine engine();

  /** Stops the server; a second call does nothing. */
  @Override
  void close();
}
