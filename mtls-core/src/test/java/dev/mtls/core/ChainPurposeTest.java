package dev.mtls.core;

import static dev.mtls.core.ChainScenario.assertAllowed;
import static dev.mtls.core.ChainScenario.assertRefused;

import dev.mtls.testkit.CaExtensions;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The extended key usage of CA certificates limits what they issue (as Go, rustls-webpki and
 * the CA/Browser Forum read it): a client certificate under an intermediate limited to
 * serverAuth is refused by a server, a server certificate under one limited to clientAuth by a
 * client; {@code anyExtendedKeyUsage} allows every purpose. The refusals fail on the code
 * before this rule, which looked at the leaf's extension only.
 */
class ChainPurposeTest {
  private final TestCa root = TestCa.create();
  private final ChainScenario scenario = new ChainScenario();

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void handshake_refusesAClient_underAnIntermediateLimitedToServerAuth(TlsProvider provider) throws Exception {
    TestCa servers = root.newIntermediate("Servers CA",
        CaExtensions.builder().extendedKeyUsages(CaExtensions.SERVER_AUTH).build());
    scenario.assertClientRefused(scenario.server(root.certificate(), provider), servers.client("orders"),
        RejectionReason.WRONG_KEY_USAGE,
        "issuing certificate CN=Servers CA may issue only for the purposes of its extended key usage [serverAuth],"
            + " which leave out clientAuth");
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void handshake_letsInAClient_underAnIntermediateWithClientAuthOrAnyPurpose(TlsProvider provider) throws Exception {
    TestCa clients = root.newIntermediate("Clients CA",
        CaExtensions.builder().extendedKeyUsages(CaExtensions.SERVER_AUTH, CaExtensions.CLIENT_AUTH).build());
    TestCa any = root.newIntermediate("Any CA",
        CaExtensions.builder().extendedKeyUsages(CaExtensions.ANY_EXTENDED_KEY_USAGE).build());
    scenario.assertClientLetIn(scenario.server(root.certificate(), provider), clients.client("orders"));
    scenario.assertClientLetIn(scenario.server(root.certificate(), provider), any.client("orders"));
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void handshake_refusesAServer_underAnIntermediateLimitedToClientAuth(TlsProvider provider) throws Exception {
    TestCa clients = root.newIntermediate("Clients CA",
        CaExtensions.builder().extendedKeyUsages(CaExtensions.CLIENT_AUTH).build());
    scenario.assertServerRefused(scenario.client(root.certificate(), CertificateProfile.RFC_5280, provider),
        clients.server("localhost"), provider, RejectionReason.WRONG_KEY_USAGE,
        "CN=Clients CA may issue only for the purposes of its extended key usage [clientAuth], which leave out"
            + " serverAuth");
  }

  @Test
  void aTrustAnchorWithAnExtendedKeyUsage_limitsEverythingUnderIt() {
    TestCa emailRoot = TestCa.builder().commonName("Mail Root")
        .extensions(CaExtensions.builder().extendedKeyUsages("1.3.6.1.5.5.7.3.4").build()).build();
    try (MtlsContext server = scenario.server(emailRoot.certificate(), TlsProvider.JDK)) {
      assertRefused(server.verifier().verify(emailRoot.client("orders").chain()), RejectionReason.WRONG_KEY_USAGE,
          "trust anchor CN=Mail Root may issue only for the purposes of its extended key usage [emailProtection]");
    }
  }

  @Test
  void aServerThatRequiresServerAuthOfItsClients_judgesTheIntermediatesByThatPurpose() {
    TestCa servers = root.newIntermediate("Servers CA",
        CaExtensions.builder().extendedKeyUsages(CaExtensions.SERVER_AUTH).build());
    IssuedCertificate peer = servers.leaf("peer-server").serverAuth().issue();
    try (MtlsContext server = MtlsContext.forServer()
        .identity(IdentitySource.of(peer.privateKey(), peer.chain()))
        .trust(TrustSource.of(java.util.List.of(root.certificate())))
        .peerPolicy(PeerPolicy.builder().allowAnyTrustedPeer().requireExtendedKeyUsage(KeyPurpose.SERVER_AUTH).build())
        .build()) {
      assertAllowed(server.verifier().verify(peer.chain()));
    }
  }
}
