/**
 * Jakarta Servlet integration for mutual TLS: {@link dev.mtls.servlet.MtlsFilter}, and
 * {@link dev.mtls.servlet.JettyMtls} for embedded Jetty 12. The servlet API and Jetty are
 * optional: bring the container you run.
 */
module dev.mtls.servlet {
  requires transitive dev.mtls.core;
  requires static jakarta.servlet;
  requires static org.eclipse.jetty.server;
  requires static org.eclipse.jetty.io;
  requires static org.eclipse.jetty.util;
  requires static org.eclipse.jetty.http;
  requires static transitive org.jspecify;

  exports dev.mtls.servlet;
}
