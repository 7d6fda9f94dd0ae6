package dev.mtls.cli.serve;

import dev.mtls.cli.server.RunningServer;
import dev.mtls.core.MtlsContext;
import dev.mtls.micrometer.MtlsMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A started {@code serve}: the server, the context whose files it watches, and its metrics.
 * Closing it stops the server, then the context (its reloading) and the metrics; a second
 * close does nothing. What {@link ServeCommand#start} returns, for tests and for embedding.
 */
public final class Serving implements AutoCloseable {
  private final RunningServer server;
  private final MtlsContext context;
  private final MtlsMetrics metrics;
  private final PrometheusMeterRegistry registry;
  private final AtomicBoolean closed = new AtomicBoolean();

  Serving(RunningServer server, MtlsContext context, MtlsMetrics metrics, PrometheusMeterRegistry registry) {
    this.server = Objects.requireNonNull(server, "server");
    this.context = Objects.requireNonNull(context, "context");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  /**
   * The running server: its address and engine.
   *
   * @return the server
   */
  public RunningServer server() {
    return server;
  }

  /**
   * The server context, for listening to its reloads and refusals.
   *
   * @return the context
   */
  public MtlsContext context() {
    return context;
  }

  /**
   * The line {@code serve} prints once it listens.
   *
   * @return such as {@code listening on https://localhost:8443/ (jetty)}
   */
  public String listeningLine() {
    return "listening on " + server.uri() + " (" + server.engine().name().toLowerCase(java.util.Locale.ROOT) + ")";
  }

  /** Stops the server, then the context and the metrics. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      server.close();
    } finally {
      metrics.close();
      registry.close();
      context.close();
    }
  }
}
