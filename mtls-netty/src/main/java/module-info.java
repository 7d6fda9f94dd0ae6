/**
 * Netty integration for mutual TLS.
 */
module dev.mtls.netty {
  requires transitive dev.mtls.core;
  requires static io.netty.handler;
  requires static transitive org.jspecify;

  // exports dev.mtls.netty once its first public type lands (an empty package cannot be exported).
}
