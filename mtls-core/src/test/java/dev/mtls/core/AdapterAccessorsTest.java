package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.PemFiles;
import dev.mtls.testkit.TestCa;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Adapters that configure a TLS stack of their own (Netty's {@code SslContextBuilder} with its
 * OpenSSL provider) take the context's key and trust managers, policy and client-auth mode.
 * Here a plain SunJSSE context is built from them, as such an adapter would, and does
 * mutual TLS by the context's rules.
 */
class AdapterAccessorsTest {
  @TempDir Path dir;

  private final TestCa ca = TestCa.create();

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void keyAndTrustManagers_makeAnotherTlsStackPresentTheIdentity_andJudgeClientsByTheContextsRules(
      TlsProvider provider) throws Exception {
    PemFiles serverFiles = ca.server("localhost").writePem(dir.resolve("server"));
    try (MtlsContext server = MtlsContext.forServer()
            .identity(IdentitySource.pemFiles(serverFiles.chain(), serverFiles.privateKey()))
            .trust(TrustSource.of(List.of(ca.certificate())))
            .peerPolicy(PeerPolicy.builder().allowCommonNames("orders").build())
            .provider(provider)
            .reload(ReloadPolicy.disabled())
            .logging(false)
            .build();
        MtlsContext allowed = client(ca.client("orders"));
        MtlsContext notListed = client(ca.client("billing"))) {
      SSLContext foreign = SSLContext.getInstance("TLSv1.3");
      foreign.init(new KeyManager[] {server.keyManager()}, new TrustManager[] {server.trustManager()}, null);
      try (EngineLoopbackServer loopback = new EngineLoopbackServer(() -> {
        SSLEngine engine = foreign.createSSLEngine();
        engine.setUseClientMode(false);
        engine.setNeedClientAuth(server.clientAuth() == ClientAuth.REQUIRED);
        engine.setEnabledProtocols(server.tlsPolicy().protocols().toArray(new String[0]));
        return engine;
      })) {
        X509Certificate presented = (X509Certificate) LoopbackClient.connect(allowed, "localhost", loopback.port())
            .getPeerCertificates()[0];
        assertThat(presented).isEqualTo(server.identityChain().get(0));
        assertThat(loopback.nextOutcome().succeeded()).isTrue();
        assertThatThrownBy(() -> LoopbackClient.connect(notListed, "localhost", loopback.port()))
            .isInstanceOf(IOException.class);
        assertThat(loopback.nextOutcome().succeeded()).isFalse();

        IssuedCertificate next = ca.server("localhost");
        ReloadFixture.rotate(serverFiles.chain(), serverFiles.privateKey(), next);
        assertThat(server.reloadNow().of(Material.IDENTITY).status()).isEqualTo(ReloadResult.Status.RELOADED);
        try (MtlsContext fresh = client(ca.client("orders"))) {
          X509Certificate rotated = (X509Certificate) LoopbackClient.connect(fresh, "localhost", loopback.port())
              .getPeerCertificates()[0];
          assertThat(rotated.getSerialNumber()).isEqualTo(next.serialNumber());
        }
      }
      assertThat(server.keyManager()).isSameAs(server.keyManager());
      assertThat(server.trustManager()).isSameAs(server.trustManager());
    }
  }

  @Test
  void clientWithoutIdentity_hasAKeyManagerThatOffersNoCertificate() {
    try (MtlsContext client = MtlsContext.forClient()
        .trust(TrustSource.of(List.of(ca.certificate())))
        .logging(false)
        .build()) {
      X509ExtendedKeyManager keys = client.keyManager();
      assertThat(keys.chooseClientAlias(new String[] {"EC", "RSA", "EdDSA"}, null, null)).isNull();
      assertThat(keys.chooseEngineClientAlias(new String[] {"EC", "RSA", "EdDSA"}, null, null)).isNull();
      assertThat(keys.getClientAliases("EC", null)).isNull();
    }
  }

  @Test
  void policyAndClientAuth_areTheBuildersSettings_andAClientHasNoClientAuthMode() {
    IssuedCertificate serverCertificate = ca.server("localhost");
    try (MtlsContext server = MtlsContext.forServer()
            .identity(IdentitySource.of(serverCertificate.privateKey(), serverCertificate.chain()))
            .trust(TrustSource.of(List.of(ca.certificate())))
            .clientAuth(ClientAuth.OPTIONAL)
            .peerPolicy(PeerPolicy.anyTrustedPeer())
            .tlsPolicy(TlsPolicy.COMPATIBLE)
            .logging(false)
            .build();
        MtlsContext client = client(ca.client("orders"))) {
      assertThat(server.tlsPolicy()).isEqualTo(TlsPolicy.COMPATIBLE);
      assertThat(server.clientAuth()).isEqualTo(ClientAuth.OPTIONAL);
      assertThat(client.tlsPolicy()).isEqualTo(TlsPolicy.MODERN);
      assertThatThrownBy(client::clientAuth).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("client context");
    }
  }

  @Test
  void refusedServer_isAPeerRejectedException_carryingTheVerdict_underTheHandshakeFailure() throws Exception {
    IssuedCertificate stranger = TestCa.create().server("localhost");
    try (MtlsContext server = MtlsContext.forServer()
            .identity(IdentitySource.of(stranger.privateKey(), stranger.chain()))
            .trust(TrustSource.of(List.of(ca.certificate())))
            .peerPolicy(PeerPolicy.anyTrustedPeer())
            .logging(false)
            .build();
        MtlsContext client = client(ca.client("orders"));
        LoopbackServer loopback = new LoopbackServer(server)) {
      assertThatThrownBy(() -> LoopbackClient.connect(client, "localhost", loopback.port()))
          .isInstanceOf(javax.net.ssl.SSLHandshakeException.class)
          .cause()
          .isInstanceOfSatisfying(PeerRejectedException.class, refused -> {
            assertThat(refused.rejection().reason()).isEqualTo(RejectionReason.UNTRUSTED_ISSUER);
            assertThat(refused.rejection().peer()).isNotNull();
            assertThat(refused.rejection().peer().serialNumber()).isEqualTo(stranger.serialNumber());
            assertThat(refused).hasMessage(refused.rejection().toString());
          });
    }
  }

  @Test
  void clockSkew_isTheBuildersSetting_noneByDefault() {
    try (MtlsContext plain = client(ca.client("orders"));
        MtlsContext skewed = MtlsContext.forClient()
            .trust(TrustSource.of(List.of(ca.certificate())))
            .clockSkew(java.time.Duration.ofMinutes(2))
            .logging(false)
            .build()) {
      assertThat(plain.clockSkew()).isEqualTo(java.time.Duration.ZERO);
      assertThat(skewed.clockSkew()).isEqualTo(java.time.Duration.ofMinutes(2));
    }
  }

  private MtlsContext client(IssuedCertificate certificate) {
    return MtlsContext.forClient()
        .identity(IdentitySource.of(certificate.privateKey(), certificate.chain()))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .logging(false)
        .build();
  }
}
