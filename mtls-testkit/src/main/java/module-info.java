/**
 * Ephemeral in-memory certificate authorities for tests.
 */
module dev.mtls.testkit {
  requires org.bouncycastle.provider;
  requires org.bouncycastle.pkix;
  // Optional: only TestCaExtension and @WithTestCa need JUnit, and their signatures show it.
  requires static transitive org.junit.jupiter.api;
  requires static transitive org.jspecify;

  exports dev.mtls.testkit;
}
