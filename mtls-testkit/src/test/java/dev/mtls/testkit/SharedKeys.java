package dev.mtls.testkit;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;

/** Keys that are slow to make, made once for the whole suite. */
final class SharedKeys {
  private SharedKeys() {}

  /** One RSA-2048 key pair for every test that needs "some RSA key". */
  static KeyPair rsa2048() {
    return Rsa.KEY_PAIR;
  }

  private static final class Rsa {
    static final KeyPair KEY_PAIR = generate();

    private static KeyPair generate() {
      try {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
