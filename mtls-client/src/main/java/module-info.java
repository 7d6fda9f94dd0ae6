/**
 * Mutual-TLS clients for the JDK's HTTP client and socket factories.
 */
module dev.mtls.client {
  requires transitive dev.mtls.core;
  requires transitive java.net.http;
  requires static transitive org.jspecify;

  // exports dev.mtls.client once its first public type lands (an empty package cannot be exported).
}
