package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.KeyType;
import dev.mtls.testkit.KubernetesSecretDirectory;
import dev.mtls.testkit.PemFiles;
import dev.mtls.testkit.TestCa;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Certificates, keys, trust anchors and CRLs rotate on disk while a context runs; real
 * handshakes show what each side presents and accepts afterwards.
 */
class HotReloadTest {
  @TempDir Path dir;

  private final TestCa ca = TestCa.create();
  private final RecordingListener events = new RecordingListener();
  private PemFiles serverFiles;
  private MtlsContext server;
  private LoopbackServer loopback;

  @BeforeEach
  void writeServerFiles() {
    serverFiles = ca.server("localhost").writePem(dir.resolve("server"));
  }

  @AfterEach
  void stop() throws IOException {
    if (loopback != null) {
      loopback.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void rotatedServerCertificate_isServedToTheNextHandshake() throws Exception {
    startServer(ReloadPolicy.disabled(), PeerPolicy.anyTrustedPeer(), null);
    try (MtlsContext client = client(ca.client("orders"))) {
      BigInteger first = serverSerial(client);

      IssuedCertificate next = ca.server("localhost");
      ReloadFixture.rotate(serverFiles.chain(), serverFiles.privateKey(), next);
      ReloadResult result = server.reloadNow();

      assertThat(result.of(Material.IDENTITY).status()).isEqualTo(ReloadResult.Status.RELOADED);
      assertThat(serverSerial(client)).isEqualTo(next.serialNumber()).isNotEqualTo(first);
      MtlsListener.Reloaded event = events.nextReload(Material.IDENTITY);
      assertThat(event.before()).singleElement().satisfies(s -> assertThat(s.serialNumber()).isEqualTo(first));
      assertThat(event.after()).singleElement().satisfies(s -> {
        assertThat(s.serialNumber()).isEqualTo(next.serialNumber());
        assertThat(s.notAfter()).isEqualTo(next.certificate().getNotAfter().toInstant());
      });
    }
  }

  @Test
  void reload_keepsOldIdentity_whenAnAdaptersIdentityRequirementRefusesTheNewOne() throws Exception {
    startServer(ReloadPolicy.disabled(), PeerPolicy.anyTrustedPeer(), null);
    try (MtlsContext client = client(ca.client("orders"))) {
      BigInteger first = serverSerial(client);
      Subscription requirement = server.requireOfIdentity(chain -> chain.get(0).getPublicKey() instanceof RSAKey
          ? Optional.of("this adapter cannot use an RSA key") : Optional.empty());

      IssuedCertificate rsa = ca.leaf("localhost").dnsNames("localhost").serverAuth().keyType(KeyType.RSA_2048).issue();
      ReloadFixture.rotate(serverFiles.chain(), serverFiles.privateKey(), rsa);
      ReloadResult refused = server.reloadNow();

      assertThat(refused.of(Material.IDENTITY).status()).isEqualTo(ReloadResult.Status.FAILED);
      assertThat(refused.of(Material.IDENTITY).detail())
          .contains(serverFiles.chain().getFileName().toString()).contains("this adapter cannot use an RSA key");
      assertThat(serverSerial(client)).isEqualTo(first);

      requirement.close();
      assertThat(server.reloadNow().of(Material.IDENTITY).status()).isEqualTo(ReloadResult.Status.RELOADED);
      assertThat(serverSerial(client)).isEqualTo(rsa.serialNumber());
    }
  }

  @Test
  void rotatedServerCertificate_isPickedUpByTheWatcher_withoutAnyCall() throws Exception {
    startServer(ReloadPolicy.builder().interval(Duration.ofSeconds(1)).build(), PeerPolicy.anyTrustedPeer(), null);
    try (MtlsContext client = client(ca.client("orders"))) {
      IssuedCertificate next = ca.server("localhost");
      ReloadFixture.rotate(serverFiles.chain(), serverFiles.privateKey(), next);

      assertThat(events.nextReload(Material.IDENTITY).after().get(0).serialNumber()).isEqualTo(next.serialNumber());
      assertThat(serverSerial(client)).isEqualTo(next.serialNumber());
    }
  }

  @Test
  void rotatedClientCertificate_isPresentedToTheNextConnection() throws Exception {
    startServer(ReloadPolicy.disabled(), PeerPolicy.anyTrustedPeer(), null);
    PemFiles clientFiles = ca.client("orders").writePem(dir.resolve("client"));
    try (MtlsContext client = MtlsContext.forClient()
        .identity(IdentitySource.pemFiles(clientFiles.chain(), clientFiles.privateKey()))
        .trust(TrustSource.pemFile(clientFiles.caCertificate()))
        .reload(ReloadPolicy.disabled())
        .build()) {
      LoopbackClient.connect(client, "localhost", loopback.port()).invalidate();
      loopback.nextOutcome();

      IssuedCertificate next = ca.client("orders");
      ReloadFixture.rotate(clientFiles.chain(), clientFiles.privateKey(), next);
      assertThat(client.reloadNow().reloaded()).isTrue();
      LoopbackClient.connect(client, "localhost", loopback.port());

      X509Certificate presented = (X509Certificate) loopback.nextOutcome().session().getPeerCertificates()[0];
      assertThat(presented.getSerialNumber()).isEqualTo(next.serialNumber());
    }
  }

  @Test
  void rotatedTrustBundle_acceptsTheNewCa_andRefusesTheOldOnceRemoved() throws Exception {
    TestCa newCa = TestCa.create();
    Path bundle = dir.resolve("clients-ca.pem");
    Files.writeString(bundle, ca.certificatePem());
    startServer(ReloadPolicy.disabled(), PeerPolicy.anyTrustedPeer(), TrustSource.pemFile(bundle));
    try (MtlsContext oldClient = client(ca.client("old"));
        MtlsContext newClient = clientTrusting(newCa.client("new"), ca)) {
      assertThat(handshakeSucceeds(newClient)).isFalse();

      ReloadFixture.writeAtomically(bundle, ca.certificatePem() + newCa.certificatePem());
      assertThat(server.reloadNow().of(Material.TRUST_ANCHORS).status()).isEqualTo(ReloadResult.Status.RELOADED);
      assertThat(handshakeSucceeds(newClient)).isTrue();
      assertThat(handshakeSucceeds(oldClient)).isTrue();

      ReloadFixture.writeAtomically(bundle, newCa.certificatePem());
      server.reloadNow();
      assertThat(handshakeSucceeds(newClient)).isTrue();
      // The old client may hold a resumable session: dropping it is part of the reload.
      assertThat(handshakeSucceeds(oldClient)).isFalse();
      assertThat(events.nextReload(Material.TRUST_ANCHORS).after()).hasSize(2);
    }
  }

  @Test
  void crlUpdatedOnDisk_refusesANewlyRevokedClient_evenOneWithAResumableSession() throws Exception {
    Path crl = ca.writeCrl(dir.resolve("ca.crl"));
    IssuedCertificate clientCertificate = ca.client("orders");
    startServer(ReloadPolicy.disabled(), PeerPolicy.anyTrustedPeer(), null, Revocation.crls().file(crl).build());
    try (MtlsContext client = client(clientCertificate)) {
      assertThat(handshakeSucceeds(client)).isTrue();

      ca.revoke(clientCertificate);
      ReloadFixture.writeAtomically(crl, ca.crlPem());
      assertThat(server.reloadNow().of(Material.CRL).status()).isEqualTo(ReloadResult.Status.RELOADED);

      assertThat(handshakeSucceeds(client)).isFalse();
      assertThat(events.rejected).anySatisfy(r -> assertThat(r.rejected().reason()).isEqualTo(RejectionReason.REVOKED));
    }
  }

  @Test
  void crlRefreshedInTheBackground_atItsNextUpdate_refusesAResumingRevokedClient_evenWithReloadOff() throws Exception {
    Path crl = writeCrlDueIn(Duration.ofSeconds(1));
    IssuedCertificate clientCertificate = ca.client("orders");
    startServerOnTheCaClock(Revocation.crls().file(crl).build());
    try (MtlsContext client = client(clientCertificate)) {
      assertThat(handshakeSucceeds(client)).isTrue();

      ca.revoke(clientCertificate);
      ReloadFixture.writeAtomically(crl, ca.crlPem());
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
      while (server.verifier().verify(clientCertificate.chain()).isAllowed()) {
        assertThat(System.nanoTime()).as("the CRL refresh thread picks up the new CRL").isLessThan(deadline);
        Thread.sleep(50);
      }

      assertThat(handshakeSucceeds(client)).isFalse();
    }
  }

  @Test
  void theSameCrlFetchedAgain_keepsVerdictsAndSessions() throws Exception {
    Path crl = writeCrlDueIn(Duration.ofSeconds(1));
    startServerOnTheCaClock(Revocation.crls().file(crl).build());
    try (MtlsContext client = client(ca.client("orders"))) {
      LoopbackClient.connect(client, "localhost", loopback.port());
      SSLSession established = loopback.nextOutcome().session();
      Verdict first = server.verifier().verify(established);

      for (int i = 0; i < 3; i++) {
        assertThat(events.refreshed.poll(10, java.util.concurrent.TimeUnit.SECONDS)).as("a refresh").isNotNull();
      }

      assertThat(server.verifier().verify(established)).isSameAs(first);
      // The client resumes the session of its first handshake: the sessions were not renewed.
      LoopbackClient.connect(client, "localhost", loopback.port());
      assertThat(loopback.nextOutcome().session().getCreationTime()).isEqualTo(established.getCreationTime());
    }
  }

  @Test
  void anOlderCrl_writtenBack_doesNotBringARevokedClientBack() throws Exception {
    Path crl = ca.writeCrl(dir.resolve("ca.crl"));
    String older = java.nio.file.Files.readString(crl);
    IssuedCertificate clientCertificate = ca.client("orders");
    startServer(ReloadPolicy.disabled(), PeerPolicy.anyTrustedPeer(), null, Revocation.crls().file(crl).build());
    ca.revoke(clientCertificate);
    ReloadFixture.writeAtomically(crl, ca.crlPem());
    server.reloadNow();
    assertThat(server.verifier().verify(clientCertificate.chain()).isAllowed()).isFalse();

    ReloadFixture.writeAtomically(crl, older);
    assertThat(server.reloadNow().of(Material.CRL).status()).isEqualTo(ReloadResult.Status.FAILED);

    assertThat(server.verifier().verify(clientCertificate.chain())).isInstanceOfSatisfying(Verdict.Rejected.class,
        r -> assertThat(r.reason()).isEqualTo(RejectionReason.REVOKED));
    assertThat(events.failed).anySatisfy(e -> assertThat(e.problem()).contains("older than the one in use"));
  }

  @Test
  void aListenerThatThrows_doesNotStopAReload() throws Exception {
    MtlsListener throwing = new MtlsListener() {
      @Override
      public void reloaded(Reloaded event) {
        throw new IllegalStateException("listener bug");
      }
    };
    server = MtlsContext.forServer()
        .identity(IdentitySource.pemFiles(serverFiles.chain(), serverFiles.privateKey()))
        .trust(TrustSource.pemFile(serverFiles.caCertificate()))
        .peerPolicy(PeerPolicy.anyTrustedPeer())
        .reload(ReloadPolicy.disabled())
        .listener(throwing)
        .build();
    IssuedCertificate next = ca.server("localhost");
    ReloadFixture.rotate(serverFiles.chain(), serverFiles.privateKey(), next);

    assertThat(server.reloadNow().of(Material.IDENTITY).status()).isEqualTo(ReloadResult.Status.RELOADED);
    assertThat(server.reloadNow().of(Material.IDENTITY).status()).isEqualTo(ReloadResult.Status.UNCHANGED);
    assertThat(server.identityChain().get(0).getSerialNumber()).isEqualTo(next.serialNumber());
  }

  @Test
  void polling_goesOn_afterAListenerThrowsAnError() throws Exception {
    AtomicBoolean thrown = new AtomicBoolean();
    MtlsListener throwingOnce = new MtlsListener() {
      @Override
      public void reloaded(Reloaded event) {
        boolean first = thrown.compareAndSet(false, true);
        events.reloaded(event);
        if (first) {
          throw new AssertionError("listener bug");
        }
      }
    };
    server = MtlsContext.forServer()
        .identity(IdentitySource.pemFiles(serverFiles.chain(), serverFiles.privateKey()))
        .trust(TrustSource.pemFile(serverFiles.caCertificate()))
        .peerPolicy(PeerPolicy.anyTrustedPeer())
        .reload(ReloadPolicy.builder().interval(Duration.ofSeconds(1)).fileEvents(false).build())
        .listener(throwingOnce)
        .build();

    IssuedCertificate first = ca.server("localhost");
    ReloadFixture.rotate(serverFiles.chain(), serverFiles.privateKey(), first);
    assertThat(events.nextReload(Material.IDENTITY).after().get(0).serialNumber()).isEqualTo(first.serialNumber());
    assertThat(thrown).isTrue();

    IssuedCertificate second = ca.server("localhost");
    ReloadFixture.rotate(serverFiles.chain(), serverFiles.privateKey(), second);
    assertThat(events.nextReload(Material.IDENTITY).after().get(0).serialNumber())
        .as("the poll after the Error still runs").isEqualTo(second.serialNumber());
    assertThat(server.identityChain().get(0).getSerialNumber()).isEqualTo(second.serialNumber());
  }

  @Test
  void sessionVerdict_isCachedPerSession_andRecomputedAfterTheCrlChanges() throws Exception {
    Path crl = ca.writeCrl(dir.resolve("ca.crl"));
    IssuedCertificate clientCertificate = ca.client("orders");
    startServer(ReloadPolicy.disabled(), PeerPolicy.anyTrustedPeer(), null, Revocation.crls().file(crl).build());
    try (MtlsContext client = client(clientCertificate)) {
      LoopbackClient.connect(client, "localhost", loopback.port());
      SSLSession established = loopback.nextOutcome().session();
      Verdict first = server.verifier().verify(established);
      assertThat(first.isAllowed()).isTrue();
      assertThat(server.verifier().verify(established)).as("a lookup, not a new judgement").isSameAs(first);

      ca.revoke(clientCertificate);
      ReloadFixture.writeAtomically(crl, ca.crlPem());
      server.reloadNow();

      // An adapter asking again about the long-lived connection now hears it is revoked.
      assertThat(server.verifier().verify(established)).isInstanceOfSatisfying(Verdict.Rejected.class,
          r -> assertThat(r.reason()).isEqualTo(RejectionReason.REVOKED));
    }
  }

  @Test
  void keyAndCertificateChangingOneAtATime_waitsForTheConsistentPair() throws Exception {
    startServer(ReloadPolicy.disabled(), PeerPolicy.anyTrustedPeer(), null);
    try (MtlsContext client = client(ca.client("orders"))) {
      BigInteger first = serverSerial(client);
      IssuedCertificate next = ca.server("localhost");

      ReloadFixture.writeAtomically(serverFiles.chain(), next.chainPem());
      assertThat(server.reloadNow().of(Material.IDENTITY).status()).isEqualTo(ReloadResult.Status.FAILED);
      assertThat(serverSerial(client)).isEqualTo(first);
      assertThat(events.reloadFailed.poll()).satisfies(e -> assertThat(e.problem()).contains("does not match"));

      ReloadFixture.writeAtomically(serverFiles.privateKey(), next.privateKeyPem());
      assertThat(server.reloadNow().of(Material.IDENTITY).status()).isEqualTo(ReloadResult.Status.RELOADED);
      assertThat(serverSerial(client)).isEqualTo(next.serialNumber());
    }
  }

  @Test
  void refusedReplacements_keepTheOldIdentity_andSayWhichFileAndWhy() throws Exception {
    startServer(ReloadPolicy.disabled(), PeerPolicy.anyTrustedPeer(), null);
    try (MtlsContext client = client(ca.client("orders"))) {
      BigInteger first = serverSerial(client);
      String goodChain = Files.readString(serverFiles.chain());
      String goodKey = Files.readString(serverFiles.privateKey());
      Path chain = serverFiles.chain();
      Path key = serverFiles.privateKey();

      // A key that belongs to another certificate.
      ReloadFixture.writeAtomically(key, ca.server("localhost").privateKeyPem());
      assertRefused(key, "does not match the certificate's public key");
      restore(chain, goodChain, key, goodKey, client, first);

      // A file cut short, as a reader sees one being written in place.
      ReloadFixture.writeInPlace(chain, goodChain.substring(0, goodChain.length() / 2));
      assertRefused(chain, "truncated PEM block");
      restore(chain, goodChain, key, goodKey, client, first);

      // Garbage.
      ReloadFixture.writeInPlace(chain, "this is not a certificate\n");
      assertRefused(chain, "not PEM");
      restore(chain, goodChain, key, goodKey, client, first);

      // An expired replacement, a matching pair.
      IssuedCertificate expired = ca.leaf("localhost").serverAuth().dnsNames("localhost").expired().issue();
      ReloadFixture.rotate(chain, key, expired);
      assertRefused(chain, "expired at");
      restore(chain, goodChain, key, goodKey, client, first);

      // A chain to a CA this context does not trust (it started with one it does).
      ReloadFixture.rotate(chain, key, TestCa.create().server("localhost"));
      assertRefused(chain, "which is not among the");
      restore(chain, goodChain, key, goodKey, client, first);

      // A deleted file.
      Files.delete(key);
      assertRefused(key, "file does not exist");
      restore(chain, goodChain, key, goodKey, client, first);
    }
  }

  @Test
  void subjectChange_isRefused_whenThePolicySaysSo() throws Exception {
    // No file events and no poll due during the test: reloadNow() alone sees each rotation.
    startServer(ReloadPolicy.builder().refuseSubjectChange(true).fileEvents(false).interval(Duration.ofDays(1)).build(),
        PeerPolicy.anyTrustedPeer(), null);
    ReloadFixture.rotate(serverFiles.chain(), serverFiles.privateKey(), ca.server("localhost", "other.example"));
    assertRefused(serverFiles.chain(), "refuses subject changes");
    ReloadFixture.rotate(serverFiles.chain(), serverFiles.privateKey(), ca.server("localhost"));
    assertThat(server.reloadNow().of(Material.IDENTITY).status()).isEqualTo(ReloadResult.Status.RELOADED);
  }

  @Test
  void repeatedFailureOfTheSameContent_isReportedOnce() throws Exception {
    startServer(ReloadPolicy.disabled(), PeerPolicy.anyTrustedPeer(), null);
    ReloadFixture.writeInPlace(serverFiles.chain(), "garbage");
    server.reloadNow();
    server.reloadNow();
    server.reloadNow();
    assertThat(events.reloadFailed).hasSize(1);
  }

  private void restore(Path chain, String goodChain, Path key, String goodKey, MtlsContext client, BigInteger first)
      throws Exception {
    assertThat(serverSerial(client)).as("the old identity is still served").isEqualTo(first);
    ReloadFixture.writeAtomically(chain, goodChain);
    ReloadFixture.writeAtomically(key, goodKey);
    assertThat(server.reloadNow().of(Material.IDENTITY).status()).isEqualTo(ReloadResult.Status.UNCHANGED);
  }

  private void assertRefused(Path file, String problem) throws Exception {
    ReloadResult result = server.reloadNow();
    assertThat(result.of(Material.IDENTITY).status()).as(result.toString()).isEqualTo(ReloadResult.Status.FAILED);
    MtlsListener.ReloadFailed event = events.reloadFailed.poll();
    assertThat(event).as("a reload-failed event").isNotNull();
    assertThat(event.file()).isEqualTo(file);
    assertThat(event.problem()).contains(file.toString()).contains(problem);
  }

  /** The serial of the certificate the server presents in a full handshake. */
  private BigInteger serverSerial(MtlsContext client) throws Exception {
    SSLSession session = LoopbackClient.connect(client, "localhost", loopback.port());
    assertThat(loopback.nextOutcome().succeeded()).isTrue();
    // A resumed session would carry the certificate of the first handshake: no resumption.
    session.invalidate();
    return ((X509Certificate) session.getPeerCertificates()[0]).getSerialNumber();
  }

  private boolean handshakeSucceeds(MtlsContext client) throws Exception {
    try {
      LoopbackClient.connect(client, "localhost", loopback.port());
    } catch (IOException e) {
      loopback.nextOutcome();
      return false;
    }
    return loopback.nextOutcome().succeeded();
  }

  private void startServer(ReloadPolicy reload, PeerPolicy policy, TrustSource trust) throws IOException {
    startServer(reload, policy, trust, null);
  }

  private void startServer(ReloadPolicy reload, PeerPolicy policy, TrustSource trust, Revocation revocation)
      throws IOException {
    ServerContextBuilder builder = MtlsContext.forServer()
        .identity(IdentitySource.pemFiles(serverFiles.chain(), serverFiles.privateKey()))
        .trust(trust != null ? trust : TrustSource.pemFile(serverFiles.caCertificate()))
        .peerPolicy(policy)
        .reload(reload)
        .listener(events);
    if (revocation != null) {
      builder.revocation(revocation);
    }
    server = builder.build();
    loopback = new LoopbackServer(server);
  }

  /**
   * A CRL whose nextUpdate is this close (whole seconds: CRL times have no fractions) by the
   * CA's clock, which stands still: a server on that clock fetches it again in the background,
   * as it does right after every nextUpdate, each time that much real time has passed, until a
   * CRL with a later nextUpdate replaces it. The refresh interval itself is at least a minute.
   */
  private Path writeCrlDueIn(Duration dueIn) {
    Path crl = dir.resolve("ca.crl");
    ReloadFixture.writeAtomically(crl, ca.crlBuilder().nextUpdate(ca.clock().instant().plus(dueIn)).buildPem());
    return crl;
  }

  private void startServerOnTheCaClock(Revocation revocation) throws IOException {
    server = MtlsContext.forServer()
        .identity(IdentitySource.pemFiles(serverFiles.chain(), serverFiles.privateKey()))
        .trust(TrustSource.pemFile(serverFiles.caCertificate()))
        .peerPolicy(PeerPolicy.anyTrustedPeer())
        .reload(ReloadPolicy.disabled())
        .revocation(revocation)
        .clock(ca.clock())
        .listener(events)
        .build();
    loopback = new LoopbackServer(server);
  }

  private MtlsContext client(IssuedCertificate certificate) {
    return clientTrusting(certificate, ca);
  }

  private static MtlsContext clientTrusting(IssuedCertificate certificate, TestCa serverCa) {
    return MtlsContext.forClient()
        .identity(IdentitySource.of(certificate.privateKey(), certificate.chain()))
        .trust(TrustSource.of(List.of(serverCa.certificate())))
        .logging(false)
        .build();
  }
}
