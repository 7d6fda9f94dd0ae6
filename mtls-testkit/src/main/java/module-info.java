/**
 * Ephemeral in-memory certificate authorities for tests.
 */
module dev.mtls.testkit {
  requires org.bouncycastle.provider;
  requires org.bouncycastle.pkix;
  requires static org.junit.jupiter.api;
  requires static transitive org.jspecify;

  exports dev.mtls.testkit;
}
