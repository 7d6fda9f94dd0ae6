package dev.mtls.core;

import dev.mtls.core.internal.tls.HandshakeFailures;
import java.util.Objects;
import java.util.Optional;

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
  WRONG_KEY_USAGE;

  private static final int MAX_CAUSES = 8;

  /**
   * The reason a failed handshake's exception carries, for adapters that see the exception
   * and not the verdict: the reason of a {@link PeerRejectedException} among its causes (the
   * core's trust manager refused the peer), or {@link #NO_CERTIFICATE} where a server's JDK or
   * Bouncy Castle provider refused a client that sent no certificate on its own (the core
   * context's engines and sockets report that to the listeners as they fail).
   *
   * @param handshakeFailure what a handshake failed with (the exception or a wrapper of it)
   * @return the reason, or empty for other failures (no common protocol or suite, a closed
   *     connection, an alert from the peer)
   */
  public static Optional<RejectionReason> ofHandshakeFailure(Throwable handshakeFailure) {
    Objects.requireNonNull(handshakeFailure, "handshakeFailure");
    Throwable current = handshakeFailure;
    for (int depth = 0; current != null && depth < MAX_CAUSES; depth++, current = current.getCause()) {
      if (current instanceof PeerRejectedException refused && refused.rejection() != null) {
        return Optional.of(refused.rejection().reason());
      }
    }
    return HandshakeFailures.isNoClientCertificate(handshakeFailure) ? Optional.of(NO_CERTIFICATE) : Optional.empty();
  }
}
