package dev.mtls.testkit;

/**
 * How a private key is written as PEM.
 *
 * @see IssuedCertificate#privateKeyPem(KeyFormat)
 */
public enum KeyFormat {
  /** PKCS#8 ({@code -----BEGIN PRIVATE KEY-----}, RFC 5208): any key type. The default. */
  PKCS8,
  /** PKCS#1 ({@code -----BEGIN RSA PRIVATE KEY-----}, RFC 8017): RSA keys only. */
  PKCS1,
  /** SEC 1 ({@code -----BEGIN EC PRIVATE KEY-----}, RFC 5915): EC keys only. */
  SEC1
}
