/**
 * Secure mutual-TLS contexts, identity and trust loading, hot reload and the one
 * peer-verification model. Only {@code dev.mtls.core} is API.
 */
module dev.mtls.core {
  requires org.bouncycastle.provider;
  requires org.bouncycastle.pkix;
  requires static org.bouncycastle.tls;
  // Read only with bctls, which requires it: to quiet the provider's own loggers.
  requires static java.logging;
  // Optional: the public suffix list, for the CA/Browser Forum certificate profile only.
  requires static com.google.common;
  requires org.slf4j;
  requires static transitive org.jspecify;
  requires java.net.http;

  exports dev.mtls.core;
}
