/**
 * Micrometer metrics for mtls contexts. Only {@code dev.mtls.micrometer} is API.
 */
module dev.mtls.micrometer {
  requires transitive dev.mtls.core;
  requires transitive micrometer.core;
  requires static transitive org.jspecify;

  exports dev.mtls.micrometer;
}
