package dev.mtls.cli.server;

import java.net.URI;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running engine: its address, and how it stops (once). */
final class Started implements RunningServer {
  private static final Logger LOG = LoggerFactory.getLogger(Started.class);

  /** How an engine stops. */
  @FunctionalInterface
  interface Stop {
    void stop() throws Exception;
  }

  private final URI uri;
  private final Engine engine;
  private final Stop stop;
  private final AtomicBoolean closed = new AtomicBoolean();

  Started(int port, Engine engine, Stop stop) {
    this.uri = URI.create("https://localhost:" + port + "/");
    this.engine = engine;
    this.stop = stop;
  }

  @Override
  public URI uri() {
    return uri;
  }

  @Override
  public Engine engine() {
    return engine;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      stop.stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn("{} did not stop cleanly", engine, e);
    }
  }

  @Override
  public String toString() {
    return uri + " (" + engine.name().toLowerCase(java.util.Locale.ROOT) + ")";
  }
}
