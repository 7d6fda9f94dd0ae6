package dev.mtls.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.core.ClientAuth;
import dev.mtls.core.MtlsContext;
import dev.mtls.core.PeerPolicy;
import dev.mtls.core.TlsPolicy;
import dev.mtls.core.TrustSource;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.KeyType;
import dev.mtls.testkit.PemFiles;
import dev.mtls.testkit.TestCa;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The TLS policy's key-exchange groups and core's refusal of SHA-1 handshake signatures, on a
 * Netty server of either provider, proved with a foreign client ({@code openssl s_client}):
 * groups outside the policy are refused, and SHA-1 is neither used for the server's signature
 * nor accepted in the client's. openssl offers SHA-1 at all only at security level 0, hence
 * {@code -cipher DEFAULT@SECLEVEL=0}.
 */
class OpenSslPolicyTest {
  private static final Stack OPENSSL = new Stack(SslProvider.OPENSSL, Stack.Transport.NIO);
  private static final List<String> SECLEVEL_0 = List.of("-cipher", "DEFAULT@SECLEVEL=0");

  @TempDir Path dir;

  private final TestCa ca = TestCa.create();
  private final Loopback loopback = new Loopback();

  @AfterEach
  void stop() {
    loopback.close();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.mtls.netty.Stack#providers")
  void defaultClient_negotiatesX25519(Stack stack) throws Exception {
    Openssl.Result result = sClient(stack, TlsPolicy.MODERN, ca.client("orders"), List.of());

    assertThat(result.connected()).as(result.output()).isTrue();
    assertThat(result.output()).contains("Server Temp Key: X25519");
  }

  /** OpenSSL only: the JDK provider takes groups per connection from Java 20 on (core's tests). */
  @Test
  void clientOfferingOnlyAGroupOutsideThePolicy_isRefused_onOpenSsl() throws Exception {
    Stack stack = OPENSSL;
    for (String group : List.of("secp521r1", "ffdhe2048")) {
      Openssl.Result result = sClient(stack, TlsPolicy.COMPATIBLE, ca.client("orders"), List.of("-groups", group));

      assertThat(result.connected()).as("%s: %s", group, result.output()).isFalse();
    }
  }

  @Test
  void clientOfferingOnlyALaterGroupOfThePolicy_getsIn_onOpenSsl() throws Exception {
    Stack stack = OPENSSL;
    Openssl.Result result = sClient(stack, TlsPolicy.MODERN, ca.client("orders"), List.of("-groups", "secp384r1"));

    assertThat(result.connected()).as(result.output()).isTrue();
    assertThat(result.output()).contains("Server Temp Key: ECDH, secp384r1");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.mtls.netty.Stack#providers")
  void clientOfferingOnlySha1_isRefused_ratherThanServedASha1Signature(Stack stack) throws Exception {
    for (TlsPolicy policy : List.of(TlsPolicy.MODERN, TlsPolicy.COMPATIBLE)) {
      List<String> options = new ArrayList<>(List.of("-sigalgs", "ECDSA+SHA1:RSA+SHA1"));
      if (policy == TlsPolicy.COMPATIBLE) {
        options.add("-tls1_2");
      }
      options.addAll(SECLEVEL_0);
      Openssl.Result result = sClient(stack, policy, ca.client("orders"), options);

      assertThat(result.connected()).as("%s: %s", policy, result.output()).isFalse();
      assertThat(result.output()).doesNotContain("Hash used: SHA1");
      loopback.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.mtls.netty.Stack#providers")
  void client_signingItsCertificateVerifyWithSha1_isRefused(Stack stack) throws Exception {
    for (String protocol : List.of("-tls1_2", "-tls1_3")) {
      for (KeyType keyType : List.of(KeyType.EC_P256, KeyType.RSA_2048)) {
        IssuedCertificate client = ca.leaf("sha1-client").clientAuth().keyType(keyType).issue();
        List<String> options = new ArrayList<>(List.of(protocol, "-client_sigalgs", "ECDSA+SHA1:RSA+SHA1"));
        options.addAll(SECLEVEL_0);
        Openssl.Result result = sClient(stack, TlsPolicy.COMPATIBLE, client, options);

        // In TLS 1.3 s_client may end before the server's verdict arrives: the server says.
        PeerVerificationEvent seen = loopback.netty.nextEvent();
        assertThat(seen.isSuccess()).as("%s %s: %s", protocol, keyType, result.output()).isFalse();
        loopback.close();
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.mtls.netty.Stack#providers")
  void tls12ClientWithAnEcCertificate_getsIn(Stack stack) throws Exception {
    Openssl.Result result = sClient(stack, TlsPolicy.COMPATIBLE, ca.client("orders"), List.of("-tls1_2"));

    assertThat(result.connected()).as(result.output()).isTrue();
    assertThat(result.output()).doesNotContain("alert").contains("Protocol version: TLSv1.2");
  }

  @Test
  void tls12ClientWithAnRsaCertificate_isRefusedOnOpenSsl_withTheReason() throws Exception {
    IssuedCertificate client = ca.leaf("rsa-client").clientAuth().keyType(KeyType.RSA_2048).issue();
    Openssl.Result result = sClient(OPENSSL, TlsPolicy.COMPATIBLE, client, List.of("-tls1_2"));

    assertThat(result.connected()).as(result.output()).isFalse();
    PeerVerificationEvent seen = loopback.netty.nextEvent();
    assertThat(seen.isSuccess()).isFalse();
    assertThat(seen.cause().orElseThrow()).hasStackTraceContaining("rsa_pkcs1_sha1");
  }

  /**
   * JDK only: BoringSSL's CertificateRequest names {@code rsa_pkcs1_sha1}, and netty-tcnative
   * cannot change it (see {@link #client_signingItsCertificateVerifyWithSha1_isRefused}).
   */
  @Test
  void certificateRequest_namesNoSha1_onTheJdk() throws Exception {
    Stack stack = new Stack(SslProvider.JDK, Stack.Transport.NIO);
    for (TlsPolicy policy : List.of(TlsPolicy.MODERN, TlsPolicy.COMPATIBLE)) {
      Openssl.Result result = sClient(stack, policy, ca.client("orders"),
          policy == TlsPolicy.COMPATIBLE ? List.of("-tls1_2") : List.of());

      assertThat(result.connected()).as(result.output()).isTrue();
      String requested = result.output().lines()
          .filter(line -> line.startsWith("Requested Signature Algorithms:")).findFirst().orElseThrow();
      assertThat(Arrays.asList(requested.substring(requested.indexOf(':') + 1).trim().split(":")))
          .as("%s", policy).isNotEmpty().noneMatch(scheme -> scheme.contains("SHA1") || scheme.contains("SHA224"));
      loopback.close();
    }
  }

  private Openssl.Result sClient(Stack stack, TlsPolicy policy, IssuedCertificate client, List<String> options)
      throws Exception {
    Openssl.assumeInstalled();
    loopback.start(stack, MtlsContext.forServer()
        .identity(Loopback.serverIdentity(ca))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .clientAuth(ClientAuth.REQUIRED)
        .tlsPolicy(policy)
        .peerPolicy(PeerPolicy.anyTrustedPeer()));
    PemFiles files = client.writePem(dir.resolve(client.certificate().getSerialNumber().toString(16)));
    List<String> all = new ArrayList<>(List.of("-cert", files.certificate().toString(),
        "-key", files.privateKey().toString(), "-CAfile", files.caCertificate().toString()));
    all.addAll(options);
    return Openssl.sClient(loopback.netty.port(), "hi\n", all);
  }
}
