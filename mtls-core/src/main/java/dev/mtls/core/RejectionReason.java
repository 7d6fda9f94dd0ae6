package dev.mtls.core;

/**
 * Why a peer was refused. Every rejection carries exactly one reason, chosen by the first
 * check that failed, in this order: certificate present and parseable, chain to a trust
 * anchor, validity, revocation, issuer, key usage, identity.
 */
public enum RejectionReason {
  /** The peer sent no certificate at all. */
  NO_CERTIFICATE,
  /** The peer's certificate could not be parsed or is not fit to be an end-entity certificate. */
  MALFORMED_CERTIFICATE,
  /** The chain does not lead to one of the trust anchors (unknown CA, bad signature). */
  UNTRUSTED_ISSUER,
  /** A certificate in the chain is past its notAfter (beyond the allowed clock skew). */
  EXPIRED,
  /** A certificate in the chain is before its notBefore (beyond the allowed clock skew). */
  NOT_YET_VALID,
  /** A certificate in the chain is on its issuer's CRL. */
  REVOKED,
  /**
   * Revocation was required but could not be decided: no CRL for the issuer, or the CRL is
   * past its nextUpdate and could not be refreshed, or its signature did not verify.
   */
  REVOCATION_UNKNOWN,
  /** The chain is trusted, but not issued by the issuer the peer policy requires. */
  ISSUER_NOT_ALLOWED,
  /** The peer's name (CN, DNS, URI or SPIFFE ID) is on none of the policy's allow-lists. */
  IDENTITY_NOT_ALLOWED,
  /** The certificate lacks the extended key usage its role needs (clientAuth or serverAuth). */
  WRONG_KEY_USAGE
}
