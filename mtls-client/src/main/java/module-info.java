/**
 * Mutual-TLS clients for the JDK's HTTP client and socket factories: built on a client
 * {@code MtlsContext}, they present its rotating certificate, check the server by its
 * {@code ServerIdentity} rule and explain failed connections ({@code MtlsConnectException}).
 */
module dev.mtls.client {
  requires transitive dev.mtls.core;
  requires transitive java.net.http;
  requires static transitive org.jspecify;

  exports dev.mtls.client;
}
