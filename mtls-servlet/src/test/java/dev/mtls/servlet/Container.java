package dev.mtls.servlet;

import dev.mtls.core.MtlsContext;
import dev.mtls.tomcat.TomcatMtls;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The embedded containers under test, wired the way a user wires them: the library's
 * connector helper, the filter on {@code /*}, and the {@link EchoServlet} behind it.
 */
enum Container {
  JETTY {
    @Override
    Running start(MtlsContext context, Filter filter, Map<String, String> initParameters, Path work)
        throws Exception {
      Server server = new Server();
      ServerConnector connector = JettyMtls.connector(server, context);
      connector.setHost("127.0.0.1");
      connector.setPort(0);
      server.addConnector(connector);
      ServletContextHandler app = new ServletContextHandler();
      app.setContextPath("/");
      app.setAttribute(MtlsFilter.CONTEXT_ATTRIBUTE, context);
      FilterHolder holder = new FilterHolder(filter);
      holder.setInitParameters(initParameters);
      app.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST));
      app.addServlet(new ServletHolder(new EchoServlet()), "/*");
      server.setHandler(app);
      server.start();
      return new Running(connector.getLocalPort(), server::stop);
    }
  },
  TOMCAT {
    @Override
    Running start(MtlsContext context, Filter filter, Map<String, String> initParameters, Path work)
        throws Exception {
      Tomcat tomcat = new Tomcat();
      Path base = Files.createDirectories(work.resolve("tomcat"));
      tomcat.setBaseDir(base.toString());
      Connector connector = TomcatMtls.connector(context);
      connector.setPort(0);
      connector.setProperty("address", "127.0.0.1");
      tomcat.getService().addConnector(connector);
      tomcat.setConnector(connector);
      Context app = tomcat.addContext("", Files.createDirectories(base.resolve("app")).toString());
      app.getServletContext().setAttribute(MtlsFilter.CONTEXT_ATTRIBUTE, context);
      FilterDef definition = new FilterDef();
      definition.setFilterName("mtls");
      definition.setFilter(filter);
      initParameters.forEach(definition::addInitParameter);
      app.addFilterDef(definition);
      FilterMap mapping = new FilterMap();
      mapping.setFilterName("mtls");
      mapping.addURLPattern("/*");
      app.addFilterMap(mapping);
      Tomcat.addServlet(app, "echo", new EchoServlet());
      app.addServletMappingDecoded("/*", "echo");
      tomcat.start();
      return new Running(connector.getLocalPort(), () -> {
        tomcat.stop();
        tomcat.destroy();
      });
    }
  };

  /**
   * Starts the container on a loopback port.
   *
   * @param filter the filter, made by its builder or by its no-argument constructor
   * @param initParameters the filter's init parameters (none for a built filter)
   */
  abstract Running start(MtlsContext context, Filter filter, Map<String, String> initParameters, Path work)
      throws Exception;

  /**
   * The containers this run tests: both, unless the system property {@code mtls.containers}
   * names some (the module-path run names Jetty: Tomcat's one module holds the servlet API
   * too, and so cannot share a module graph with jakarta.servlet).
   */
  static List<Container> underTest() {
    String names = System.getProperty("mtls.containers", "");
    if (names.isBlank()) {
      return List.of(values());
    }
    return Arrays.stream(names.split(",")).map(String::trim).map(Container::valueOf).toList();
  }

  Running start(MtlsContext context, Filter filter, Path work) throws Exception {
    return start(context, filter, Map.of(), work);
  }

  /** A started container. */
  record Running(int port, Stop stop) implements AutoCloseable {
    @Override
    public void close() throws Exception {
      stop.stop();
    }
  }

  /** How a container stops. */
  interface Stop {
    void stop() throws Exception;
  }
}
