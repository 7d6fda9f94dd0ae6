package dev.mtls.cli.server;

import dev.mtls.cli.CliException;
import dev.mtls.servlet.MtlsFilter;
import java.io.IOException;
import java.net.BindException;
import java.time.Duration;
import java.util.Objects;

/**
 * Starts a {@link ServerSpec} on an {@link Engine}.
 *
 * <p>Every engine listens on the loopback address {@code 127.0.0.1} only (these are servers for
 * trying things, not for serving a network), closes connections idle for 30 seconds, bounds
 * each TLS handshake by the context's {@link dev.mtls.core.MtlsContext#handshakeTimeout()}, and
 * answers requests as {@link ServerSpec} says.
 */
public final class Servers {
  /** The address every engine binds to. */
  static final String HOST = "127.0.0.1";
  /** How long a connection may stay idle. */
  static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
  /** How long stopping may wait for requests in progress. */
  static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

  private Servers() {}

  /**
   * Starts a server and returns once it accepts connections.
   *
   * @param engine the adapter to run on
   * @param spec what to serve
   * @return the running server
   * @throws CliException when it cannot start (the port is taken, say), saying why
   */
  public static RunningServer start(Engine engine, ServerSpec spec) {
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(spec, "spec");
    try {
      return switch (engine) {
        case JETTY -> JettyEngine.start(spec);
        case TOMCAT -> TomcatEngine.start(spec);
        case NETTY -> NettyEngine.start(spec);
      };
    } catch (CliException e) {
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(engine + " did not start: interrupted");
    } catch (Exception e) {
      throw new CliException(engine + " did not start on " + HOST + ":" + spec.port() + ": " + reason(e));
    }
  }

  /** The filter of the servlet engines: the spec's policy, its exempt paths. */
  static MtlsFilter filter(ServerSpec spec) {
    MtlsFilter.Builder filter = MtlsFilter.builder(spec.context()).policy(spec.policy());
    if (!spec.exemptPaths().isEmpty()) {
      filter.exemptPaths(spec.exemptPaths().toArray(new String[0]));
    }
    return filter.build();
  }

  private static String reason(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof BindException) {
        return "the port is in use or not allowed (" + cause.getMessage() + ")";
      }
    }
    return failure instanceof IOException || failure.getMessage() == null ? failure.toString() : failure.getMessage();
  }
}
