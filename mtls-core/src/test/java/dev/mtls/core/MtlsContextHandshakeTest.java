package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Real handshakes over loopback between a server and a client context, on both providers:
 * who gets in, who is refused during the handshake, and why.
 */
class MtlsContextHandshakeTest {
  @TempDir Path dir;

  private final TestCa ca = TestCa.create();
  private final IssuedCertificate serverCertificate = ca.server("localhost");
  private final RecordingListener recording = new RecordingListener();
  private final Collection<MtlsListener.PeerRejected> rejections = recording.rejected;

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void allowedClient_completesTls13Handshake_andServerSeesItsCertificate(TlsProvider provider) throws Exception {
    IssuedCertificate clientCertificate = ca.client("orders");
    try (MtlsContext server = server(provider, PeerPolicy.builder().allowCommonNames("orders").build(), null);
        MtlsContext client = client(provider, clientCertificate);
        LoopbackServer loopback = new LoopbackServer(server)) {
      SSLSession clientSession = LoopbackClient.connect(client, "localhost", loopback.port());

      assertThat(clientSession.getProtocol()).isEqualTo("TLSv1.3");
      assertThat(TlsPolicy.MODERN.cipherSuites()).contains(clientSession.getCipherSuite());
      assertThat(((X509Certificate) clientSession.getPeerCertificates()[0]).getSerialNumber())
          .isEqualTo(serverCertificate.serialNumber());
      LoopbackServer.Outcome outcome = loopback.nextOutcome();
      assertThat(outcome.succeeded()).as("server outcome %s", outcome.failure()).isTrue();
      assertThat(((X509Certificate) outcome.session().getPeerCertificates()[0]).getSerialNumber())
          .isEqualTo(clientCertificate.serialNumber());
      Verdict verdict = server.verifier().verify(outcome.session());
      assertThat(verdict.isAllowed()).as("verdict %s", verdict).isTrue();
      assertThat(verdict.peer().commonName()).contains("orders");
      assertThat(rejections).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void clientFromAnotherCa_isRefusedDuringHandshake(TlsProvider provider) throws Exception {
    TestCa otherCa = TestCa.create();
    try (MtlsContext server = server(provider, PeerPolicy.anyTrustedPeer(), null);
        MtlsContext client = MtlsContext.forClient()
            .identity(identity(otherCa.client("intruder")))
            .trust(TrustSource.of(List.of(ca.certificate())))
            .provider(provider)
            .build();
        LoopbackServer loopback = new LoopbackServer(server)) {
      assertThatThrownBy(() -> LoopbackClient.connect(client, "localhost", loopback.port()))
          .isInstanceOf(IOException.class);
      assertThat(loopback.nextOutcome().succeeded()).isFalse();
      assertThat(rejections).singleElement()
          .satisfies(r -> assertThat(r.rejected().reason()).isEqualTo(RejectionReason.UNTRUSTED_ISSUER));
    }
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void clientNotOnAllowList_isRefusedDuringHandshake(TlsProvider provider) throws Exception {
    try (MtlsContext server = server(provider, PeerPolicy.builder().allowCommonNames("orders").build(), null);
        MtlsContext client = client(provider, ca.client("billing"));
        LoopbackServer loopback = new LoopbackServer(server)) {
      assertThatThrownBy(() -> LoopbackClient.connect(client, "localhost", loopback.port()))
          .isInstanceOf(IOException.class);
      assertThat(loopback.nextOutcome().succeeded()).isFalse();
      assertThat(rejections).singleElement().satisfies(r -> {
        assertThat(r.rejected().reason()).isEqualTo(RejectionReason.IDENTITY_NOT_ALLOWED);
        assertThat(r.rejected().detail()).contains("billing");
      });
    }
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void revokedClient_isRefusedDuringHandshake(TlsProvider provider) throws Exception {
    IssuedCertificate revoked = ca.client("orders");
    ca.revoke(revoked);
    Path crl = ca.writeCrl(dir.resolve("ca.crl"));
    try (MtlsContext server = server(provider, PeerPolicy.anyTrustedPeer(), Revocation.crls().file(crl).build());
        MtlsContext client = client(provider, revoked);
        LoopbackServer loopback = new LoopbackServer(server)) {
      assertThatThrownBy(() -> LoopbackClient.connect(client, "localhost", loopback.port()))
          .isInstanceOf(IOException.class);
      assertThat(loopback.nextOutcome().succeeded()).isFalse();
      assertThat(rejections).singleElement()
          .satisfies(r -> assertThat(r.rejected().reason()).isEqualTo(RejectionReason.REVOKED));
    }
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void expiredClient_isRefusedDuringHandshake(TlsProvider provider) throws Exception {
    // Our own client context refuses to present an expired certificate, so a plain JDK
    // client plays the careless peer.
    IssuedCertificate expired = ca.leaf("old").clientAuth().expired().issue();
    try (MtlsContext server = server(provider, PeerPolicy.anyTrustedPeer(), null);
        LoopbackServer loopback = new LoopbackServer(server)) {
      assertThatThrownBy(() -> LoopbackClient.connect(plainJdkClient(expired), "localhost", loopback.port()))
          .isInstanceOf(IOException.class);
      assertThat(loopback.nextOutcome().succeeded()).isFalse();
      assertThat(rejections).singleElement()
          .satisfies(r -> assertThat(r.rejected().reason()).isEqualTo(RejectionReason.EXPIRED));
    }
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void serverWhoseCertificateDoesNotNameTheHost_isRefusedByClient(TlsProvider provider) throws Exception {
    try (MtlsContext server = server(provider, PeerPolicy.anyTrustedPeer(), null);
        MtlsContext client = client(provider, ca.client("orders"));
        LoopbackServer loopback = new LoopbackServer(server)) {
      // The server's certificate names "localhost" only, not the IP address.
      assertThatThrownBy(() -> LoopbackClient.connect(client, "127.0.0.1", loopback.port()))
          .isInstanceOf(IOException.class);
      assertThat(rejections).singleElement().satisfies(r -> {
        assertThat(r.rejected().reason()).isEqualTo(RejectionReason.IDENTITY_NOT_ALLOWED);
        assertThat(r.rejected().detail()).contains("127.0.0.1");
      });
    }
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void optionalClientAuth_letsClientWithoutCertificateIn_andVerifierSaysNoCertificate(TlsProvider provider)
      throws Exception {
    try (MtlsContext server = MtlsContext.forServer()
            .identity(identity(serverCertificate))
            .trust(TrustSource.of(List.of(ca.certificate())))
            .clientAuth(ClientAuth.OPTIONAL)
            .peerPolicy(PeerPolicy.anyTrustedPeer())
            .provider(provider)
            .listener(recording)
            .build();
        MtlsContext client = MtlsContext.forClient()
            .trust(TrustSource.of(List.of(ca.certificate())))
            .provider(provider)
            .build();
        LoopbackServer loopback = new LoopbackServer(server)) {
      LoopbackClient.connect(client, "localhost", loopback.port());

      LoopbackServer.Outcome outcome = loopback.nextOutcome();
      assertThat(outcome.succeeded()).isTrue();
      Verdict verdict = server.verifier().verify(outcome.session());
      assertThat(verdict).isInstanceOfSatisfying(Verdict.Rejected.class,
          r -> assertThat(r.reason()).isEqualTo(RejectionReason.NO_CERTIFICATE));
    }
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void tls12Client_isRefusedByModernServer_butAcceptedByCompatibleServer(TlsProvider provider) throws Exception {
    TlsPolicy tls12Only = TlsPolicy.of(List.of("TLSv1.2"), List.of("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"));
    try (MtlsContext client = MtlsContext.forClient()
            .identity(identity(ca.client("orders")))
            .trust(TrustSource.of(List.of(ca.certificate())))
            .tlsPolicy(tls12Only)
            .provider(provider)
            .build()) {
      try (MtlsContext modern = server(provider, PeerPolicy.anyTrustedPeer(), null);
          LoopbackServer loopback = new LoopbackServer(modern)) {
        assertThatThrownBy(() -> LoopbackClient.connect(client, "localhost", loopback.port()))
            .isInstanceOf(IOException.class);
      }
      try (MtlsContext compatible = MtlsContext.forServer()
              .identity(identity(serverCertificate))
              .trust(TrustSource.of(List.of(ca.certificate())))
              .peerPolicy(PeerPolicy.anyTrustedPeer())
              .tlsPolicy(TlsPolicy.COMPATIBLE)
              .provider(provider)
              .listener(recording)
              .build();
          LoopbackServer loopback = new LoopbackServer(compatible)) {
        SSLSession session = LoopbackClient.connect(client, "localhost", loopback.port());
        assertThat(rejections).isEmpty();
        assertThat(session.getProtocol()).isEqualTo("TLSv1.2");
        assertThat(session.getCipherSuite()).isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
      }
    }
  }

  private MtlsContext server(TlsProvider provider, PeerPolicy policy, Revocation revocation) {
    ServerContextBuilder builder = MtlsContext.forServer()
        .identity(identity(serverCertificate))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .peerPolicy(policy)
        .provider(provider)
        .listener(recording);
    if (revocation != null) {
      builder.revocation(revocation);
    }
    return builder.build();
  }

  private MtlsContext client(TlsProvider provider, IssuedCertificate certificate) {
    return MtlsContext.forClient()
        .identity(identity(certificate))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .provider(provider)
        .listener(recording)
        .build();
  }

  private SSLSocketFactory plainJdkClient(IssuedCertificate certificate) throws Exception {
    char[] password = "test".toCharArray();
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(certificate.keyStore(password), password);
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(ca.trustStore());
    SSLContext context = SSLContext.getInstance("TLSv1.3");
    context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
    return context.getSocketFactory();
  }

  static IdentitySource identity(IssuedCertificate certificate) {
    return IdentitySource.of(certificate.privateKey(), certificate.chain());
  }
}
