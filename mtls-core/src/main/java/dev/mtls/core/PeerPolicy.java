package dev.mtls.core;

import org.jspecify.annotations.Nullable;

/**
 * Which trusted peers are allowed. (SKELETON: implemented by the peer-model work.)
 */
public final class PeerPolicy {
  private PeerPolicy() {}

  /**
   * DANGEROUS-free but explicit: every peer whose chain the trust anchors accept.
   *
   * @return the policy
   */
  public static PeerPolicy anyTrustedPeer() {
    throw new UnsupportedOperationException("skeleton");
  }

  /** @return the clock skew */
  public java.time.Duration clockSkew() { throw new UnsupportedOperationException("skeleton"); }

  /**
   * Checks an already-validated peer against this policy: issuer, key usage, identity.
   *
   * @param peer the peer, whose chain has been validated
   * @param rolePurpose the purpose the peer's role needs when the policy names none
   * @return {@code null} when allowed, or the rejection
   */
  Verdict.@Nullable Rejected check(PeerIdentity peer, KeyPurpose rolePurpose) {
    throw new UnsupportedOperationException("skeleton");
  }
}
