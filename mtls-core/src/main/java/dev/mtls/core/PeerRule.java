package dev.mtls.core;

import org.jspecify.annotations.Nullable;

/**
 * Who the peer must be: the last check of the verifier, once the chain leads to an anchor and
 * is unexpired and unrevoked. A server's rule is its {@link PeerPolicy}, for clients; a
 * client's is its {@link ServerIdentity}, which may depend on the host connected to.
 */
@FunctionalInterface
interface PeerRule {

  /**
   * Checks a peer whose chain has been validated.
   *
   * @param peer the peer
   * @param host what is known of the host a client connected to; ignored by a server's rule
   * @return {@code null} when allowed, or the rejection
   */
  Verdict.@Nullable Rejected check(PeerIdentity peer, ServerHost host);

  /** A server's rule for its clients. */
  static PeerRule forClients(PeerPolicy policy) {
    return (peer, host) -> policy.check(peer, KeyPurpose.CLIENT_AUTH);
  }

  /** A client's rule for its servers. */
  static PeerRule forServers(ServerIdentity identity) {
    return identity::check;
  }
}
