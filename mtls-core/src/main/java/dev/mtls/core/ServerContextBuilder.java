package dev.mtls.core;

import java.util.Objects;

/**
 * Builds a server {@link MtlsContext}: it presents its identity and, by default, requires a
 * client certificate ({@link ClientAuth#REQUIRED}) from a peer its {@link PeerPolicy} allows.
 *
 * <pre>{@code
 * MtlsContext server = MtlsContext.forServer()
 *     .identity(IdentitySource.pemFiles(Path.of("tls.crt"), Path.of("tls.key")))
 *     .trust(TrustSource.pemFile(Path.of("ca.crt")))
 *     .peerPolicy(PeerPolicy.builder().allowCommonNames("orders").build())
 *     .build();
 * }</pre>
 */
public final class ServerContextBuilder extends ContextBuilder<ServerContextBuilder> {
  private boolean clientAuthSet;

  ServerContextBuilder() {
    super(MtlsContext.Role.SERVER);
  }

  @Override
  ServerContextBuilder self() {
    return this;
  }

  /**
   * Whether the server asks for client certificates. Default {@link ClientAuth#REQUIRED}.
   *
   * @param clientAuth the mode
   * @return this builder
   */
  public ServerContextBuilder clientAuth(ClientAuth clientAuth) {
    Objects.requireNonNull(clientAuth, "clientAuth");
    if (clientAuthSet) {
      throw new IllegalStateException("clientAuth was already set to " + this.clientAuth);
    }
    this.clientAuth = clientAuth;
    this.clientAuthSet = true;
    return this;
  }

  /**
   * Which trusted clients are allowed. Required whenever clients are asked for a certificate:
   * say {@link PeerPolicy#anyTrustedPeer()} to accept every client the anchors accept.
   *
   * @param policy the policy
   * @return this builder
   */
  public ServerContextBuilder peerPolicy(PeerPolicy policy) {
    requireUnset(peerPolicy, "peerPolicy");
    this.peerPolicy = Objects.requireNonNull(policy, "policy");
    return this;
  }

  /**
   * Whether the peer policy is enforced in the handshake as well as by the
   * {@link MtlsContext#verifier() verifier}. Default {@code true}: a client the policy refuses
   * never completes a handshake. An adapter that answers refused clients itself (an HTTP 403
   * with a reason) sets this to {@code false}; chain, validity and revocation are still
   * checked in the handshake.
   *
   * @param enforce whether to enforce the policy in the handshake
   * @return this builder
   */
  public ServerContextBuilder peerPolicyInHandshake(boolean enforce) {
    this.peerPolicyInHandshake = enforce;
    return this;
  }

  @Override
  void checkSettings() {
    if (identitySource == null) {
      throw new IllegalStateException("a server context needs an identity: call identity(IdentitySource)");
    }
    boolean judgesPeers = clientAuth != ClientAuth.NONE;
    if (judgesPeers && trustSource == null) {
      throw new IllegalStateException("no trust anchors: call trust(TrustSource) with the CA certificates"
          + " that issue client certificates");
    }
    if (judgesPeers && peerPolicy == null) {
      throw new IllegalStateException("no peer policy: name the allowed clients with"
          + " peerPolicy(PeerPolicy.builder()...build()), or accept every client the trust anchors"
          + " accept with peerPolicy(PeerPolicy.anyTrustedPeer())");
    }
    if (!judgesPeers && (peerPolicy != null || revocation != null)) {
      throw new IllegalStateException("clientAuth is NONE, so clients are never judged: a peerPolicy"
          + " or revocation setting would have no effect; remove it or ask for client certificates");
    }
  }
}
