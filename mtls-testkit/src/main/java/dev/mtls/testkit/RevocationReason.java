package dev.mtls.testkit;

/**
 * Why a certificate was revoked: the {@code CRLReason} values of
 * <a href="https://www.rfc-editor.org/rfc/rfc5280#section-5.3.1">RFC 5280, section 5.3.1</a>
 * that make sense for a test CA.
 */
public enum RevocationReason {
  /** No reason given; the CRL entry then carries no reason code extension, as RFC 5280 asks. */
  UNSPECIFIED(0),
  /** The subject's private key is known or suspected to be compromised. */
  KEY_COMPROMISE(1),
  /** The issuing CA's private key is known or suspected to be compromised. */
  CA_COMPROMISE(2),
  /** The subject's name or other information has changed. */
  AFFILIATION_CHANGED(3),
  /** The certificate has been replaced. */
  SUPERSEDED(4),
  /** The certificate is no longer needed. */
  CESSATION_OF_OPERATION(5),
  /** The certificate is temporarily on hold. */
  CERTIFICATE_HOLD(6),
  /** A privilege granted by the certificate has been withdrawn. */
  PRIVILEGE_WITHDRAWN(9),
  /**
   * An attribute authority's key is known or suspected to be compromised; with the others, a
   * reason a CRL partitioned by {@link CrlBuilder#onlySomeReasons} must cover.
   */
  AA_COMPROMISE(10);

  private final int code;

  RevocationReason(int code) {
    this.code = code;
  }

  /**
   * Returns the RFC 5280 {@code CRLReason} code, for example 1 for {@link #KEY_COMPROMISE}.
   *
   * @return the reason code as it appears in a CRL entry
   */
  public int code() {
    return code;
  }
}
