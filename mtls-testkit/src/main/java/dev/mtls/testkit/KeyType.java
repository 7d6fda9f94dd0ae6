package dev.mtls.testkit;

/**
 * The kind of key a test CA or certificate is made with. {@link #EC_P256} is the default:
 * it is what production meshes use and it is fast to make (RSA key generation costs
 * 100 ms and more).
 */
public enum KeyType {
  /** ECDSA on NIST P-256 (secp256r1), signing with SHA-256. The default. */
  EC_P256,
  /** ECDSA on NIST P-384 (secp384r1), signing with SHA-384. */
  EC_P384,
  /** RSA with a 2048-bit modulus, signing with SHA-256. */
  RSA_2048,
  /** RSA with a 3072-bit modulus, signing with SHA-256. */
  RSA_3072,
  /** RSA with a 4096-bit modulus, signing with SHA-256. */
  RSA_4096,
  /** EdDSA on Curve25519 (RFC 8410). */
  ED25519
}
