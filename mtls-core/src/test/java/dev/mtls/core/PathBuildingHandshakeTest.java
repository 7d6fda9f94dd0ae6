package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import java.io.IOException;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Path building in the handshake, over loopback on both providers: clients whose chains
 * offer several candidate issuers are let in by the context's trust manager through the path
 * that holds.
 */
class PathBuildingHandshakeTest {
  private final TestCa root = TestCa.create();
  private final IssuedCertificate serverCertificate = root.server("localhost");
  private final RecordingListener recording = new RecordingListener();

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void clientOfARolledOverCa_isAccepted_byAServerThatTrustsOnlyTheOldKey(TlsProvider provider) throws Exception {
    TestCa renewed = root.rekey();
    IssuedCertificate peer = renewed.client("orders");
    X509Certificate newWithOld = root.crossCertificate(renewed).issue();
    try (MtlsContext server = server(provider);
        MtlsContext client = MtlsContext.forClient()
            .identity(IdentitySource.of(peer.privateKey(), List.of(peer.certificate(), newWithOld)))
            .trust(TrustSource.of(List.of(root.certificate())))
            .provider(provider)
            .build();
        LoopbackServer loopback = new LoopbackServer(server)) {
      LoopbackClient.connect(client, "localhost", loopback.port());

      LoopbackServer.Outcome outcome = loopback.nextOutcome();
      assertThat(outcome.succeeded()).as("server outcome %s, refusals %s", outcome.failure(), recording.rejected)
          .isTrue();
      Verdict verdict = server.verifier().verify(outcome.session());
      assertThat(verdict.isAllowed()).as("verdict %s", verdict).isTrue();
      assertThat(verdict.peer().commonName()).contains("orders");
      assertThat(recording.rejected).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void clientSendingAnExpiredCopyOfItsIntermediateFirst_isAccepted_throughTheValidCopy(TlsProvider provider)
      throws Exception {
    TestCa intermediate = root.newIntermediate("Issuing CA");
    Instant now = root.clock().instant();
    X509Certificate expired = root.crossCertificate(intermediate)
        .validity(now.minus(Duration.ofDays(400)), now.minus(Duration.ofDays(10)))
        .issue();
    IssuedCertificate peer = intermediate.client("orders");
    try (MtlsContext server = server(provider);
        LoopbackServer loopback = new LoopbackServer(server)) {
      LoopbackClient.connect(
          plainClient(peer.privateKey(), peer.certificate(), expired, intermediate.certificate()),
          "localhost", loopback.port());

      LoopbackServer.Outcome outcome = loopback.nextOutcome();
      assertThat(outcome.succeeded()).as("server outcome %s, refusals %s", outcome.failure(), recording.rejected)
          .isTrue();
      assertThat(recording.rejected).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void clientCrossSignedByTwoRoots_isAccepted_whenTheUntrustedRootsCertificateComesFirst(TlsProvider provider)
      throws Exception {
    TestCa otherRoot = TestCa.create();
    TestCa issuing = TestCa.builder().commonName("Partner Issuing CA").build();
    IssuedCertificate peer = issuing.client("partner");
    try (MtlsContext server = server(provider);
        LoopbackServer loopback = new LoopbackServer(server)) {
      LoopbackClient.connect(
          plainClient(peer.privateKey(), peer.certificate(), otherRoot.crossCertificate(issuing).issue(),
              root.crossCertificate(issuing).issue()),
          "localhost", loopback.port());

      LoopbackServer.Outcome outcome = loopback.nextOutcome();
      assertThat(outcome.succeeded()).as("server outcome %s, refusals %s", outcome.failure(), recording.rejected)
          .isTrue();
      assertThat(server.verifier().verify(outcome.session()).isAllowed()).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void clientUnderAnIntermediate_isRefusedInTheHandshake_whenThePolicyAllowsChainsOfTwo(TlsProvider provider)
      throws Exception {
    IssuedCertificate direct = root.client("direct");
    IssuedCertificate underIntermediate = root.newIntermediate("Issuing CA").client("indirect");
    PeerPolicy policy = PeerPolicy.builder().allowAnyTrustedPeer().maxChainLength(2).build();
    try (MtlsContext server = server(provider, policy);
        MtlsContext directClient = client(provider, direct);
        MtlsContext indirectClient = client(provider, underIntermediate);
        LoopbackServer loopback = new LoopbackServer(server)) {
      LoopbackClient.connect(directClient, "localhost", loopback.port());
      assertThat(loopback.nextOutcome().succeeded()).isTrue();

      assertThatThrownBy(() -> LoopbackClient.connect(indirectClient, "localhost", loopback.port()))
          .isInstanceOf(IOException.class);
      assertThat(loopback.nextOutcome().succeeded()).isFalse();
      assertThat(recording.rejected).singleElement().satisfies(refusal -> {
        assertThat(refusal.rejected().reason()).isEqualTo(RejectionReason.UNTRUSTED_ISSUER);
        assertThat(refusal.rejected().detail()).contains("at most 2 certificates");
      });
    }
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void clientWithACaCertificate_isAccepted_asRfc5280Allows_unlessThePolicyRequiresAnEndEntity(TlsProvider provider)
      throws Exception {
    IssuedCertificate caAsClient = root.leaf("gateway").certificateAuthority().clientAuth().issue();
    PeerPolicy endEntityOnly = PeerPolicy.builder().allowAnyTrustedPeer().requireEndEntityCertificate().build();
    try (MtlsContext lenient = server(provider);
        MtlsContext strict = server(provider, endEntityOnly);
        LoopbackServer lenientLoopback = new LoopbackServer(lenient);
        LoopbackServer strictLoopback = new LoopbackServer(strict)) {
      LoopbackClient.connect(plainClient(caAsClient.privateKey(), caAsClient.certificate()), "localhost",
          lenientLoopback.port());
      assertThat(lenientLoopback.nextOutcome().succeeded()).as("refusals %s", recording.rejected).isTrue();

      assertThatThrownBy(() -> LoopbackClient.connect(plainClient(caAsClient.privateKey(), caAsClient.certificate()),
          "localhost", strictLoopback.port())).isInstanceOf(IOException.class);
      assertThat(strictLoopback.nextOutcome().succeeded()).isFalse();
      assertThat(recording.rejected).singleElement().satisfies(refusal -> {
        assertThat(refusal.rejected().reason()).isEqualTo(RejectionReason.MALFORMED_CERTIFICATE);
        assertThat(refusal.rejected().detail()).contains("CA certificate").contains("end-entity");
      });
    }
  }

  private MtlsContext client(TlsProvider provider, IssuedCertificate certificate) {
    return MtlsContext.forClient()
        .identity(IdentitySource.of(certificate.privateKey(), certificate.chain()))
        .trust(TrustSource.of(List.of(root.certificate())))
        .provider(provider)
        .build();
  }

  private MtlsContext server(TlsProvider provider) {
    return server(provider, PeerPolicy.anyTrustedPeer());
  }

  private MtlsContext server(TlsProvider provider, PeerPolicy policy) {
    return MtlsContext.forServer()
        .identity(IdentitySource.of(serverCertificate.privateKey(), serverCertificate.chain()))
        .trust(TrustSource.of(List.of(root.certificate())))
        .peerPolicy(policy)
        .provider(provider)
        .listener(recording)
        .build();
  }

  /**
   * A client outside this library that sends its chain exactly as given, in any order and with
   * extras (as some stacks and hand-made bundles do): the JDK's own key stores refuse to hold such chains.
   */
  private SSLSocketFactory plainClient(PrivateKey key, X509Certificate... chain) throws Exception {
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(root.trustStore());
    SSLContext context = SSLContext.getInstance("TLSv1.3");
    context.init(new KeyManager[] {new FixedChain(key, chain)}, trust.getTrustManagers(), null);
    return context.getSocketFactory();
  }

  /** A key manager with one client key and chain, offered whatever the server asks for. */
  private static final class FixedChain extends X509ExtendedKeyManager {
    private static final String ALIAS = "peer";
    private final PrivateKey key;
    private final X509Certificate[] chain;

    FixedChain(PrivateKey key, X509Certificate[] chain) {
      this.key = key;
      this.chain = chain.clone();
    }

    @Override
    public String[] getClientAliases(String keyType, Principal @Nullable [] issuers) {
      return new String[] {ALIAS};
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal @Nullable [] issuers, @Nullable Socket socket) {
      return ALIAS;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal @Nullable [] issuers,
        @Nullable SSLEngine engine) {
      return ALIAS;
    }

    @Override
    public String @Nullable [] getServerAliases(String keyType, Principal @Nullable [] issuers) {
      return null;
    }

    @Override
    public @Nullable String chooseServerAlias(String keyType, Principal @Nullable [] issuers,
        @Nullable Socket socket) {
      return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return chain.clone();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return key;
    }
  }
}
