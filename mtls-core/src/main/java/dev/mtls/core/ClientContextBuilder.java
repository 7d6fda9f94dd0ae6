package dev.mtls.core;

import java.util.Objects;

/**
 * Builds a client {@link MtlsContext}: it presents its identity when the server asks, and
 * checks the server's certificate and, by its {@link ServerIdentity} rule, who the server is
 * (by default: the certificate names the host connected to).
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
   * Who the server must be. Default {@link ServerIdentity#hostName()}: its certificate names
   * the host connected to. The rule decides in the handshake, whatever endpoint
   * identification an engine or socket asks for (see {@link ServerIdentity}), and after it
   * through {@link PeerVerifier#verifyServer(java.util.List, String)}.
   *
   * <pre>{@code
   * .serverIdentity(ServerIdentity.peer(PeerPolicy.builder()
   *     .allowSpiffeIds("spiffe://prod.example/ns/payments/sa/api").build()))
   * }</pre>
   *
   * @param identity the rule
   * @return this builder
   */
  public ClientContextBuilder serverIdentity(ServerIdentity identity) {
    requireUnset(serverIdentity, "serverIdentity");
    this.serverIdentity = Objects.requireNonNull(identity, "identity");
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
