package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.KeyType;
import dev.mtls.testkit.TestCa;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Mutual handshakes with every key type the library loads, on both providers, in TLS 1.3 and
 * 1.2: the key manager, which offers a key only when it can sign with a scheme the peer
 * accepts, and the constraints against SHA-1, SHA-224 and DSA leave every such key a scheme.
 *
 * <p>Not here: Ed25519 with Bouncy Castle's JSSE, which fails its handshake with or without
 * those (its crypto does not sign with the JDK's {@code EdDSA} key object), a defect of its own.
 */
class KeyTypeHandshakeTest {
  private static final Map<KeyType, TestCa> CAS = new ConcurrentHashMap<>();
  private static final TlsPolicy TLS12 = TlsPolicy.of(List.of("TLSv1.2"), List.of(
      "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"));

  static Stream<Arguments> keyTypesProvidersAndPolicies() {
    return Stream.of(KeyType.EC_P256, KeyType.EC_P384, KeyType.RSA_2048, KeyType.ED25519)
        .flatMap(keyType -> Stream.of(TlsProvider.values())
            .filter(provider -> keyType != KeyType.ED25519 || provider != TlsProvider.BOUNCY_CASTLE)
            .flatMap(provider -> Stream.of(Arguments.of(keyType, provider, TlsPolicy.MODERN),
                Arguments.of(keyType, provider, TLS12))));
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("keyTypesProvidersAndPolicies")
  void mutualHandshake_succeeds(KeyType keyType, TlsProvider provider, TlsPolicy policy) throws Exception {
    TestCa ca = CAS.computeIfAbsent(keyType,
        type -> TestCa.builder().commonName(type + " CA").keyType(type).build());
    IssuedCertificate serverCertificate = ca.leaf("server").dnsNames("localhost").serverAuth().keyType(keyType).issue();
    IssuedCertificate clientCertificate = ca.leaf("client").clientAuth().keyType(keyType).issue();
    try (MtlsContext server = MtlsContext.forServer()
            .identity(MtlsContextHandshakeTest.identity(serverCertificate))
            .trust(TrustSource.of(List.of(ca.certificate())))
            .peerPolicy(PeerPolicy.anyTrustedPeer())
            .tlsPolicy(TlsPolicy.COMPATIBLE)
            .provider(provider)
            .logging(false)
            .build();
        MtlsContext client = MtlsContext.forClient()
            .identity(MtlsContextHandshakeTest.identity(clientCertificate))
            .trust(TrustSource.of(List.of(ca.certificate())))
            .tlsPolicy(policy)
            .provider(provider)
            .logging(false)
            .build();
        LoopbackServer loopback = new LoopbackServer(server)) {
      SSLSession session = LoopbackClient.connect(client, "localhost", loopback.port());

      LoopbackServer.Outcome outcome = loopback.nextOutcome();
      assertThat(outcome.succeeded()).as("server: %s", outcome.failure()).isTrue();
      assertThat(session.getProtocol()).isEqualTo(policy.protocols().get(0));
      assertThat(outcome.session().getPeerCertificates()[0]).isEqualTo(clientCertificate.certificate());
    }
  }
}
