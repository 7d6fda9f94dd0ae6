/**
 * Netty integration for mutual TLS: Netty {@code SslContext}s from an mtls context (JDK and
 * OpenSSL providers), post-handshake peer verification, channel initializers.
 */
module dev.mtls.netty {
  requires transitive dev.mtls.core;
  // Netty is provided by the application: its types are in this module's API.
  requires transitive io.netty.handler;
  requires transitive io.netty.transport;
  requires transitive io.netty.common;
  requires io.netty.buffer;
  requires org.slf4j;
  requires static transitive org.jspecify;

  exports dev.mtls.netty;
}
