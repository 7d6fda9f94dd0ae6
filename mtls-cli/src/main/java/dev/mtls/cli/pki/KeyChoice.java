package dev.mtls.cli.pki;

import dev.mtls.testkit.KeyType;

/** The kind of key {@code --key} asks for. */
enum KeyChoice {
  /** ECDSA on P-256: small, fast, what meshes use. */
  EC(KeyType.EC_P256, "EC P-256"),
  /** RSA with 2048 bits: for peers that know nothing else. */
  RSA(KeyType.RSA_2048, "RSA 2048");

  private final KeyType type;
  private final String label;

  KeyChoice(KeyType type, String label) {
    this.type = type;
    this.label = label;
  }

  KeyType type() {
    return type;
  }

  String label() {
    return label;
  }

  /** The choice matching a CA's key, so that later certificates are of the CA's kind. */
  static KeyChoice like(java.security.PublicKey key) {
    return key.getAlgorithm().equals("RSA") ? RSA : EC;
  }
}
