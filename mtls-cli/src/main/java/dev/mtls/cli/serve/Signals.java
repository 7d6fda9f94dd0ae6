package dev.mtls.cli.serve;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGTERM and SIGINT as a call rather than the JVM's shutdown: a process stopped by them
 * otherwise exits 143 or 130, and {@code serve} exits 0 when stopped as asked.
 */
final class Signals {
  private static final Logger LOG = LoggerFactory.getLogger(Signals.class);

  private Signals() {}

  /**
   * Runs the action on SIGTERM and SIGINT instead of shutting the JVM down.
   *
   * @return whether both are handled; {@code false} where the platform refuses (the shutdown
   *     hook is then the way to stop)
   */
  static boolean onTermination(Runnable action) {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> action.run());
      sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> action.run());
      return true;
    } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
      LOG.debug("signals are not handled here: {}", e.toString());
      return false;
    }
  }
}
