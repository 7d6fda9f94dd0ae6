package dev.mtls.cli.server;

/** The adapters the CLI's servers run on: {@code --engine jetty|tomcat|netty}. */
public enum Engine {
  /** Embedded Jetty 12 with {@code JettyMtls} and the servlet filter. */
  JETTY,
  /** Embedded Tomcat 11 with {@code TomcatMtls} and the servlet filter. */
  TOMCAT,
  /** Netty with {@code MtlsSslContexts} (OpenSSL where it loads), each request judged as the filter judges it. */
  NETTY
}
