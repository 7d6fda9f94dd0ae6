/**
 * Mutual TLS on embedded Tomcat 11: {@link dev.mtls.tomcat.TomcatMtls}. Tomcat is optional:
 * bring the version you run.
 */
module dev.mtls.tomcat {
  requires transitive dev.mtls.core;
  requires static org.apache.tomcat.embed.core;
  requires static transitive org.jspecify;

  exports dev.mtls.tomcat;
}
