package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.PemFiles;
import dev.mtls.testkit.TestCa;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * No SHA-1, SHA-224 or DSA in a handshake signature, either way, on both providers and every
 * Java version (CI runs this on JDK 17 and 25), proved with real handshakes: a client that
 * offers only SHA-1 ({@code openssl s_client -sigalgs ECDSA+SHA1}, or a JDK client that
 * permits SHA-1 signatures only) is refused by the server, not served a SHA-1 signature; a
 * client that signs its CertificateVerify with SHA-1 is refused; a server that signs only with
 * SHA-1 ({@code openssl s_server -sigalgs ECDSA+SHA1}) is refused by the client; and what the
 * server asks of clients (its CertificateRequest) names none of them. openssl offers SHA-1 at
 * all only at security level 0, hence {@code -cipher DEFAULT@SECLEVEL=0}.
 */
class HandshakeSignatureTest {
  private static final List<String> ONLY_SHA1 = List.of("-sigalgs", "ECDSA+SHA1", "-cipher", "DEFAULT@SECLEVEL=0");
  private static final List<String> ONLY_SHA1_CLIENT_SIGNATURES = List.of("-client_sigalgs", "ECDSA+SHA1",
      "-cipher", "DEFAULT@SECLEVEL=0");

  @TempDir Path dir;

  private final TestCa ca = TestCa.create();
  private final IssuedCertificate serverCertificate = ca.server("localhost");
  private final IssuedCertificate clientCertificate = ca.client("sha1-client");

  static Stream<Arguments> providersAndPolicies() {
    return Stream.of(TlsProvider.values()).flatMap(provider -> Stream.of(
        Arguments.of(provider, TlsPolicy.MODERN, "-tls1_3"),
        Arguments.of(provider, TlsPolicy.COMPATIBLE, "-tls1_2")));
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void server_refusesAClientOfferingOnlySha1_ratherThanSigningWithIt(TlsProvider provider) throws Exception {
    Openssl.assumeInstalled();
    // No -tls1_3: openssl will not offer SHA-1 in a TLS 1.3-only hello; the server does 1.3 only.
    Outcome outcome = sClient(provider, TlsPolicy.MODERN, ONLY_SHA1);

    outcome.assertRefusedByTheServer();
    assertThat(outcome.openssl.output()).as("openssl got a SHA-1 CertificateVerify").doesNotContain("wrong signature type");
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void tls12Server_refusesAClientOfferingOnlySha1_ratherThanSigningItsKeyExchangeWithIt(TlsProvider provider)
      throws Exception {
    Openssl.assumeInstalled();
    Outcome outcome = sClient(provider, TlsPolicy.COMPATIBLE, concat(List.of("-tls1_2"), ONLY_SHA1));

    outcome.assertRefusedByTheServer();
    assertThat(outcome.openssl.output()).doesNotContain("Hash used: SHA1");
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void tls12Server_refusesAClientCertificateVerifySignedWithSha1(TlsProvider provider) throws Exception {
    Openssl.assumeInstalled();
    Outcome outcome = sClient(provider, TlsPolicy.COMPATIBLE, concat(List.of("-tls1_2"), ONLY_SHA1_CLIENT_SIGNATURES));

    outcome.assertRefused();
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void tls13Server_refusesAClientThatWouldSignOnlyWithSha1(TlsProvider provider) throws Exception {
    Openssl.assumeInstalled();
    Outcome outcome = sClient(provider, TlsPolicy.MODERN, ONLY_SHA1_CLIENT_SIGNATURES);

    outcome.assertRefused();
  }

  @ParameterizedTest(name = "{0} {2}")
  @MethodSource("providersAndPolicies")
  void defaultClient_getsIn_andTheCertificateRequestNamesNoSha1Sha224OrDsa(TlsProvider provider, TlsPolicy policy,
      String protocolOption) throws Exception {
    Openssl.assumeInstalled();
    Outcome outcome = sClient(provider, policy, List.of(protocolOption));

    assertThat(outcome.openssl.connected()).as(outcome.openssl.output()).isTrue();
    assertThat(outcome.server.succeeded()).as("server: %s", outcome.server.failure()).isTrue();
    String requested = outcome.openssl.output().lines()
        .filter(line -> line.startsWith("Requested Signature Algorithms:")).findFirst().orElseThrow();
    assertThat(Arrays.asList(requested.substring(requested.indexOf(':') + 1).trim().split(":")))
        .isNotEmpty()
        .noneMatch(scheme -> scheme.contains("SHA1") || scheme.contains("SHA224") || scheme.startsWith("DSA"));
  }

  @ParameterizedTest(name = "{0} {2}")
  @MethodSource("providersAndPolicies")
  void jdkClientPermittingOnlySha1Signatures_isRefused(TlsProvider provider, TlsPolicy policy,
      String protocolOption) throws Exception {
    String protocol = protocolOption.equals("-tls1_3") ? "TLSv1.3" : "TLSv1.2";
    SSLContext sha1Only = Sha1OnlyPeer.context(clientCertificate, serverCertificate.certificate());
    try (MtlsContext server = server(provider, policy); LoopbackServer loopback = new LoopbackServer(server)) {
      assertThatThrownBy(() -> {
        try (SSLSocket socket = Sha1OnlyPeer.clientSocket(sha1Only, loopback.port(), protocol)) {
          socket.startHandshake();
          socket.getInputStream().read(); // a refused client certificate shows on the first read in TLS 1.3
        }
      }).isInstanceOf(IOException.class);
      LoopbackServer.Outcome outcome = loopback.nextOutcome();
      assertThat(outcome.succeeded()).as("the server completed a handshake signed with SHA-1").isFalse();
    }
  }

  @ParameterizedTest(name = "{0} {2}")
  @MethodSource("providersAndPolicies")
  void client_refusesAServerThatSignsOnlyWithSha1(TlsProvider provider, TlsPolicy policy, String protocolOption)
      throws Exception {
    Openssl.assumeInstalled();
    PemFiles serverFiles = serverCertificate.writePem(dir.resolve("server"));
    List<String> options = new ArrayList<>(List.of(protocolOption, "-cert", serverFiles.certificate().toString(),
        "-key", serverFiles.privateKey().toString(), "-Verify", "1", "-CAfile", serverFiles.caCertificate().toString(),
        "-client_sigalgs", "ECDSA+SHA1"));
    options.addAll(ONLY_SHA1);
    try (MtlsContext client = client(provider, policy); Openssl.Server openssl = Openssl.sServer(options)) {
      assertThatThrownBy(() -> handshake(client, openssl.port())).isInstanceOf(IOException.class);
    }
  }

  @ParameterizedTest(name = "{0} {2}")
  @MethodSource("providersAndPolicies")
  void client_getsIntoAServerWithDefaultSignatureAlgorithms(TlsProvider provider, TlsPolicy policy,
      String protocolOption) throws Exception {
    Openssl.assumeInstalled();
    PemFiles serverFiles = serverCertificate.writePem(dir.resolve("server"));
    List<String> options = List.of(protocolOption, "-cert", serverFiles.certificate().toString(),
        "-key", serverFiles.privateKey().toString(), "-Verify", "1", "-CAfile", serverFiles.caCertificate().toString());
    try (MtlsContext client = client(provider, policy); Openssl.Server openssl = Openssl.sServer(options)) {
      handshake(client, openssl.port());
    }
  }

  private static void handshake(MtlsContext client, int port) throws IOException {
    try (SSLSocket socket = (SSLSocket) client.socketFactory().createSocket("localhost", port)) {
      socket.setSoTimeout(10_000);
      socket.startHandshake();
    }
  }

  private Outcome sClient(TlsProvider provider, TlsPolicy policy, List<String> options) throws Exception {
    PemFiles clientFiles = clientCertificate.writePem(dir.resolve("client"));
    List<String> all = new ArrayList<>(List.of("-CAfile", clientFiles.caCertificate().toString(),
        "-cert", clientFiles.certificate().toString(), "-key", clientFiles.privateKey().toString()));
    all.addAll(options);
    try (MtlsContext server = server(provider, policy); LoopbackServer loopback = new LoopbackServer(server)) {
      Openssl.Result result = Openssl.sClient(loopback.port(), "", all);
      return new Outcome(result, loopback.nextOutcome());
    }
  }

  private MtlsContext server(TlsProvider provider, TlsPolicy policy) {
    return MtlsContext.forServer()
        .identity(IdentitySource.of(serverCertificate.privateKey(), serverCertificate.chain()))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .peerPolicy(PeerPolicy.anyTrustedPeer())
        .tlsPolicy(policy)
        .provider(provider)
        .listener(MtlsListener.silent())
        .build();
  }

  private MtlsContext client(TlsProvider provider, TlsPolicy policy) {
    return MtlsContext.forClient()
        .identity(IdentitySource.of(clientCertificate.privateKey(), clientCertificate.chain()))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .tlsPolicy(policy)
        .provider(provider)
        .listener(MtlsListener.silent())
        .build();
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** What openssl and the server each saw of one connection. */
  private record Outcome(Openssl.Result openssl, LoopbackServer.Outcome server) {
    void assertRefused() {
      assertThat(openssl.connected() && server.succeeded()).as("openssl: %s", openssl.output()).isFalse();
      assertThat(server.succeeded()).as("the server completed the handshake; openssl: %s", openssl.output()).isFalse();
    }

    /** Refused, and by the server's own alert, not because openssl gave up on what it was sent. */
    void assertRefusedByTheServer() {
      assertRefused();
      assertThat(openssl.output()).as("the server's alert").contains("alert handshake failure");
    }
  }
}
