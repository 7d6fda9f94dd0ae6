package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import dev.mtls.testkit.TestClock;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Verdicts remembered per TLS session, inside the verifier: on sessions that cannot be written
 * to, for containers that expose only a session id and a chain, and how such a verdict is
 * judged again, reported again, and forgotten.
 */
class PeerVerifierSessionTest {
  @TempDir Path dir;

  private final TestClock clock = new TestClock();
  private final TestCa ca = TestCa.builder().clock(clock).build();
  private final IssuedCertificate serverCertificate = ca.server("localhost");
  private final RecordingListener events = new RecordingListener();

  @Test
  void verify_worksOnTheJdkHttpClientsReadOnlySession() throws Exception {
    IssuedCertificate clientCertificate = ca.client("orders");
    try (MtlsContext server = server(TrustSource.of(List.of(ca.certificate())), Revocation.none());
        MtlsContext client = MtlsContext.forClient()
            .identity(IdentitySource.of(clientCertificate.privateKey(), clientCertificate.chain()))
            .trust(TrustSource.of(List.of(ca.certificate())))
            .clock(clock)
            .listener(events)
            .build();
        LoopbackHttpServer https = LoopbackHttpServer.https(server)) {
      https.body.set("hello".getBytes(StandardCharsets.US_ASCII));
      HttpClient http = HttpClient.newBuilder()
          .sslContext(client.sslContext())
          .sslParameters(client.sslParameters())
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(https.url("localhost", "/")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      SSLSession session = response.sslSession().orElseThrow();

      // The HttpClient's session refuses putValue: the verdict is kept by the verifier instead.
      Verdict verdict = client.verifier().verify(session);

      assertThat(verdict).isInstanceOfSatisfying(Verdict.Allowed.class,
          allowed -> assertThat(allowed.peer().dnsNames()).contains("localhost"));
      assertThat(client.verifier().verify(session)).as("remembered for the session").isSameAs(verdict);
      assertThat(events.rejected).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void verdictOfAnEstablishedSession_isRemembered_onEitherProvider(TlsProvider provider) throws Exception {
    IssuedCertificate clientCertificate = ca.client("orders");
    try (MtlsContext server = MtlsContext.forServer()
            .identity(IdentitySource.of(serverCertificate.privateKey(), serverCertificate.chain()))
            .trust(TrustSource.of(List.of(ca.certificate())))
            .peerPolicy(PeerPolicy.builder().allowCommonNames("orders").build())
            .provider(provider)
            .clock(clock)
            .listener(events)
            .build();
        MtlsContext client = MtlsContext.forClient()
            .identity(IdentitySource.of(clientCertificate.privateKey(), clientCertificate.chain()))
            .trust(TrustSource.of(List.of(ca.certificate())))
            .provider(provider)
            .build();
        LoopbackServer loopback = new LoopbackServer(server)) {
      LoopbackClient.connect(client, "localhost", loopback.port());
      // Bouncy Castle's JSSE gives a TLS 1.3 session no id: the verifier keys it by its chain.
      SSLSession session = loopback.nextOutcome().session();

      Verdict first = server.verifier().verify(session);

      assertThat(first.isAllowed()).isTrue();
      assertThat(server.verifier().verify(session)).isSameAs(first);
    }
  }

  @Test
  void verdictOfASessionId_isRemembered_notJudgedAgain() {
    try (MtlsContext server = server()) {
      byte[] id = sessionId(1);
      List<X509Certificate> chain = ca.client("orders").chain();

      Verdict first = server.verifier().verify(id, chain);
      Verdict again = server.verifier().verify(id.clone(), new ArrayList<>(chain));

      assertThat(first.isAllowed()).isTrue();
      assertThat(again).isSameAs(first);
    }
  }

  @Test
  void verdictOfAServletSession_fromItsHexId_isRemembered() {
    try (MtlsContext server = server()) {
      // As Tomcat and Jetty hand it over: jakarta.servlet.request.ssl_session_id, in hex.
      String attribute = HexFormat.of().formatHex(sessionId(7));
      X509Certificate[] certificates = ca.client("orders").chain().toArray(new X509Certificate[0]);

      Verdict first = server.verifier().verify(HexFormat.of().parseHex(attribute), List.of(certificates));

      assertThat(first.isAllowed()).isTrue();
      assertThat(server.verifier().verify(HexFormat.of().parseHex(attribute), List.of(certificates))).isSameAs(first);
    }
  }

  @Test
  void sessionWithoutAnId_isRememberedByItsChain() {
    try (MtlsContext server = server()) {
      List<X509Certificate> orders = ca.client("orders").chain();
      List<X509Certificate> billing = ca.client("billing").chain();

      Verdict allowed = server.verifier().verify(new byte[0], orders);
      Verdict refused = server.verifier().verify(new byte[0], billing);

      assertThat(server.verifier().verify(new byte[0], new ArrayList<>(orders))).isSameAs(allowed);
      assertThat(server.verifier().verify(new byte[0], billing)).isSameAs(refused);
      assertReason(refused, RejectionReason.IDENTITY_NOT_ALLOWED);
      assertThat(events.rejected).hasSize(1);
    }
  }

  @Test
  void aSessionIdPresentedWithAnotherChain_isJudgedForThatChain() {
    TestCa impostorCa = TestCa.builder().clock(clock).commonName(ca.subject().getName().substring(3)).build();
    try (MtlsContext server = server()) {
      byte[] id = sessionId(2);
      List<X509Certificate> genuine = ca.client("orders").chain();
      List<X509Certificate> impostor = impostorCa.client("orders").chain();

      Verdict allowed = server.verifier().verify(id, genuine);
      Verdict refused = server.verifier().verify(id, impostor);
      Verdict allowedAgain = server.verifier().verify(id, genuine);

      assertThat(allowed.isAllowed()).isTrue();
      assertReason(refused, RejectionReason.UNTRUSTED_ISSUER);
      assertThat(allowedAgain.isAllowed()).isTrue();
      // A chain differing only past the leaf is another chain too, judged on its own (the
      // extra certificate does not lead anywhere, and is left out of the path).
      Verdict withExtra = server.verifier().verify(id, List.of(genuine.get(0), impostorCa.certificate()));
      assertThat(withExtra).isNotSameAs(allowedAgain);
      assertThat(withExtra.isAllowed()).isTrue();
    }
  }

  @Test
  void rememberedVerdict_isJudgedAgain_afterTheTrustAnchorsChange() throws Exception {
    TestCa newCa = TestCa.builder().clock(clock).build();
    Path bundle = dir.resolve("clients-ca.pem");
    Files.writeString(bundle, ca.certificatePem());
    try (MtlsContext server = server(TrustSource.pemFile(bundle), Revocation.none())) {
      byte[] id = sessionId(3);
      List<X509Certificate> chain = ca.client("orders").chain();
      assertThat(server.verifier().verify(id, chain).isAllowed()).isTrue();

      ReloadFixture.writeAtomically(bundle, newCa.certificatePem());
      assertThat(server.reloadNow().of(Material.TRUST_ANCHORS).status()).isEqualTo(ReloadResult.Status.RELOADED);

      assertReason(server.verifier().verify(id, chain), RejectionReason.UNTRUSTED_ISSUER);
    }
  }

  @Test
  void rememberedVerdict_isJudgedAgain_afterTheCrlChanges() throws Exception {
    Path crl = ca.writeCrl(dir.resolve("ca.crl"));
    IssuedCertificate clientCertificate = ca.client("orders");
    try (MtlsContext server = server(TrustSource.of(List.of(ca.certificate())), Revocation.crls().file(crl).build())) {
      byte[] id = sessionId(4);
      assertThat(server.verifier().verify(id, clientCertificate.chain()).isAllowed()).isTrue();

      ca.revoke(clientCertificate);
      ReloadFixture.writeAtomically(crl, ca.crlPem());
      assertThat(server.reloadNow().of(Material.CRL).status()).isEqualTo(ReloadResult.Status.RELOADED);

      assertReason(server.verifier().verify(id, clientCertificate.chain()), RejectionReason.REVOKED);
    }
  }

  @Test
  void rememberedVerdict_isJudgedAgain_whenACertificateOfTheChainExpires() {
    IssuedCertificate shortLived = ca.leaf("orders").clientAuth()
        .notBefore(clock.instant().minus(Duration.ofHours(1)))
        .notAfter(clock.instant().plus(Duration.ofHours(1)))
        .issue();
    try (MtlsContext server = server()) {
      byte[] id = sessionId(5);
      Verdict before = server.verifier().verify(id, shortLived.chain());
      assertThat(before.isAllowed()).isTrue();
      clock.advance(Duration.ofMinutes(59));
      assertThat(server.verifier().verify(id, shortLived.chain())).isSameAs(before);

      clock.advance(Duration.ofMinutes(2));

      assertReason(server.verifier().verify(id, shortLived.chain()), RejectionReason.EXPIRED);
    }
  }

  @Test
  void rememberedVerdict_isJudgedAgain_whenTheTrustAnchorExpires() {
    TestCa shortLivedRoot = TestCa.builder().clock(clock).validity(Duration.ofHours(2)).build();
    IssuedCertificate peer = shortLivedRoot.leaf("orders").clientAuth()
        .notBefore(clock.instant().minus(Duration.ofHours(1)))
        .notAfter(clock.instant().plus(Duration.ofDays(1)))
        .issue();
    try (MtlsContext server = server(TrustSource.of(List.of(shortLivedRoot.certificate())), Revocation.none())) {
      byte[] id = sessionId(7);
      Verdict before = server.verifier().verify(id, peer.chain());
      assertThat(before.isAllowed()).isTrue();
      clock.advance(Duration.ofMinutes(119));
      assertThat(server.verifier().verify(id, peer.chain())).isSameAs(before);

      clock.advance(Duration.ofMinutes(2));

      Verdict after = server.verifier().verify(id, peer.chain());
      assertThat(after.isAllowed()).as("after the anchor expired: %s", after).isFalse();
      assertThat(((Verdict.Rejected) after).detail()).contains("CN=");
    }
  }

  @Test
  void rememberedRefusal_isJudgedAgain_whenTheCertificateBecomesValid() {
    IssuedCertificate early = ca.leaf("orders").clientAuth()
        .notBefore(clock.instant().plus(Duration.ofHours(1)))
        .notAfter(clock.instant().plus(Duration.ofDays(1)))
        .issue();
    try (MtlsContext server = server()) {
      byte[] id = sessionId(6);
      assertReason(server.verifier().verify(id, early.chain()), RejectionReason.NOT_YET_VALID);

      clock.advance(Duration.ofMinutes(61));

      assertThat(server.verifier().verify(id, early.chain()).isAllowed()).isTrue();
    }
  }

  @Test
  void rememberedRefusal_isReportedAtMostOnceAMinute_withTheCountOfRefusals() throws Exception {
    TestCa otherCa = TestCa.builder().clock(clock).build();
    try (MtlsContext server = server()) {
      byte[] id = sessionId(8);
      List<X509Certificate> refused = otherCa.client("intruder").chain();

      // A refused client hammering: one request after the other on its connection.
      Verdict first = server.verifier().verify(id, refused);
      for (int request = 1; request < 100; request++) {
        assertThat(server.verifier().verify(id, refused)).isSameAs(first);
      }
      assertThat(events.rejected).singleElement().satisfies(event -> {
        assertThat(event.rejected()).isEqualTo(first);
        assertThat(event.count()).isEqualTo(1);
      });

      clock.advance(Duration.ofMinutes(1));
      server.verifier().verify(id, refused);

      assertThat(events.rejected).hasSize(2).last().satisfies(event -> {
        assertThat(event.rejected()).isEqualTo(first);
        assertThat(event.count()).as("99 repeats held back, and this one").isEqualTo(100);
        assertThat(event.at()).isEqualTo(clock.instant());
      });
    }
  }

  @Test
  void refusedPeerOfAnEstablishedSession_isReportedOnce_notOnEveryRequest() throws Exception {
    // The handshake leaves the policy to the application, which answers 403 per request.
    IssuedCertificate billing = ca.client("billing");
    try (MtlsContext server = MtlsContext.forServer()
            .identity(IdentitySource.of(serverCertificate.privateKey(), serverCertificate.chain()))
            .trust(TrustSource.of(List.of(ca.certificate())))
            .peerPolicy(PeerPolicy.builder().allowCommonNames("orders").build())
            .peerPolicyInHandshake(false)
            .clock(clock)
            .listener(events)
            .build();
        MtlsContext client = MtlsContext.forClient()
            .identity(IdentitySource.of(billing.privateKey(), billing.chain()))
            .trust(TrustSource.of(List.of(ca.certificate())))
            .build();
        LoopbackServer loopback = new LoopbackServer(server)) {
      LoopbackClient.connect(client, "localhost", loopback.port());
      SSLSession session = loopback.nextOutcome().session();

      for (int request = 0; request < 50; request++) {
        assertReason(server.verifier().verify(session), RejectionReason.IDENTITY_NOT_ALLOWED);
      }

      assertThat(events.rejected).singleElement()
          .satisfies(event -> assertThat(event.rejected().reason()).isEqualTo(RejectionReason.IDENTITY_NOT_ALLOWED));
    }
  }

  @Test
  void everyRefusal_isReported_fromEveryEntryPoint() {
    try (MtlsContext server = server()) {
      server.verifier().verify(List.of());
      server.verifier().verify((X509Certificate[]) null);
      server.verifier().verify(sessionId(9), List.of());
      server.verifier().verify(new byte[0], List.of());
      ((DefaultPeerVerifier) server.verifier()).reportRefusal(RejectionReason.NO_CERTIFICATE,
          "the client sent no certificate (TLS layer, 127.0.0.1:50000)");

      assertThat(events.rejected).hasSize(5)
          .allSatisfy(event -> assertThat(event.rejected().reason()).isEqualTo(RejectionReason.NO_CERTIFICATE));
      assertThat(events.rejected).last()
          .satisfies(event -> assertThat(event.rejected().detail()).contains("TLS layer"));
    }
  }

  @Test
  void remembersAtMostTenThousandSessions_andKeepsThoseInUse() {
    try (MtlsContext server = server()) {
      DefaultPeerVerifier verifier = (DefaultPeerVerifier) server.verifier();
      List<X509Certificate> chain = ca.client("orders").chain();
      List<Verdict> regulars = new ArrayList<>();
      for (int regular = 0; regular < 100; regular++) {
        regulars.add(verifier.verify(sessionId(regular), chain));
      }

      int newcomers = DefaultPeerVerifier.REMEMBERED_SESSIONS * 3 / 2;
      for (int newcomer = 0; newcomer < newcomers; newcomer++) {
        verifier.verify(sessionId(1_000_000 + newcomer), chain);
        if (newcomer % 1_000 == 0) {
          for (int regular = 0; regular < regulars.size(); regular++) {
            assertThat(verifier.verify(sessionId(regular), chain)).isSameAs(regulars.get(regular));
          }
        }
      }

      assertThat(verifier.rememberedSessions()).isLessThanOrEqualTo(DefaultPeerVerifier.REMEMBERED_SESSIONS)
          .isGreaterThan(DefaultPeerVerifier.REMEMBERED_SESSIONS - 100);
      for (int regular = 0; regular < regulars.size(); regular++) {
        assertThat(verifier.verify(sessionId(regular), chain)).isSameAs(regulars.get(regular));
      }
    }
  }

  private MtlsContext server() {
    return server(TrustSource.of(List.of(ca.certificate())), Revocation.none());
  }

  private MtlsContext server(TrustSource trust, Revocation revocation) {
    return MtlsContext.forServer()
        .identity(IdentitySource.of(serverCertificate.privateKey(), serverCertificate.chain()))
        .trust(trust)
        .peerPolicy(PeerPolicy.builder().allowCommonNames("orders").build())
        .revocation(revocation)
        .reload(ReloadPolicy.disabled())
        .clock(clock)
        .listener(events)
        .logging(false)
        .build();
  }

  /** A 32-byte session id, as the JDK makes them, distinct for each number. */
  private static byte[] sessionId(int n) {
    return ByteBuffer.allocate(32).putInt(0xC0FFEE).putInt(n).array();
  }

  private static void assertReason(Verdict verdict, RejectionReason reason) {
    assertThat(verdict).isInstanceOfSatisfying(Verdict.Rejected.class,
        rejected -> assertThat(rejected.reason()).as(rejected.toString()).isEqualTo(reason));
  }
}
