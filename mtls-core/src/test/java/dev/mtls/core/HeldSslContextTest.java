package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.PemFiles;
import dev.mtls.testkit.TestCa;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Containers and clients keep the {@code SSLContext} they were given for their whole life.
 * Each scenario takes {@code sslContext()} once, as they do, and then changes the
 * context's CRLs or identity: whoever holds it follows. Resumption is looked at with the
 * JDK provider (Bouncy Castle's JSSE does not resume TLS 1.3 sessions); a resumed session
 * keeps the creation time of the handshake it came from.
 */
class HeldSslContextTest {
  @TempDir Path dir;

  private final TestCa ca = TestCa.create();
  private final IssuedCertificate serverCertificate = ca.server("localhost");

  @Test
  void revokedClient_cannotResumeItsSession_withAServerBuiltOnTheHeldSslContext() throws Exception {
    Path crl = ca.writeCrl(dir.resolve("ca.crl"));
    IssuedCertificate clientCertificate = ca.client("orders");
    BlockingQueue<SSLSession> served = new LinkedBlockingQueue<>();
    try (MtlsContext server = MtlsContext.forServer()
            .identity(IdentitySource.of(serverCertificate.privateKey(), serverCertificate.chain()))
            .trust(TrustSource.of(List.of(ca.certificate())))
            .peerPolicy(PeerPolicy.anyTrustedPeer())
            .revocation(Revocation.crls().file(crl).build())
            .reload(ReloadPolicy.disabled())
            .logging(false)
            .build();
        MtlsContext client = client(clientCertificate, null)) {
      SSLContext held = server.sslContext();
      HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      // The parameters are set explicitly, as a careful user of an SSLContext would: this
      // scenario is about resumption, not defaults.
      https.setHttpsConfigurator(new HttpsConfigurator(held) {
        @Override
        public void configure(HttpsParameters params) {
          params.setSSLParameters(server.sslParameters());
        }
      });
      https.createContext("/", exchange -> {
        served.add(((HttpsExchange) exchange).getSSLSession());
        byte[] body = "served".getBytes(StandardCharsets.US_ASCII);
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
      });
      https.start();
      try {
        int port = https.getAddress().getPort();
        assertThat(HttpsGet.status(client.socketFactory(), port)).isEqualTo(200);
        assertThat(HttpsGet.status(client.socketFactory(), port)).isEqualTo(200);
        SSLSession first = served.take();
        assertThat(served.take().getCreationTime()).as("the second connection resumes the first session")
            .isEqualTo(first.getCreationTime());

        ca.revoke(clientCertificate);
        ReloadFixture.writeAtomically(crl, ca.crlPem());
        assertThat(server.reloadNow().of(Material.CRL).status()).isEqualTo(ReloadResult.Status.RELOADED);

        assertThatThrownBy(() -> HttpsGet.status(client.socketFactory(), port))
            .as("the revoked client tries to resume").isInstanceOf(IOException.class);
        assertThat(served).as("nothing served to the revoked client").isEmpty();
      } finally {
        https.stop(0);
      }
    }
  }

  @Test
  void clientHoldingItsSslContext_refusesAServerRevokedLater() throws Exception {
    Path crl = ca.writeCrl(dir.resolve("ca.crl"));
    try (MtlsContext server = server(TlsProvider.JDK);
        MtlsContext client = client(ca.client("orders"), Revocation.crls().file(crl).build());
        LoopbackServer loopback = new LoopbackServer(server)) {
      SSLSocketFactory held = client.sslContext().getSocketFactory();
      // CRLs change all the time: an earlier, unrelated revocation.
      ca.revoke(ca.server("retired.example"));
      ReloadFixture.writeAtomically(crl, ca.crlPem());
      assertThat(client.reloadNow().of(Material.CRL).status()).isEqualTo(ReloadResult.Status.RELOADED);
      SSLSession first = LoopbackClient.connect(held, "localhost", loopback.port());
      SSLSession second = LoopbackClient.connect(held, "localhost", loopback.port());
      assertThat(second.getCreationTime()).as("the second connection resumes the first session")
          .isEqualTo(first.getCreationTime());
      loopback.nextOutcome();
      loopback.nextOutcome();

      ca.revoke(serverCertificate);
      ReloadFixture.writeAtomically(crl, ca.crlPem());
      assertThat(client.reloadNow().of(Material.CRL).status()).isEqualTo(ReloadResult.Status.RELOADED);

      assertThatThrownBy(() -> LoopbackClient.connect(held, "localhost", loopback.port()))
          .as("the client refuses the revoked server instead of resuming").isInstanceOf(IOException.class);
    }
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void rotatedClientCertificate_isSeenByTheServer_atTheNextConnection_throughTheHeldSslContext(
      TlsProvider provider) throws Exception {
    PemFiles clientFiles = ca.client("orders").writePem(dir.resolve("client"));
    try (MtlsContext server = server(provider);
        MtlsContext client = MtlsContext.forClient()
            .identity(IdentitySource.pemFiles(clientFiles.chain(), clientFiles.privateKey()))
            .trust(TrustSource.pemFile(clientFiles.caCertificate()))
            .provider(provider)
            .reload(ReloadPolicy.disabled())
            .logging(false)
            .build();
        LoopbackServer loopback = new LoopbackServer(server)) {
      SSLSocketFactory held = client.sslContext().getSocketFactory();
      LoopbackClient.connect(held, "localhost", loopback.port());
      BigInteger before = peerSerial(loopback);

      IssuedCertificate next = ca.client("orders");
      ReloadFixture.rotate(clientFiles.chain(), clientFiles.privateKey(), next);
      assertThat(client.reloadNow().of(Material.IDENTITY).status()).isEqualTo(ReloadResult.Status.RELOADED);
      LoopbackClient.connect(held, "localhost", loopback.port());

      assertThat(peerSerial(loopback)).isEqualTo(next.serialNumber()).isNotEqualTo(before);
    }
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void sessionTimeoutAndCacheSize_setOnTheHeldSslContext_surviveARenewal(TlsProvider provider) throws Exception {
    Path crl = ca.writeCrl(dir.resolve("ca.crl"));
    try (MtlsContext server = MtlsContext.forServer()
            .identity(IdentitySource.of(serverCertificate.privateKey(), serverCertificate.chain()))
            .trust(TrustSource.of(List.of(ca.certificate())))
            .peerPolicy(PeerPolicy.anyTrustedPeer())
            .revocation(Revocation.crls().file(crl).build())
            .provider(provider)
            .reload(ReloadPolicy.disabled())
            .logging(false)
            .build()) {
      SSLContext held = server.sslContext();
      held.getServerSessionContext().setSessionTimeout(77);
      held.getServerSessionContext().setSessionCacheSize(5);
      held.getClientSessionContext().setSessionTimeout(78);
      held.getClientSessionContext().setSessionCacheSize(6);
      BlockingQueue<ContextChange> changes = new LinkedBlockingQueue<>();
      server.onChange(changes::add);

      ca.revoke(ca.client("retired"));
      ReloadFixture.writeAtomically(crl, ca.crlPem());
      assertThat(server.reloadNow().of(Material.CRL).status()).isEqualTo(ReloadResult.Status.RELOADED);
      assertThat(changes.poll(10, TimeUnit.SECONDS)).isEqualTo(ContextChange.REVOCATION);
      assertThat(changes.poll(10, TimeUnit.SECONDS)).isEqualTo(ContextChange.SESSIONS_RENEWED);

      SSLSessionContext serverSessions = server.sslContext().getServerSessionContext();
      assertThat(serverSessions.getSessionTimeout()).isEqualTo(77);
      assertThat(serverSessions.getSessionCacheSize()).isEqualTo(5);
      SSLSessionContext clientSessions = server.sslContext().getClientSessionContext();
      assertThat(clientSessions.getSessionTimeout()).isEqualTo(78);
      assertThat(clientSessions.getSessionCacheSize()).isEqualTo(6);
      assertThat(server.sslContext()).isSameAs(held);
    }
  }

  private static BigInteger peerSerial(LoopbackServer loopback) throws Exception {
    LoopbackServer.Outcome outcome = loopback.nextOutcome();
    assertThat(outcome.succeeded()).as("server: %s", outcome.failure()).isTrue();
    return ((X509Certificate) outcome.session().getPeerCertificates()[0]).getSerialNumber();
  }

  private MtlsContext server(TlsProvider provider) {
    return MtlsContext.forServer()
        .identity(IdentitySource.of(serverCertificate.privateKey(), serverCertificate.chain()))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .peerPolicy(PeerPolicy.anyTrustedPeer())
        .provider(provider)
        .logging(false)
        .build();
  }

  private MtlsContext client(IssuedCertificate certificate, Revocation revocation) {
    ClientContextBuilder builder = MtlsContext.forClient()
        .identity(IdentitySource.of(certificate.privateKey(), certificate.chain()))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .reload(ReloadPolicy.disabled())
        .logging(false);
    if (revocation != null) {
      builder.revocation(revocation);
    }
    return builder.build();
  }
}
