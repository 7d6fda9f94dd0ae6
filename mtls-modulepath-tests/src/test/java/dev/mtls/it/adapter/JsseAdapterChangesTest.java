package dev.mtls.it.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.core.ContextChange;
import dev.mtls.core.IdentitySource;
import dev.mtls.core.Material;
import dev.mtls.core.MtlsContext;
import dev.mtls.core.PeerPolicy;
import dev.mtls.core.RejectionReason;
import dev.mtls.core.ReloadPolicy;
import dev.mtls.core.ReloadResult;
import dev.mtls.core.Revocation;
import dev.mtls.core.Subscription;
import dev.mtls.core.TrustSource;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.PemFiles;
import dev.mtls.testkit.TestCa;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An adapter module subscribes to the context's changes and keeps its own SunJSSE sessions
 * in step: real trust, CRL and identity files are rewritten and reloaded with
 * {@code reloadNow()}, and the next handshakes through the adapter follow.
 *
 * <p>Subscribers of a context hear each change one after the other, in the order they
 * subscribed: once the test's own subscriber, subscribed after the adapter, has heard
 * {@link ContextChange#SESSIONS_RENEWED}, the adapter has too.
 */
class JsseAdapterChangesTest {
  @TempDir Path dir;

  private final TestCa ca = TestCa.create();
  private final IssuedCertificate serverCertificate = ca.server("localhost");
  private final RecordingListener events = new RecordingListener();

  @Test
  void revocationReload_renewsTheAdaptersSessions_soARevokedClientCannotResume() throws Exception {
    Path crl = ca.writeCrl(dir.resolve("ca.crl"));
    IssuedCertificate orders = ca.client("orders");
    try (MtlsContext server = server(TrustSource.of(List.of(ca.certificate())), Revocation.crls().file(crl).build());
        JsseAdapter adapter = JsseAdapter.of(server);
        AdapterServer loopback = new AdapterServer(adapter);
        MtlsContext client = client(orders)) {
      BlockingQueue<ContextChange> heard = new LinkedBlockingQueue<>();
      server.onChange(heard::add);
      SSLContext before = adapter.sslContext();
      SSLSession first = Clients.connect(client, loopback.port());
      SSLSession second = Clients.connect(client, loopback.port());
      assertThat(second.getCreationTime()).as("the second connection resumes the first session")
          .isEqualTo(first.getCreationTime());
      assertSucceeded(loopback.nextOutcome());
      assertSucceeded(loopback.nextOutcome());

      ca.revoke(orders);
      writeAtomically(crl, ca.crlPem());
      assertThat(server.reloadNow().of(Material.CRL).status()).isEqualTo(ReloadResult.Status.RELOADED);
      assertNext(heard, ContextChange.REVOCATION, ContextChange.SESSIONS_RENEWED);

      assertThat(adapter.renewals()).isEqualTo(1);
      assertThat(adapter.sslContext()).isNotSameAs(before);
      assertThatThrownBy(() -> Clients.connect(client, loopback.port()))
          .as("the revoked client tries to resume").isInstanceOf(IOException.class);
      assertThat(loopback.nextOutcome().succeeded()).isFalse();
      assertThat(events.nextRejection()).isEqualTo(RejectionReason.REVOKED);
    }
  }

  @Test
  void trustReload_isHeardAndFollowed_andAClosedSubscriptionHearsNothingMore() throws Exception {
    Path bundle = dir.resolve("clients-ca.pem");
    Files.writeString(bundle, ca.certificatePem(), StandardCharsets.US_ASCII);
    TestCa partner = TestCa.create();
    TestCa later = TestCa.create();
    try (MtlsContext server = server(TrustSource.pemFile(bundle), Revocation.none());
        JsseAdapter adapter = JsseAdapter.of(server);
        AdapterServer loopback = new AdapterServer(adapter);
        MtlsContext partnerClient = client(partner.client("orders"))) {
      BlockingQueue<ContextChange> heard = new LinkedBlockingQueue<>();
      Subscription subscription = server.onChange(heard::add);
      assertThatThrownBy(() -> Clients.connect(partnerClient, loopback.port())).isInstanceOf(IOException.class);
      assertThat(loopback.nextOutcome().succeeded()).isFalse();
      assertThat(events.nextRejection()).isEqualTo(RejectionReason.UNTRUSTED_ISSUER);

      writeAtomically(bundle, ca.certificatePem() + partner.certificatePem());
      assertThat(server.reloadNow().of(Material.TRUST_ANCHORS).status()).isEqualTo(ReloadResult.Status.RELOADED);
      assertNext(heard, ContextChange.TRUST, ContextChange.SESSIONS_RENEWED);
      assertThat(server.trustAnchors()).contains(partner.certificate());
      Clients.connect(partnerClient, loopback.port());
      assertSucceeded(loopback.nextOutcome());

      subscription.close();
      subscription.close(); // idempotent
      BlockingQueue<ContextChange> laterHeard = new LinkedBlockingQueue<>();
      server.onChange(laterHeard::add);
      writeAtomically(bundle, ca.certificatePem() + partner.certificatePem() + later.certificatePem());
      assertThat(server.reloadNow().of(Material.TRUST_ANCHORS).status()).isEqualTo(ReloadResult.Status.RELOADED);
      assertNext(laterHeard, ContextChange.TRUST, ContextChange.SESSIONS_RENEWED);
      assertThat(heard).as("the closed subscription").isEmpty();
      assertThat(adapter.renewals()).as("the adapter's own subscription is still open").isEqualTo(2);
    }
  }

  @Test
  @SuppressWarnings("try") // the adapter is closed inside its try block: that is the scenario
  void closingTheAdapter_endsItsSubscription_soItsOwnSessionsNoLongerFollowTheContext() throws Exception {
    Path crl = ca.writeCrl(dir.resolve("ca.crl"));
    IssuedCertificate orders = ca.client("orders");
    try (MtlsContext server = server(TrustSource.of(List.of(ca.certificate())), Revocation.crls().file(crl).build());
        JsseAdapter adapter = JsseAdapter.of(server);
        AdapterServer loopback = new AdapterServer(adapter);
        MtlsContext client = client(orders)) {
      BlockingQueue<ContextChange> heard = new LinkedBlockingQueue<>();
      server.onChange(heard::add);
      SSLSession first = Clients.connect(client, loopback.port());
      assertSucceeded(loopback.nextOutcome());

      adapter.close();
      ca.revoke(orders);
      writeAtomically(crl, ca.crlPem());
      assertThat(server.reloadNow().of(Material.CRL).status()).isEqualTo(ReloadResult.Status.RELOADED);
      assertNext(heard, ContextChange.REVOCATION, ContextChange.SESSIONS_RENEWED);

      assertThat(adapter.renewals()).isZero();
      // What an adapter with a session cache of its own lets happen when it does not follow
      // SESSIONS_RENEWED: the revoked client resumes its session, the trust manager unasked.
      SSLSession resumed = Clients.connect(client, loopback.port());
      assertThat(resumed.getCreationTime()).isEqualTo(first.getCreationTime());
      assertSucceeded(loopback.nextOutcome());
      assertThat(server.verifier().verify(List.of(orders.certificate())).isAllowed())
          .as("the context itself refuses the client").isFalse();
    }
  }

  @Test
  void clientAdapter_presentsARotatedCertificate_atItsNextConnection() throws Exception {
    PemFiles clientFiles = ca.client("orders").writePem(dir.resolve("client"));
    try (MtlsContext server = server(TrustSource.of(List.of(ca.certificate())), Revocation.none());
        JsseAdapter serverAdapter = JsseAdapter.of(server);
        AdapterServer loopback = new AdapterServer(serverAdapter);
        MtlsContext client = MtlsContext.forClient()
            .identity(IdentitySource.pemFiles(clientFiles.chain(), clientFiles.privateKey()))
            .trust(TrustSource.of(List.of(ca.certificate())))
            .reload(ReloadPolicy.disabled())
            .build();
        JsseAdapter clientAdapter = JsseAdapter.of(client)) {
      BlockingQueue<ContextChange> heard = new LinkedBlockingQueue<>();
      client.onChange(heard::add);
      SSLSession first = Clients.connect(clientAdapter, loopback.port());
      BigInteger before = peerSerial(loopback);
      SSLSession second = Clients.connect(clientAdapter, loopback.port());
      assertThat(second.getCreationTime()).as("the adapter's client resumes its session")
          .isEqualTo(first.getCreationTime());
      assertThat(peerSerial(loopback)).isEqualTo(before);

      IssuedCertificate next = ca.client("orders");
      writeAtomically(clientFiles.chain(), next.chainPem());
      writeAtomically(clientFiles.privateKey(), next.privateKeyPem());
      assertThat(client.reloadNow().of(Material.IDENTITY).status()).isEqualTo(ReloadResult.Status.RELOADED);
      assertNext(heard, ContextChange.IDENTITY, ContextChange.SESSIONS_RENEWED);

      Clients.connect(clientAdapter, loopback.port());
      assertThat(peerSerial(loopback)).isEqualTo(next.serialNumber()).isNotEqualTo(before);
    }
  }

  private MtlsContext server(TrustSource trust, Revocation revocation) {
    return MtlsContext.forServer()
        .identity(IdentitySource.of(serverCertificate.privateKey(), serverCertificate.chain()))
        .trust(trust)
        .peerPolicy(PeerPolicy.anyTrustedPeer())
        .revocation(revocation)
        .reload(ReloadPolicy.disabled())
        .listener(events)
        .build();
  }

  private MtlsContext client(IssuedCertificate identity) {
    return MtlsContext.forClient()
        .identity(IdentitySource.of(identity.privateKey(), identity.chain()))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .reload(ReloadPolicy.disabled())
        .build();
  }

  private static BigInteger peerSerial(AdapterServer loopback) throws InterruptedException {
    AdapterServer.Outcome outcome = assertSucceeded(loopback.nextOutcome());
    try {
      return ((X509Certificate) outcome.session().getPeerCertificates()[0]).getSerialNumber();
    } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
      throw new AssertionError("the client sent no certificate", e);
    }
  }

  private static AdapterServer.Outcome assertSucceeded(AdapterServer.Outcome outcome) {
    assertThat(outcome.succeeded()).as("server: %s", outcome.failure()).isTrue();
    return outcome;
  }

  private static void assertNext(BlockingQueue<ContextChange> heard, ContextChange... expected)
      throws InterruptedException {
    for (ContextChange change : expected) {
      assertThat(heard.poll(10, TimeUnit.SECONDS)).as("expected %s", change).isEqualTo(change);
    }
  }

  /** Writes a file the way rotation tools do: a temporary file renamed over the old one. */
  private static void writeAtomically(Path file, String content) {
    try {
      Path temporary = Files.createTempFile(file.getParent(), ".rotate", ".tmp");
      Files.writeString(temporary, content, StandardCharsets.US_ASCII);
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
