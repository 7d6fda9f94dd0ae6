package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import java.io.IOException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Contexts and peers for the scenarios of constraints through a chain: a server that trusts
 * one anchor and lets in every client it validates, a client that trusts one anchor, and
 * plain JDK peers that present whatever chain they are given (as an attacker's would).
 */
final class ChainScenario {
  private final TestCa serverCa = TestCa.create();
  private final IssuedCertificate serverCertificate = serverCa.server("localhost");
  final RecordingListener recording = new RecordingListener();

  /** A server context that lets in every client whose chain leads to {@code anchor}. */
  MtlsContext server(X509Certificate anchor, TlsProvider provider) {
    return MtlsContext.forServer()
        .identity(IdentitySource.of(serverCertificate.privateKey(), serverCertificate.chain()))
        .trust(TrustSource.of(List.of(anchor)))
        .peerPolicy(PeerPolicy.anyTrustedPeer())
        .provider(provider)
        .listener(recording)
        .build();
  }

  /** A server context presenting {@code identity}, asking for no client certificate. */
  MtlsContext serverPresenting(IssuedCertificate identity, TlsProvider provider) {
    return MtlsContext.forServer()
        .identity(IdentitySource.of(identity.privateKey(), identity.chain()))
        .clientAuth(ClientAuth.NONE)
        .provider(provider)
        .build();
  }

  /** A client context that trusts {@code anchor}, with a certificate profile. */
  MtlsContext client(X509Certificate anchor, CertificateProfile profile, TlsProvider provider) {
    return MtlsContext.forClient()
        .trust(TrustSource.of(List.of(anchor)))
        .certificateProfile(profile)
        .provider(provider)
        .listener(recording)
        .build();
  }

  /** A handshake of {@code client} (a plain JDK client presenting it) with {@code server}, refused. */
  void assertClientRefused(MtlsContext server, IssuedCertificate client, RejectionReason reason, String detail)
      throws Exception {
    try (MtlsContext context = server;
        LoopbackServer loopback = new LoopbackServer(context)) {
      assertThatThrownBy(() -> LoopbackClient.connect(carelessClient(client), "localhost", loopback.port()))
          .isInstanceOf(IOException.class);
      assertThat(loopback.nextOutcome().succeeded()).isFalse();
      assertRejected(reason, detail);
    }
  }

  /** A handshake of {@code client} with {@code server}, let in. */
  void assertClientLetIn(MtlsContext server, IssuedCertificate client) throws Exception {
    try (MtlsContext context = server;
        LoopbackServer loopback = new LoopbackServer(context)) {
      LoopbackClient.connect(carelessClient(client), "localhost", loopback.port());
      assertThat(loopback.nextOutcome().succeeded()).isTrue();
      assertThat(recording.rejected).isEmpty();
    }
  }

  /** A handshake of {@code client} with a server presenting {@code server}, refused by the client. */
  void assertServerRefused(MtlsContext client, IssuedCertificate server, TlsProvider provider,
      RejectionReason reason, String detail) throws Exception {
    try (MtlsContext clientContext = client;
        MtlsContext serverContext = serverPresenting(server, provider);
        LoopbackServer loopback = new LoopbackServer(serverContext)) {
      assertThatThrownBy(() -> LoopbackClient.connect(clientContext, "localhost", loopback.port()))
          .isInstanceOf(IOException.class);
      assertRejected(reason, detail);
    }
  }

  /** A handshake of {@code client} with a server presenting {@code server}, completed. */
  void assertServerAccepted(MtlsContext client, IssuedCertificate server, TlsProvider provider) throws Exception {
    try (MtlsContext clientContext = client;
        MtlsContext serverContext = serverPresenting(server, provider);
        LoopbackServer loopback = new LoopbackServer(serverContext)) {
      assertThat(LoopbackClient.connect(clientContext, "localhost", loopback.port()).getProtocol())
          .isEqualTo("TLSv1.3");
      assertThat(recording.rejected).isEmpty();
    }
  }

  private void assertRejected(RejectionReason reason, String detail) {
    assertThat(recording.rejected).singleElement().satisfies(r -> {
      assertThat(r.rejected().reason()).as(r.rejected().detail()).isEqualTo(reason);
      assertThat(r.rejected().detail()).contains(detail);
    });
  }

  static void assertRefused(Verdict verdict, RejectionReason reason, String detail) {
    assertThat(verdict).isInstanceOfSatisfying(Verdict.Rejected.class, r -> {
      assertThat(r.reason()).as(r.detail()).isEqualTo(reason);
      assertThat(r.detail()).contains(detail);
    });
  }

  static void assertAllowed(Verdict verdict) {
    assertThat(verdict.isAllowed()).as(verdict::toString).isTrue();
  }

  /** A plain JDK client presenting whatever it is given: the peer an attacker would run. */
  SSLSocketFactory carelessClient(IssuedCertificate client) throws Exception {
    char[] password = "test".toCharArray();
    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    keyStore.load(null, null);
    keyStore.setKeyEntry("client", client.privateKey(), password, client.chain().toArray(new X509Certificate[0]));
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(keyStore, password);
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(serverCa.trustStore());
    SSLContext context = SSLContext.getInstance("TLSv1.3");
    context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
    return context.getSocketFactory();
  }
}
