package dev.mtls.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.core.ClientAuth;
import dev.mtls.core.ContextChange;
import dev.mtls.core.IdentitySource;
import dev.mtls.core.Material;
import dev.mtls.core.MtlsContext;
import dev.mtls.core.PeerPolicy;
import dev.mtls.core.ReloadPolicy;
import dev.mtls.core.ReloadResult;
import dev.mtls.core.RejectionReason;
import dev.mtls.core.Revocation;
import dev.mtls.core.Subscription;
import dev.mtls.core.TlsPolicy;
import dev.mtls.core.TrustSource;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.KeyType;
import dev.mtls.testkit.KubernetesSecretDirectory;
import dev.mtls.testkit.TestCa;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Certificates, trust bundles and CRLs rotated on disk while a Netty server runs, on both
 * providers: the next handshake serves and judges by the new material, and no session from
 * before a trust or revocation change resumes after it.
 */
class NettyHotReloadTest {
  /** TLS 1.2, where a resumed session keeps its id: the tests can see that it resumed. */
  private static final TlsPolicy TLS12 = TlsPolicy.of(List.of("TLSv1.2"),
      List.of("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"));

  @TempDir Path dir;

  private final TestCa ca = TestCa.create();
  private final Loopback loopback = new Loopback();

  @AfterEach
  void stop() {
    loopback.close();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.mtls.netty.Stack#providers")
  void serverCertificateRotatedInASecretVolume_isServedToTheNextHandshake(Stack stack) throws Exception {
    IssuedCertificate first = ca.server("localhost");
    KubernetesSecretDirectory secret = serveFromASecretVolume(stack, first);
    try (MtlsContext client = client(ca.client("orders"), TlsPolicy.MODERN)) {
      SslContext clientSsl = MtlsSslContexts.forClient(client, stack.provider());
      assertThat(loopback.clients.exchange(client, clientSsl, loopback.netty.port()).serverSerial()).isEqualTo(first.serialNumber());

      IssuedCertificate next = ca.server("localhost");
      reloadAndAwaitRenewal(() -> secret.update(next));

      // The same client, with its session cache: the server served the new certificate.
      NettyClient.Outcome after = loopback.clients.exchange(client, clientSsl, loopback.netty.port());
      assertThat(after.exchanged()).isTrue();
      assertThat(after.serverSerial()).isEqualTo(next.serialNumber());
      // And again: no older identity comes back from a cache of key material.
      IssuedCertificate third = ca.server("localhost");
      reloadAndAwaitRenewal(() -> secret.update(third));
      assertThat(loopback.clients.exchange(client, clientSsl, loopback.netty.port()).serverSerial()).isEqualTo(third.serialNumber());
    }
  }

  @Test
  void ed25519IdentityArrivingByAReload_isRefusedOnOpenSsl_andTheOldIdentityKeepsServing() throws Exception {
    Stack stack = new Stack(SslProvider.OPENSSL, Stack.Transport.NIO);
    IssuedCertificate first = ca.server("localhost");
    KubernetesSecretDirectory secret = serveFromASecretVolume(stack, first);
    try (MtlsContext client = client(ca.client("orders"), TlsPolicy.MODERN)) {
      SslContext clientSsl = MtlsSslContexts.forClient(client, stack.provider());

      secret.update(ca.leaf("localhost").dnsNames("localhost").serverAuth().keyType(KeyType.ED25519).issue());
      ReloadResult result = loopback.server.reloadNow();

      assertThat(result.reloaded()).isFalse();
      assertThat(result.failed()).isTrue();
      assertThat(result.of(Material.IDENTITY).detail())
          .contains(secret.file("tls.crt").getFileName().toString())
          .contains("Ed25519")
          .contains("OpenSSL provider cannot use");
      assertThat(loopback.server.identityChain().get(0).getSerialNumber()).isEqualTo(first.serialNumber());
      NettyClient.Outcome after = loopback.clients.exchange(client, clientSsl, loopback.netty.port());
      assertThat(after.exchanged()).isTrue();
      assertThat(after.serverSerial()).isEqualTo(first.serialNumber());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.mtls.netty.Stack#providers")
  void serverCertificateRotatedOnDisk_isPickedUpByTheWatcher_withoutAnyCall(Stack stack) throws Exception {
    KubernetesSecretDirectory secret = KubernetesSecretDirectory.create(dir.resolve("tls"));
    secret.update(ca.server("localhost"));
    start(stack, MtlsContext.forServer()
        .identity(IdentitySource.pemFiles(secret.file("tls.crt"), secret.file("tls.key")))
        .trust(TrustSource.pemFile(secret.file("ca.crt")))
        .reload(ReloadPolicy.builder().interval(Duration.ofSeconds(1)).build()));
    try (MtlsContext client = client(ca.client("orders"), TlsPolicy.MODERN)) {
      CountDownLatch renewed = renewal();
      IssuedCertificate next = ca.server("localhost");
      secret.update(next);

      assertThat(renewed.await(15, TimeUnit.SECONDS)).as("renewed after the watcher's reload").isTrue();
      assertThat(loopback.clients.exchange(client, MtlsSslContexts.forClient(client, stack.provider()), loopback.netty.port())
          .serverSerial()).isEqualTo(next.serialNumber());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.mtls.netty.Stack#providers")
  void trustBundleRotatedOnDisk_acceptsTheNewCa_advertisesIt_andRefusesTheOldOnesSessions(Stack stack)
      throws Exception {
    TestCa newCa = TestCa.create();
    Path bundle = dir.resolve("clients-ca.pem");
    Files.writeString(bundle, ca.certificatePem());
    start(stack, MtlsContext.forServer()
        .identity(Loopback.serverIdentity(ca))
        .trust(TrustSource.pemFile(bundle))
        .reload(ReloadPolicy.disabled()));
    IssuedCertificate newClient = newCa.client("new");
    // The JDK's own key manager sends a certificate only when the server names its CA: this
    // client gets through only if the server advertises the CA names of the bundle in use.
    SslContext jdkKeyManagerClient = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
        .keyManager(newClient.privateKey(), newClient.chain()).trustManager(ca.certificate()).build();
    try (MtlsContext oldClient = client(ca.client("old"), TLS12)) {
      SslContext oldSsl = MtlsSslContexts.forClient(oldClient, stack.provider());
      assertThat(loopback.clients.exchange(jdkKeyManagerClient, loopback.netty.port()).exchanged()).isFalse();
      assertThat(loopback.serverEvents.nextRejection()).isEqualTo(RejectionReason.NO_CERTIFICATE);

      reloadAndAwaitRenewal(() -> write(bundle, ca.certificatePem() + newCa.certificatePem()));
      assertThat(loopback.clients.exchange(jdkKeyManagerClient, loopback.netty.port()).answer()).isEqualTo("hello new -");
      NettyClient.Outcome first = loopback.clients.exchange(oldClient, oldSsl, loopback.netty.port());
      NettyClient.Outcome resumed = loopback.clients.exchange(oldClient, oldSsl, loopback.netty.port());
      assertThat(resumed.exchanged()).isTrue();
      assertThat(resumed.sessionId()).as("the old client resumes its session").isEqualTo(first.sessionId());
      drain();

      reloadAndAwaitRenewal(() -> write(bundle, newCa.certificatePem()));
      NettyClient.Outcome refused = loopback.clients.exchange(oldClient, oldSsl, loopback.netty.port());
      assertThat(refused.exchanged()).isFalse();
      PeerVerificationEvent seen = loopback.netty.nextEvent();
      assertThat(seen.reason()).contains(RejectionReason.UNTRUSTED_ISSUER);
      assertThat(seen.cause()).as("refused in a full handshake, not after a resumed one").isPresent();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.mtls.netty.Stack#providers")
  void crlRotatedOnDisk_refusesANewlyRevokedClient_thatHoldsAResumableSession(Stack stack) throws Exception {
    Path crl = ca.writeCrl(dir.resolve("ca.crl"));
    IssuedCertificate orders = ca.client("orders");
    start(stack, MtlsContext.forServer()
        .identity(Loopback.serverIdentity(ca))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .revocation(Revocation.crls().file(crl).build())
        .reload(ReloadPolicy.disabled()));
    try (MtlsContext client = client(orders, TLS12)) {
      SslContext clientSsl = MtlsSslContexts.forClient(client, stack.provider());
      NettyClient.Outcome first = loopback.clients.exchange(client, clientSsl, loopback.netty.port());
      NettyClient.Outcome resumed = loopback.clients.exchange(client, clientSsl, loopback.netty.port());
      assertThat(resumed.exchanged()).isTrue();
      assertThat(resumed.sessionId()).as("the client resumes its session").isEqualTo(first.sessionId());
      drain();

      ca.revoke(orders);
      reloadAndAwaitRenewal(() -> write(crl, ca.crlPem()));

      NettyClient.Outcome refused = loopback.clients.exchange(client, clientSsl, loopback.netty.port());
      assertThat(refused.exchanged()).isFalse();
      assertThat(loopback.serverEvents.nextRejection()).isEqualTo(RejectionReason.REVOKED);
      PeerVerificationEvent seen = loopback.netty.nextEvent();
      assertThat(seen.reason()).contains(RejectionReason.REVOKED);
      assertThat(seen.cause()).as("refused in a full handshake, not after a resumed one").isPresent();
    }
  }

  /** Starts a server whose identity and trust are files of a secret volume, reloaded when told. */
  private KubernetesSecretDirectory serveFromASecretVolume(Stack stack, IssuedCertificate identity) throws Exception {
    KubernetesSecretDirectory secret = KubernetesSecretDirectory.create(dir.resolve("tls"));
    secret.update(identity);
    start(stack, MtlsContext.forServer()
        .identity(IdentitySource.pemFiles(secret.file("tls.crt"), secret.file("tls.key")))
        .trust(TrustSource.pemFile(secret.file("ca.crt")))
        .reload(ReloadPolicy.disabled()));
    return secret;
  }

  private void start(Stack stack, dev.mtls.core.ServerContextBuilder builder) throws Exception {
    loopback.start(stack, builder.clientAuth(ClientAuth.REQUIRED)
        .peerPolicy(PeerPolicy.anyTrustedPeer())
        .tlsPolicy(TlsPolicy.COMPATIBLE));
  }

  /**
   * Changes files, reloads (the scenarios that call this reload only when told: no watcher
   * races the call), and waits until the sessions were renewed. Subscribed after the
   * Netty context, so the OpenSSL context was rebuilt when this hears of it.
   */
  private void reloadAndAwaitRenewal(Runnable change) throws InterruptedException {
    CountDownLatch renewed = renewal();
    change.run();
    assertThat(loopback.server.reloadNow().reloaded()).as("reloaded").isTrue();
    assertThat(renewed.await(10, TimeUnit.SECONDS)).as("sessions renewed").isTrue();
  }

  private CountDownLatch renewal() {
    CountDownLatch renewed = new CountDownLatch(1);
    Subscription[] subscription = new Subscription[1];
    subscription[0] = loopback.server.onChange(change -> {
      if (change == ContextChange.SESSIONS_RENEWED) {
        renewed.countDown();
      }
    });
    return renewed;
  }

  private void drain() throws InterruptedException {
    while (loopback.netty.pollEvent(0) != null) {
      // events of the connections before the change
    }
  }

  private static void write(Path file, String content) {
    try {
      Path temporary = Files.writeString(file.resolveSibling(file.getFileName() + ".tmp"), content,
          StandardCharsets.US_ASCII);
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private MtlsContext client(IssuedCertificate identity, TlsPolicy policy) {
    return Loopback.client(ca, identity, policy);
  }
}
