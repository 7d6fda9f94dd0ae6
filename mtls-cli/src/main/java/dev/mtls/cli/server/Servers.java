package dev.mtls.cli.server;

import dev.mtls.cli.CliException;

/** Starts a {@link ServerSpec} on an {@link Engine}. */
public final class Servers {

  private Servers() {}

  /**
   * Starts a server and returns once it accepts connections.
   *
   * @param engine the adapter to run on
   * @param spec what to serve
   * @return the running server
   */
  public static RunningServer start(Engine engine, ServerSpec spec) {
    throw new CliException(engine + " is not built yet");
  }
}
