package dev.mtls.core;

/**
 * An extended key usage a peer's certificate can be required to carry (RFC 5280, 4.2.1.12).
 */
public enum KeyPurpose {
  /** {@code id-kp-serverAuth} (1.3.6.1.5.5.7.3.1): the certificate may identify a TLS server. */
  SERVER_AUTH("1.3.6.1.5.5.7.3.1"),
  /** {@code id-kp-clientAuth} (1.3.6.1.5.5.7.3.2): the certificate may identify a TLS client. */
  CLIENT_AUTH("1.3.6.1.5.5.7.3.2");

  private final String oid;

  KeyPurpose(String oid) {
    this.oid = oid;
  }

  /**
   * The object identifier of this purpose.
   *
   * @return the dotted OID
   */
  public String oid() {
    return oid;
  }
}
