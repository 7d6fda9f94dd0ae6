package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.core.internal.tls.JdkNamedGroups;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.KeyType;
import dev.mtls.testkit.PemFiles;
import dev.mtls.testkit.TestCa;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The key-exchange groups of the TLS policy, in real handshakes over loopback, read off the
 * wire ({@link TlsWireTap}): what a client offers, and what the server chose.
 */
class KeyExchangeGroupsTest {
  private static final String HYBRID = "X25519MLKEM768";
  private static final List<String> ECDHE = List.of("x25519", "secp256r1", "secp384r1");

  @TempDir Path dir;

  private final TestCa ca = TestCa.create();
  private final IssuedCertificate serverCertificate = ca.server("localhost");
  private final IssuedCertificate clientCertificate = ca.client("caller");

  /**
   * BCJSSE clients send an early key share for x25519 only, so the server, which prefers the
   * hybrid, asks again (HelloRetryRequest): one more round trip, and the hybrid.
   */
  @Test
  void bouncyCastlePeers_negotiateThePostQuantumHybrid_offeredFirst() throws Exception {
    TlsWireTap.Connection wire = handshakeOnTheWire(server(TlsProvider.BOUNCY_CASTLE, TlsPolicy.MODERN),
        client(TlsProvider.BOUNCY_CASTLE, TlsPolicy.MODERN));

    assertThat(wire.offeredGroups()).containsExactly(HYBRID, "x25519", "secp256r1", "secp384r1");
    assertThat(wire.keyShareGroups()).containsExactly("x25519");
    assertThat(wire.helloRetried()).isTrue();
    assertThat(wire.negotiatedGroup()).isEqualTo(HYBRID);
  }

  @Test
  void bouncyCastleServer_prefersTheHybrid_evenWhenTheClientListsItLast() throws Exception {
    TlsPolicy hybridLast = TlsPolicy.MODERN.withNamedGroups(List.of("x25519", "secp256r1", HYBRID));
    TlsWireTap.Connection wire = handshakeOnTheWire(server(TlsProvider.BOUNCY_CASTLE, TlsPolicy.MODERN),
        client(TlsProvider.BOUNCY_CASTLE, hybridLast));

    assertThat(wire.offeredGroups()).containsExactly("x25519", "secp256r1", HYBRID);
    assertThat(wire.negotiatedGroup()).isEqualTo(HYBRID);
  }

  @Test
  void hybridFirstClient_andAJdkServer_agreeOnX25519() throws Exception {
    TlsWireTap.Connection wire = handshakeOnTheWire(server(TlsProvider.JDK, TlsPolicy.MODERN),
        client(TlsProvider.BOUNCY_CASTLE, TlsPolicy.MODERN));

    assertThat(wire.offeredGroups()).startsWith(HYBRID, "x25519");
    assertThat(wire.negotiatedGroup()).isEqualTo("x25519");
  }

  @Test
  void jdkClient_fromJava20_offersThePolicysGroupsItHas_andNoFiniteFieldGroup() throws Exception {
    Assumptions.assumeTrue(JdkNamedGroups.isSupported(), "SSLParameters.setNamedGroups needs Java 20+");
    MtlsContext client = client(TlsProvider.JDK, TlsPolicy.COMPATIBLE);
    List<String> jdkHas = JdkNamedGroups.supported(client.sslContext().getSupportedSSLParameters());
    TlsWireTap.Connection wire = handshakeOnTheWire(server(TlsProvider.BOUNCY_CASTLE, TlsPolicy.MODERN), client);

    List<String> expected = TlsPolicy.MODERN.namedGroups().stream().filter(jdkHas::contains).toList();
    assertThat(wire.offeredGroups()).containsExactlyElementsOf(expected).containsSubsequence(ECDHE)
        .noneMatch(group -> group.startsWith("ffdhe"));
    assertThat(wire.negotiatedGroup()).isEqualTo(expected.get(0));
  }

  @Test
  void jdkClient_onJava17_offersTheJdksOwnGroups_asDocumented() throws Exception {
    Assumptions.assumeFalse(JdkNamedGroups.isSupported(), "Java 20+ takes the policy's groups");
    TlsWireTap.Connection wire = handshakeOnTheWire(server(TlsProvider.BOUNCY_CASTLE, TlsPolicy.MODERN),
        client(TlsProvider.JDK, TlsPolicy.MODERN));

    assertThat(wire.offeredGroups()).containsExactly("x25519", "secp256r1", "secp384r1", "secp521r1", "x448",
        "ffdhe2048", "ffdhe3072", "ffdhe4096", "ffdhe6144", "ffdhe8192");
    assertThat(wire.negotiatedGroup()).isEqualTo("x25519");
  }

  /**
   * RSA certificates: BCJSSE lets ECDSA sign and verify only on curves among the groups, so a
   * hybrid-only policy with ECDSA certificates has to list their curve too (see
   * {@link TlsPolicy#withNamedGroups}).
   */
  @Test
  void hybridOnlyPolicy_letsInHybridClients_andRefusesClassicalOnes() throws Exception {
    TlsPolicy hybridOnly = TlsPolicy.MODERN.withNamedGroups(List.of(HYBRID));
    IssuedCertificate rsaServer = ca.leaf("localhost").serverAuth().dnsNames("localhost").keyType(KeyType.RSA_2048)
        .issue();
    IssuedCertificate rsaClient = ca.leaf("caller").clientAuth().keyType(KeyType.RSA_2048).issue();
    try (MtlsContext server = server(TlsProvider.BOUNCY_CASTLE, hybridOnly, rsaServer);
        MtlsContext hybridClient = client(TlsProvider.BOUNCY_CASTLE, TlsPolicy.MODERN, rsaClient);
        MtlsContext classicalClient = client(TlsProvider.BOUNCY_CASTLE, TlsPolicy.MODERN.withNamedGroups(ECDHE),
            rsaClient);
        LoopbackServer loopback = new LoopbackServer(server);
        TlsWireTap tap = new TlsWireTap(loopback.port())) {
      LoopbackClient.connect(hybridClient, "localhost", tap.port());
      assertThat(tap.nextConnection().negotiatedGroup()).isEqualTo(HYBRID);
      assertThat(loopback.nextOutcome().succeeded()).isTrue();

      assertThatThrownBy(() -> LoopbackClient.connect(classicalClient, "localhost", tap.port()))
          .isInstanceOf(IOException.class);
      assertThat(loopback.nextOutcome().succeeded()).isFalse();
    }
  }

  @Test
  void policyRequiringTheHybrid_failsAtBuild_onAProviderWithoutIt() {
    TlsPolicy hybridOnly = TlsPolicy.MODERN.withNamedGroups(List.of(HYBRID));
    // Java 25's SunJSSE has no X25519MLKEM768; Java 17's cannot take groups per connection at all.
    assertThatThrownBy(() -> server(TlsProvider.JDK, hybridOnly))
        .isInstanceOf(MtlsException.class)
        .hasMessageContaining("TLS provider JDK")
        .hasMessageContaining(HYBRID);
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void modernServer_refusesAClientOfferingOnlyFiniteFieldGroups_andTakesX25519(TlsProvider provider)
      throws Exception {
    Assumptions.assumeTrue(provider == TlsProvider.BOUNCY_CASTLE || JdkNamedGroups.isSupported(),
        "Java 17's SunJSSE accepts its own groups, ffdhe included (documented on TlsPolicy)");
    Openssl.assumeInstalled();
    PemFiles clientFiles = clientCertificate.writePem(dir.resolve("client"));
    List<String> identity = List.of("-cert", clientFiles.certificate().toString(), "-key",
        clientFiles.privateKey().toString(), "-CAfile", clientFiles.caCertificate().toString());
    try (MtlsContext server = server(provider, TlsPolicy.MODERN); LoopbackServer loopback = new LoopbackServer(server)) {
      Openssl.Result finiteField = Openssl.sClient(loopback.port(), "", concat(identity, "-groups", "ffdhe2048"));
      assertThat(finiteField.connected()).as(finiteField.output()).isFalse();
      assertThat(loopback.nextOutcome().succeeded()).isFalse();

      Openssl.Result x25519 = Openssl.sClient(loopback.port(), "", concat(identity, "-groups", "X25519"));
      assertThat(x25519.connected()).as(x25519.output()).isTrue();
      assertThat(x25519.output()).contains("Server Temp Key: X25519");
    }
  }

  @Test
  void containerGroups_areNarrowedToThePolicys_andNoneLeftIsRefused() {
    Assumptions.assumeTrue(JdkNamedGroups.isSupported(), "SSLParameters.setNamedGroups needs Java 20+");
    try (MtlsContext server = server(TlsProvider.JDK, TlsPolicy.MODERN)) {
      SSLEngine engine = server.newEngine();
      assertThat(JdkNamedGroups.get(engine.getSSLParameters())).doesNotContain("ffdhe2048").contains("x25519");

      SSLParameters asked = engine.getSSLParameters();
      JdkNamedGroups.set(asked, List.of("ffdhe2048", "secp384r1", "x25519"));
      engine.setSSLParameters(asked);
      assertThat(JdkNamedGroups.get(engine.getSSLParameters())).containsExactly("secp384r1", "x25519");

      SSLParameters finiteOnly = engine.getSSLParameters();
      JdkNamedGroups.set(finiteOnly, List.of("ffdhe2048", "ffdhe3072"));
      assertThatThrownBy(() -> engine.setSSLParameters(finiteOnly))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("key-exchange groups");
      assertThat(JdkNamedGroups.get(engine.getSSLParameters())).as("left as it was")
          .containsExactly("secp384r1", "x25519");

      // Parameters that name no groups (a container's fresh SSLParameters) keep the policy's.
      engine.setSSLParameters(new SSLParameters(engine.getEnabledCipherSuites(), engine.getEnabledProtocols()));
      assertThat(Arrays.asList(JdkNamedGroups.get(engine.getSSLParameters()))).containsSubsequence(ECDHE)
          .noneMatch(group -> group.startsWith("ffdhe"));
    }
  }

  /** One successful handshake of the client with the server through a wire tap; closes both contexts. */
  private static TlsWireTap.Connection handshakeOnTheWire(MtlsContext server, MtlsContext client) throws Exception {
    try (server; client; LoopbackServer loopback = new LoopbackServer(server);
        TlsWireTap tap = new TlsWireTap(loopback.port())) {
      assertThat(LoopbackClient.connect(client, "localhost", tap.port()).getProtocol()).isEqualTo("TLSv1.3");
      assertThat(loopback.nextOutcome().succeeded()).isTrue();
      return tap.nextConnection();
    }
  }

  private MtlsContext server(TlsProvider provider, TlsPolicy policy) {
    return server(provider, policy, serverCertificate);
  }

  private MtlsContext server(TlsProvider provider, TlsPolicy policy, IssuedCertificate certificate) {
    return MtlsContext.forServer()
        .identity(MtlsContextHandshakeTest.identity(certificate))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .peerPolicy(PeerPolicy.anyTrustedPeer())
        .provider(provider)
        .tlsPolicy(policy)
        .logging(false)
        .build();
  }

  private MtlsContext client(TlsProvider provider, TlsPolicy policy) {
    return client(provider, policy, clientCertificate);
  }

  private MtlsContext client(TlsProvider provider, TlsPolicy policy, IssuedCertificate certificate) {
    return MtlsContext.forClient()
        .identity(MtlsContextHandshakeTest.identity(certificate))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .provider(provider)
        .tlsPolicy(policy)
        .logging(false)
        .build();
  }

  private static List<String> concat(List<String> first, String... more) {
    List<String> all = new java.util.ArrayList<>(first);
    all.addAll(List.of(more));
    return all;
  }
}
