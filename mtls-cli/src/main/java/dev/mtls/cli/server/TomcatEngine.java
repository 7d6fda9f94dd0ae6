package dev.mtls.cli.server;

import dev.mtls.tomcat.TomcatMtls;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/**
 * Embedded Tomcat 11: {@link TomcatMtls}'s connector, the filter on {@code /*}, the endpoints
 * behind. Tomcat needs a base directory: a temporary one, removed when the server stops.
 */
final class TomcatEngine {
  /**
   * Tomcat's own loggers, held so their level stays: its start-up chatter (a dozen INFO lines)
   * would bury the one line {@code serve} prints. Warnings and errors still show.
   */
  private static final List<Logger> QUIET = List.of(Logger.getLogger("org.apache.catalina"),
      Logger.getLogger("org.apache.coyote"), Logger.getLogger("org.apache.tomcat"));

  /**
   * Tomcat warns at every start that JSSE's TLS 1.3 cannot ask for a certificate after the
   * handshake (post-handshake authentication) with optional client authentication. These
   * servers never need to: the library asks for the certificate in the handshake itself, and
   * the filter answers 401 without one, so the warning would only mislead.
   */
  private static final Logger NO_POST_HANDSHAKE_AUTH = Logger.getLogger("org.apache.tomcat.util.net.SSLUtilBase");

  private TomcatEngine() {}

  static RunningServer start(ServerSpec spec) throws Exception {
    QUIET.forEach(logger -> logger.setLevel(Level.WARNING));
    NO_POST_HANDSHAKE_AUTH.setLevel(Level.SEVERE);
    Path base = Files.createTempDirectory("mtls-tomcat-");
    Tomcat tomcat = new Tomcat();
    try {
      tomcat.setBaseDir(base.toString());
      Connector connector = TomcatMtls.connector(spec.context());
      connector.setPort(spec.port());
      connector.setProperty("address", Servers.HOST);
      connector.setProperty("keepAliveTimeout", String.valueOf(Servers.IDLE_TIMEOUT.toMillis()));
      // A port in use fails start() rather than being logged and left unbound.
      connector.setThrowOnFailure(true);
      tomcat.getService().addConnector(connector);
      tomcat.setConnector(connector);
      Context app = tomcat.addContext("", Files.createDirectories(base.resolve("app")).toString());
      // One embedded application that is never redeployed: Tomcat's search for leaks between
      // redeployments finds nothing here, and asks for --add-opens at every stop to do it.
      if (app instanceof StandardContext standard) {
        standard.setClearReferencesThreadLocals(false);
        standard.setClearReferencesRmiTargets(false);
      }
      FilterDef definition = new FilterDef();
      definition.setFilterName("mtls");
      definition.setFilter(Servers.filter(spec));
      app.addFilterDef(definition);
      FilterMap mapping = new FilterMap();
      mapping.setFilterName("mtls");
      mapping.addURLPattern("/*");
      app.addFilterMap(mapping);
      Tomcat.addServlet(app, "endpoints", new EndpointServlet(new Dispatch(spec)));
      app.addServletMappingDecoded("/*", "endpoints");
      tomcat.start();
      return new Started(connector.getLocalPort(), Engine.TOMCAT, () -> stop(tomcat, base));
    } catch (Exception | Error e) {
      stop(tomcat, base);
      throw e;
    }
  }

  private static void stop(Tomcat tomcat, Path base) throws Exception {
    try {
      tomcat.stop();
      tomcat.destroy();
    } finally {
      delete(base);
    }
  }

  private static void delete(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return;
    }
    Files.walkFileTree(directory, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
        Files.delete(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
