package dev.mtls.testkit;

import java.util.Objects;

/**
 * Builds an intermediate CA under a {@link TestCa}; made by {@link TestCa#intermediate(String)}.
 * Every setter returns this builder; {@link #build()} makes the CA.
 *
 * <pre>{@code
 * TestCa policyCa = root.intermediate("Policy CA").pathLength(1).build();
 * TestCa issuing = policyCa.intermediate("Issuing CA").pathLength(0).build();
 * }</pre>
 *
 * <p>Defaults: subject {@code CN=<commonName>}, an EC P-256 key, no path length constraint, the
 * issuing CA's validity and clock.
 */
public final class IntermediateBuilder {
  private final TestCa issuer;
  private final String commonName;
  private KeyType keyType = KeyType.EC_P256;
  private int pathLength = CaCertificates.NO_PATH_LENGTH;

  IntermediateBuilder(TestCa issuer, String commonName) {
    this.issuer = issuer;
    this.commonName = commonName;
  }

  /**
   * Sets the intermediate's key type. Default: {@link KeyType#EC_P256}.
   *
   * @param keyType the key type
   * @return this builder
   */
  public IntermediateBuilder keyType(KeyType keyType) {
    this.keyType = Objects.requireNonNull(keyType, "keyType");
    return this;
  }

  /**
   * Sets the {@code pathLenConstraint} of the intermediate's basic constraints: how many
   * further CA certificates that are not self-issued may follow it in a path (RFC 5280,
   * section 4.2.1.9). Default: none, any number.
   *
   * @param pathLength zero or more
   * @return this builder
   */
  public IntermediateBuilder pathLength(int pathLength) {
    this.pathLength = CaCertificates.checkPathLength(pathLength);
    return this;
  }

  /**
   * Makes the intermediate CA. Its validity is its issuer's: it never outlives its issuer.
   *
   * @return the new intermediate CA; it shares its issuer's clock
   */
  public TestCa build() {
    return TestCa.newCa(issuer, commonName, keyType, issuer.clock(),
        issuer.certificate().getNotBefore().toInstant(), issuer.certificate().getNotAfter().toInstant(), pathLength);
  }
}
