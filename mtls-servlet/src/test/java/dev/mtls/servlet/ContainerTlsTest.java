package dev.mtls.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.core.ClientAuth;
import dev.mtls.core.IdentitySource;
import dev.mtls.core.Material;
import dev.mtls.core.MtlsContext;
import dev.mtls.core.PeerPolicy;
import dev.mtls.core.ReloadPolicy;
import dev.mtls.core.ReloadResult;
import dev.mtls.core.TrustSource;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.KubernetesSecretDirectory;
import dev.mtls.testkit.PemFiles;
import dev.mtls.testkit.TestCa;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The containers' TLS, set up by the library's helpers: the context's policy and client-auth
 * mode win over the containers' own defaults, handshakes are bounded, and rotations on disk
 * reach the running container's next connection with no call to the container.
 */
class ContainerTlsTest extends ContainerScenario {
  private final TestCa ca = TestCa.create();

  @ParameterizedTest
  @MethodSource("dev.mtls.servlet.Container#underTest")
  void tls12_isRefused_thoughTheContainerWouldEnableIt(Container container) throws Exception {
    Tool.assumeInstalled("openssl");
    PemFiles files = ca.client("orders").writePem(Files.createDirectories(dir.resolve("client")));
    start(container, serverContext(ca.server("localhost"), TrustSource.of(List.of(ca.certificate()))));
    List<String> sClient = List.of("openssl", "s_client", "-connect", "127.0.0.1:" + running.port(),
        "-servername", "localhost", "-CAfile", files.caCertificate().toString(), "-cert", files.chain().toString(),
        "-key", files.privateKey().toString());

    Tool.Result tls12 = Tool.run(concat(sClient, "-tls1_2"), "");
    Tool.Result tls13 = Tool.run(concat(sClient, "-tls1_3"), "Q\n");

    assertThat(tls12.exitCode()).as(tls12.output()).isNotZero();
    assertThat(tls12.output()).contains("alert protocol version", "Cipher is (NONE)");
    assertThat(tls13.output()).as("the same client on TLS 1.3").containsPattern("TLSv1\\.3")
        .contains("Verify return code: 0 (ok)");
  }

  @ParameterizedTest
  @MethodSource("dev.mtls.servlet.Container#underTest")
  void clientWithoutCertificate_isRefusedInTheHandshake_whenTheContextRequiresOne(Container container)
      throws Exception {
    IssuedCertificate certificate = ca.server("localhost");
    server = MtlsContext.forServer()
        .identity(IdentitySource.of(certificate.privateKey(), certificate.chain()))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .clientAuth(ClientAuth.REQUIRED)
        .peerPolicy(PeerPolicy.anyTrustedPeer())
        .reload(ReloadPolicy.disabled())
        .logging(false)
        .build();
    running = container.start(server, MtlsFilter.builder(server).build(), dir);
    try (MtlsContext anonymous = MtlsContext.forClient().trust(TrustSource.of(List.of(ca.certificate())))
        .logging(false).build();
        MtlsContext orders = client(ca.client("orders"), ca)) {
      assertThatThrownBy(() -> Clients.get(Clients.http(anonymous), running.port(), "/health"))
          .isInstanceOf(IOException.class);
      assertThat(Clients.get(Clients.http(orders), running.port(), "/api").statusCode()).isEqualTo(200);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.mtls.servlet.Container#underTest")
  void stalledHandshake_isClosedAtTheContextsHandshakeTimeout(Container container) throws Exception {
    IssuedCertificate certificate = ca.server("localhost");
    server = MtlsContext.forServer()
        .identity(IdentitySource.of(certificate.privateKey(), certificate.chain()))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .peerPolicy(PeerPolicy.anyTrustedPeer())
        .handshakeTimeout(Duration.ofSeconds(1))
        .reload(ReloadPolicy.disabled())
        .logging(false)
        .build();
    running = container.start(server, MtlsFilter.builder(server).build(), dir);

    try (Socket stalled = new Socket(InetAddress.getLoopbackAddress(), running.port())) {
      // The start of a TLS record header, then nothing: the hello never completes.
      stalled.getOutputStream().write(new byte[] {0x16, 0x03, 0x01});
      stalled.getOutputStream().flush();
      // Well under either container's own idle timeouts (Jetty 30 s, Tomcat 60 s).
      stalled.setSoTimeout(8_000);
      long started = System.nanoTime();
      InputStream in = stalled.getInputStream();
      int read;
      try {
        read = in.read();
      } catch (SocketTimeoutException e) {
        throw new AssertionError("the stalled connection was still open after 8 s", e);
      } catch (IOException e) {
        read = -1;
      }
      assertThat(read).as("the server closes the connection").isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(8));
    }
  }

  @ParameterizedTest
  @MethodSource("dev.mtls.servlet.Container#underTest")
  void certificateRotatedOnDisk_isServedToTheNextConnection(Container container) throws Exception {
    KubernetesSecretDirectory secret = KubernetesSecretDirectory.create(dir.resolve("secret"));
    IssuedCertificate first = ca.server("localhost");
    secret.update(first);
    start(container, MtlsContext.forServer()
        .identity(IdentitySource.pemFiles(secret.file("tls.crt"), secret.file("tls.key")))
        .trust(TrustSource.pemFile(secret.file("ca.crt")))
        .clientAuth(ClientAuth.REQUIRED)
        .peerPolicy(PeerPolicy.anyTrustedPeer())
        .reload(ReloadPolicy.disabled())
        .logging(false)
        .build());
    try (MtlsContext client = client(ca.client("orders"), ca)) {
      assertThat(servedCertificate(client)).isEqualTo(first.certificate());

      IssuedCertificate second = ca.server("localhost");
      secret.update(second);
      assertThat(server.reloadNow().of(Material.IDENTITY).status()).isEqualTo(ReloadResult.Status.RELOADED);

      assertThat(servedCertificate(client)).as("new key and chain, same running container")
          .isEqualTo(second.certificate());
      assertThat(second.certificate().getPublicKey()).isNotEqualTo(first.certificate().getPublicKey());
    }
  }

  @ParameterizedTest
  @MethodSource("dev.mtls.servlet.Container#underTest")
  void trustBundleRotatedOnDisk_refusesTheOldCasClients(Container container) throws Exception {
    TestCa next = TestCa.create();
    Path bundle = ca.writeCertificatePem(dir.resolve("trust.pem"));
    start(container, serverContext(ca.server("localhost"), TrustSource.pemFile(bundle)));
    try (MtlsContext oldClient = client(ca.client("orders"), ca);
        MtlsContext newClient = client(next.client("orders"), ca)) {
      assertThat(Clients.get(Clients.http(oldClient), running.port(), "/api").statusCode()).isEqualTo(200);

      Path replacement = next.writeCertificatePem(dir.resolve("trust.pem.new"));
      Files.move(replacement, bundle, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      assertThat(server.reloadNow().of(Material.TRUST_ANCHORS).status()).isEqualTo(ReloadResult.Status.RELOADED);

      assertThatThrownBy(() -> Clients.get(Clients.http(oldClient), running.port(), "/api"))
          .as("the old CA's client, even with a resumable session").isInstanceOf(IOException.class);
      assertThat(Clients.get(Clients.http(newClient), running.port(), "/api").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void jettyFactory_asksForTheContextsProtocolsAndClientAuth() {
    try (MtlsContext context = serverContext(ca.server("localhost"), TrustSource.of(List.of(ca.certificate())))) {
      SslContextFactory.Server factory = JettyMtls.sslContextFactory(context);

      assertThat(factory.getSslContext()).isSameAs(context.sslContext());
      assertThat(factory.getNeedClientAuth()).isFalse();
      assertThat(factory.getWantClientAuth()).isTrue();
      assertThat(factory.getIncludeProtocols()).containsExactlyElementsOf(context.tlsPolicy().protocols());
    }
  }

  @Test
  void tomcatHostConfig_asksForTheContextsProtocolsAndClientAuth() {
    Assumptions.assumeTrue(Container.underTest().contains(Container.TOMCAT), "Tomcat is not tested in this run");
    try (MtlsContext context = serverContext(ca.server("localhost"), TrustSource.of(List.of(ca.certificate())))) {
      SSLHostConfig host = dev.mtls.tomcat.TomcatMtls.sslHostConfig(context);

      assertThat(host.getCertificateVerification()).isEqualTo(SSLHostConfig.CertificateVerification.OPTIONAL);
      assertThat(host.getProtocols()).containsExactlyInAnyOrderElementsOf(context.tlsPolicy().protocols());
      assertThat(host.getCertificates()).singleElement().satisfies(certificate -> assertThat(
          certificate.getSslContext().getCertificateChain("any")).containsExactlyElementsOf(context.identityChain()));
    }
  }

  private X509Certificate servedCertificate(MtlsContext client) throws Exception {
    HttpResponse<String> response = Clients.get(Clients.http(client), running.port(), "/api");
    assertThat(response.statusCode()).isEqualTo(200);
    return (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
  }

  private void start(Container container, MtlsContext context) throws Exception {
    server = context;
    running = container.start(server, MtlsFilter.builder(server).exemptPaths("/health").build(), dir);
  }

  private static MtlsContext serverContext(IssuedCertificate certificate, TrustSource trust) {
    return MtlsContext.forServer()
        .identity(IdentitySource.of(certificate.privateKey(), certificate.chain()))
        .trust(trust)
        .clientAuth(ClientAuth.OPTIONAL)
        .peerPolicy(PeerPolicy.anyTrustedPeer())
        .reload(ReloadPolicy.disabled())
        .logging(false)
        .build();
  }

  /** A client with this identity that trusts the server's CA. */
  private static MtlsContext client(IssuedCertificate identity, TestCa serverCa) {
    return MtlsContext.forClient()
        .identity(IdentitySource.of(identity.privateKey(), identity.chain()))
        .trust(TrustSource.of(List.of(serverCa.certificate())))
        .reload(ReloadPolicy.disabled())
        .logging(false)
        .build();
  }

  private static List<String> concat(List<String> first, String... more) {
    List<String> all = new java.util.ArrayList<>(first);
    all.addAll(List.of(more));
    return all;
  }
}
