package dev.mtls.core;

import dev.mtls.core.internal.validation.PublicSuffixes;
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

  private boolean certificateProfileSet;

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

  /**
   * The rules the server's certificate is held to beyond RFC 5280. Default {@link
   * CertificateProfile#RFC_5280}, for private PKIs; {@link CertificateProfile#CA_BROWSER_FORUM}
   * for a client that calls public servers (it needs Guava on the class or module path).
   *
   * <pre>{@code
   * .certificateProfile(CertificateProfile.CA_BROWSER_FORUM)
   * }</pre>
   *
   * @param profile the profile
   * @return this builder
   * @throws IllegalStateException when a profile was already set
   */
  public ClientContextBuilder certificateProfile(CertificateProfile profile) {
    Objects.requireNonNull(profile, "profile");
    if (certificateProfileSet) {
      throw new IllegalStateException("certificateProfile was already set to " + certificateProfile);
    }
    this.certificateProfile = profile;
    this.certificateProfileSet = true;
    return this;
  }

  @Override
  void checkSettings() {
    if (trustSource == null) {
      throw new IllegalStateException("no trust anchors: call trust(TrustSource) with the CA certificates"
          + " that issue server certificates");
    }
    Throwable noSuffixList = PublicSuffixes.unavailabilityCause();
    if (certificateProfile == CertificateProfile.CA_BROWSER_FORUM && noSuffixList != null) {
      throw new IllegalStateException("certificateProfile CA_BROWSER_FORUM needs the public suffix list of"
          + " Guava: add com.google.guava:guava (and, on the module path, requires com.google.common): "
          + noSuffixList, noSuffixList);
    }
  }
}
