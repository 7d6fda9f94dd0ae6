package dev.mtls.core;

import java.util.Objects;

/**
 * Builds a client {@link MtlsContext}: it presents its identity when the server asks, and
 * checks the server's certificate, including its host name.
 *
 * <pre>{@code
 * MtlsContext client = MtlsContext.forClient()
 *     .identity(IdentitySource.pemFiles(Path.of("client.crt"), Path.of("client.key")))
 *     .trust(TrustSource.pemFile(Path.of("ca.crt")))
 *     .build();
 * }</pre>
 */
public final class ClientContextBuilder extends ContextBuilder<ClientContextBuilder> {

  ClientContextBuilder() {
    super(MtlsContext.Role.CLIENT);
  }

  @Override
  ClientContextBuilder self() {
    return this;
  }

  /**
   * Which trusted servers are allowed, beyond their certificate naming the host. Default:
   * any trusted server whose certificate names the host it connects to.
   *
   * @param policy the policy
   * @return this builder
   */
  public ClientContextBuilder peerPolicy(PeerPolicy policy) {
    requireUnset(peerPolicy, "peerPolicy");
    this.peerPolicy = Objects.requireNonNull(policy, "policy");
    return this;
  }

  /**
   * DANGEROUS: the context stops checking that the server's certificate names the host it
   * connects to, so any server with a certificate from the trust anchors can impersonate any
   * other. Only for peers identified by a {@link PeerPolicy} instead (SPIFFE IDs, say). Logged
   * at WARN.
   *
   * @return this builder
   */
  public ClientContextBuilder insecureSkipHostnameVerification() {
    this.verifyHostname = false;
    return this;
  }

  @Override
  void checkSettings() {
    if (trustSource == null) {
      throw new IllegalStateException("no trust anchors: call trust(TrustSource) with the CA certificates"
          + " that issue server certificates");
    }
  }
}
