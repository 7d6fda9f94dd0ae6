/**
 * Jakarta Servlet integration for mutual TLS.
 */
module dev.mtls.servlet {
  requires transitive dev.mtls.core;
  requires static jakarta.servlet;
  requires static transitive org.jspecify;

  // exports dev.mtls.servlet once its first public type lands (an empty package cannot be exported).
}
