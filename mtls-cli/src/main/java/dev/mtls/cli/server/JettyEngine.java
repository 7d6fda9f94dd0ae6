package dev.mtls.cli.server;

import dev.mtls.servlet.JettyMtls;
import dev.mtls.servlet.MtlsFilter;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** Embedded Jetty 12: {@link JettyMtls}'s connector, the filter on {@code /*}, the endpoints behind. */
final class JettyEngine {
  private JettyEngine() {}

  static RunningServer start(ServerSpec spec) throws Exception {
    Server server = new Server();
    ServerConnector connector = JettyMtls.connector(server, spec.context());
    connector.setHost(Servers.HOST);
    connector.setPort(spec.port());
    connector.setIdleTimeout(Servers.IDLE_TIMEOUT.toMillis());
    server.addConnector(connector);
    ServletContextHandler app = new ServletContextHandler();
    app.setContextPath("/");
    app.addFilter(new FilterHolder(Servers.filter(spec)), "/*", EnumSet.of(DispatcherType.REQUEST));
    app.addServlet(new ServletHolder(new EndpointServlet(new Dispatch(spec))), "/*");
    server.setHandler(app);
    server.setStopTimeout(Servers.STOP_TIMEOUT.toMillis());
    try {
      server.start();
    } catch (Exception e) {
      server.stop();
      throw e;
    }
    return new Started(connector.getLocalPort(), Engine.JETTY, server::stop);
  }
}
