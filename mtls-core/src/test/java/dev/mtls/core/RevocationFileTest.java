package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.core.internal.crl.CrlRevocationChecker;
import dev.mtls.core.internal.crl.CrlSettings;
import dev.mtls.core.internal.crl.FileCrlSource;
import dev.mtls.core.internal.crl.RevocationChecker;
import dev.mtls.core.internal.crl.RevocationStatus;
import dev.mtls.core.internal.crl.RevocationStatus.State;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.RevocationReason;
import dev.mtls.testkit.TestCa;
import dev.mtls.testkit.TestClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RevocationFileTest {
  @TempDir Path dir;

  private final TestClock clock = new TestClock();
  private final TestCa ca = TestCa.builder().clock(clock).build();
  private final RecordingListener listener = new RecordingListener();
  private RevocationChecker checker = RevocationChecker.NONE;

  @AfterEach
  void close() {
    checker.close();
  }

  private RevocationChecker start(Revocation.Builder builder) {
    checker = builder.build().start(clock, listener);
    return checker;
  }

  private Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }

  private RevocationStatus check(IssuedCertificate certificate) {
    return checker.check(certificate.fullChain(), clock.instant());
  }

  @Test
  void check_isRevoked_withReasonDateAndSource_whenLeafIsOnTheCrl() {
    IssuedCertificate revoked = ca.client("revoked");
    Instant revokedAt = clock.instant().minusSeconds(3600);
    ca.revoke(revoked, RevocationReason.KEY_COMPROMISE, revokedAt);
    Path crl = ca.writeCrl(dir.resolve("ca.crl"));

    start(Revocation.crls().file(crl));

    RevocationStatus status = check(revoked);
    assertThat(status.state()).isEqualTo(State.REVOKED);
    assertThat(status.detail()).isEqualTo("serial " + revoked.serialNumber().toString(16)
        + " revoked at " + revokedAt + " (reason keyCompromise) by CRL from " + crl);
    assertThat(listener.refreshed).singleElement().satisfies(event -> {
      assertThat(event.source()).isEqualTo(crl.toString());
      assertThat(event.issuer()).isEqualTo(ca.subject().getName());
      assertThat(event.entries()).isEqualTo(1);
    });
  }

  @Test
  void check_isGood_whenLeafIsNotOnTheCrl() {
    ca.revoke(ca.client("someone else"));
    start(Revocation.crls().file(ca.writeCrl(dir.resolve("ca.crl"))));

    assertThat(check(ca.client("good"))).isEqualTo(RevocationStatus.GOOD);
  }

  @Test
  void check_isUnknown_whenNoCrlCoversTheLeafsIssuer() {
    TestCa other = TestCa.builder().clock(clock).commonName("Other CA").build();
    start(Revocation.crls().file(other.writeCrl(dir.resolve("other.crl"))));

    RevocationStatus status = check(ca.client("uncovered"));
    assertThat(status.state()).isEqualTo(State.UNKNOWN);
    assertThat(status.detail()).isEqualTo("no CRL for issuer " + ca.subject().getName());
  }

  @Test
  void check_isUnknown_andReportedOnce_whenCrlIsForgedWithAForeignKey() throws IOException {
    IssuedCertificate revoked = ca.client("revoked");
    ca.revoke(revoked);
    // the forger leaves the victim off a CRL that carries the CA's name
    TestCa forger = TestCa.create();
    Path crl = write("forged.crl", ca.crlBuilder().signedWith(forger.keyPair()).buildPem());
    start(Revocation.crls().file(crl));

    for (int i = 0; i < 3; i++) {
      RevocationStatus status = check(ca.client("peer " + i));
      assertThat(status.state()).isEqualTo(State.UNKNOWN);
      assertThat(status.detail()).isEqualTo("CRL from " + crl + " for issuer "
          + ca.subject().getName() + " is not signed by that issuer's key");
    }
    assertThat(listener.failed).singleElement()
        .satisfies(event -> assertThat(event.problem()).contains("is not signed by"));
  }

  @Test
  void check_usesTheGenuineCrl_whenAForgedOneForTheSameIssuerIsNewer() throws IOException {
    IssuedCertificate revoked = ca.client("revoked");
    ca.revoke(revoked);
    String genuine = ca.crlPem();
    clock.advance(Duration.ofMinutes(1));
    String forged = ca.crlBuilder().signedWith(TestCa.create().keyPair()).buildPem();
    start(Revocation.crls().file(write("both.crl", forged + genuine)));

    assertThat(check(revoked).state()).isEqualTo(State.REVOKED);
    assertThat(listener.failed).hasSize(1);
  }

  @Test
  void check_picksTheNewestCrl_whenSeveralCoverTheIssuer() throws IOException {
    IssuedCertificate peer = ca.client("revoked later");
    String older = ca.crlPem();
    clock.advance(Duration.ofMinutes(1));
    ca.revoke(peer);
    String newer = ca.crlPem();
    start(Revocation.crls().file(write("older.crl", older)).file(write("newer.crl", newer)));

    assertThat(check(peer).state()).isEqualTo(State.REVOKED);
  }

  @Test
  void check_failsClosed_whenCrlIsStale() throws IOException {
    Path crl = write("stale.crl", ca.crlBuilder().stale().buildPem());
    start(Revocation.crls().file(crl));

    RevocationStatus status = check(ca.client("peer"));
    assertThat(status.state()).isEqualTo(State.UNKNOWN);
    assertThat(status.detail()).startsWith("CRL for " + ca.subject().getName() + " from " + crl
        + " is stale: nextUpdate was " + clock.instant().minus(Duration.ofDays(1)));
    assertThat(listener.failed).singleElement()
        .satisfies(event -> assertThat(event.problem()).contains("stale"));
  }

  @Test
  void check_usesStaleCrl_underSoftFail_untilMaxStalenessPasses() throws IOException {
    IssuedCertificate revoked = ca.client("revoked");
    ca.revoke(revoked);
    Path crl = write("stale.crl", ca.crlBuilder().stale().buildPem());
    start(Revocation.crls().file(crl).softFail(Duration.ofDays(2)));
    long generation = checker.generation();

    assertThat(check(ca.client("good"))).isEqualTo(RevocationStatus.GOOD);
    assertThat(check(revoked).state()).isEqualTo(State.REVOKED);

    clock.advance(Duration.ofDays(1).plusSeconds(1));
    assertThat(checker.generation()).isNotEqualTo(generation);
    RevocationStatus status = check(ca.client("good"));
    assertThat(status.state()).isEqualTo(State.UNKNOWN);
    assertThat(status.detail()).endsWith("beyond the soft-fail allowance of PT48H");
  }

  @Test
  void generation_changes_whenTheClockPassesNextUpdate() {
    start(Revocation.crls().file(ca.writeCrl(dir.resolve("ca.crl"))));
    long generation = checker.generation();
    assertThat(check(ca.client("peer"))).isEqualTo(RevocationStatus.GOOD);
    assertThat(checker.generation()).isEqualTo(generation);

    clock.advance(Duration.ofDays(1).plusSeconds(1));

    assertThat(checker.generation()).isNotEqualTo(generation);
    assertThat(check(ca.client("peer")).state()).isEqualTo(State.UNKNOWN);
  }

  @Test
  void check_isUnknown_whenThisUpdateIsInTheFuture() throws IOException {
    Instant future = clock.instant().plus(Duration.ofHours(1));
    start(Revocation.crls().file(write("future.crl", ca.crlBuilder().thisUpdate(future).buildPem())));

    RevocationStatus status = check(ca.client("peer"));
    assertThat(status.state()).isEqualTo(State.UNKNOWN);
    assertThat(status.detail()).contains("is not yet valid: thisUpdate is " + future);
  }

  @Test
  void check_isRevoked_whenTheIntermediateIsRevokedByTheRootCrl() throws IOException {
    TestCa intermediate = ca.newIntermediate("Issuing CA");
    IssuedCertificate leaf = intermediate.client("leaf");
    ca.revoke(ca.newIntermediate("Unrelated CA").certificate().getSerialNumber(),
        RevocationReason.SUPERSEDED, clock.instant());
    ca.revoke(intermediate.certificate().getSerialNumber(), RevocationReason.CA_COMPROMISE,
        clock.instant());
    start(Revocation.crls().file(write("root.crl", ca.crlPem()))
        .file(write("issuing.crl", intermediate.crlPem())));

    RevocationStatus status = check(leaf);
    assertThat(status.state()).isEqualTo(State.REVOKED);
    assertThat(status.detail()).contains("(reason cACompromise)").contains("root.crl");
  }

  @Test
  void check_requiresIntermediateCoverage_onlyWhenAsked() throws IOException {
    TestCa intermediate = ca.newIntermediate("Issuing CA");
    IssuedCertificate leaf = intermediate.client("leaf");
    Path issuingCrl = write("issuing.crl", intermediate.crlPem());

    start(Revocation.crls().file(issuingCrl));
    assertThat(check(leaf)).isEqualTo(RevocationStatus.GOOD);
    checker.close();

    start(Revocation.crls().file(issuingCrl).checkIntermediates(true));
    RevocationStatus status = check(leaf);
    assertThat(status.state()).isEqualTo(State.UNKNOWN);
    assertThat(status.detail()).isEqualTo("no CRL for issuer " + ca.subject().getName());
  }

  @Test
  void check_isUnknown_forAPathOfOnlyTheAnchor() {
    start(Revocation.crls().file(ca.writeCrl(dir.resolve("ca.crl"))));

    assertThat(checker.check(List.of(ca.certificate()), clock.instant()).state())
        .isEqualTo(State.UNKNOWN);
  }

  @Test
  void refresh_picksUpANewlyRevokedSerial_andChangesGeneration() throws Exception {
    Path crl = ca.writeCrl(dir.resolve("ca.crl"));
    IssuedCertificate peer = ca.client("peer");
    start(Revocation.crls().file(crl));
    assertThat(check(peer)).isEqualTo(RevocationStatus.GOOD);
    long generation = checker.generation();

    ca.revoke(peer);
    ca.writeCrl(crl);
    ((CrlRevocationChecker) checker).refreshNow();

    assertThat(check(peer).state()).isEqualTo(State.REVOKED);
    assertThat(checker.generation()).isNotEqualTo(generation);
    assertThat(listener.refreshed).hasSize(2);
  }

  @Test
  void refresh_keepsTheLastGoodCrl_whenTheFileTurnsToGarbage() throws Exception {
    IssuedCertificate revoked = ca.client("revoked");
    ca.revoke(revoked);
    Path crl = ca.writeCrl(dir.resolve("ca.crl"));
    start(Revocation.crls().file(crl));
    long generation = checker.generation();

    Files.writeString(crl, "not a CRL at all");
    ((CrlRevocationChecker) checker).refreshNow();

    assertThat(check(revoked).state()).isEqualTo(State.REVOKED);
    assertThat(checker.generation()).isEqualTo(generation);
    assertThat(listener.failed).singleElement().satisfies(event -> {
      assertThat(event.source()).isEqualTo(crl.toString());
      assertThat(event.problem()).contains("keeping the CRL loaded before");
    });
  }

  @Test
  void refresh_happensInTheBackground_afterTheRefreshInterval() throws Exception {
    Path crl = ca.writeCrl(dir.resolve("ca.crl"));
    IssuedCertificate peer = ca.client("peer");
    java.util.concurrent.CountDownLatch refreshed = new java.util.concurrent.CountDownLatch(2);
    // Revocation.Builder refuses intervals under a minute; the refresher itself is driven with
    // a short one, through the settings it is started with.
    CrlSettings everyFifthOfASecond = new CrlSettings(Duration.ofMillis(200), Duration.ofSeconds(10), null, false);
    checker = CrlRevocationChecker.start(List.of(new FileCrlSource(crl)), everyFifthOfASecond, clock,
        new MtlsListener() {
          @Override
          public void crlRefreshed(CrlRefreshed event) {
            refreshed.countDown();
          }
        });
    ca.revoke(peer);
    ca.writeCrl(crl);

    assertThat(refreshed.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(check(peer).state()).isEqualTo(State.REVOKED);
  }

  @Test
  void start_failsNamingTheFile_whenTheCrlIsGarbage() throws IOException {
    Path garbage = write("garbage.crl", "-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n");
    Revocation revocation = Revocation.crls().file(garbage).build();

    assertThatThrownBy(() -> revocation.start(clock, listener))
        .isInstanceOf(MtlsLoadException.class)
        .hasMessageStartingWith("cannot load CRL from " + garbage + ": ")
        .satisfies(e -> assertThat(((MtlsLoadException) e).file()).isEqualTo(garbage));
  }

  @Test
  void start_failsNamingTheFile_whenTheFileIsMissing() {
    Path missing = dir.resolve("missing.crl");
    assertThatThrownBy(() -> Revocation.crls().file(missing).build().start(clock, listener))
        .isInstanceOf(MtlsLoadException.class)
        .hasMessage("cannot load CRL from " + missing + ": cannot read: file does not exist");
  }

  @Test
  void start_failsNamingTheFile_whenItHoldsACertificateInsteadOfACrl() throws IOException {
    Path notCrl = write("ca.pem", ca.certificatePem());
    assertThatThrownBy(() -> Revocation.crls().file(notCrl).build().start(clock, listener))
        .isInstanceOf(MtlsLoadException.class)
        .hasMessageContaining(notCrl.toString())
        .hasMessageContaining("PEM block 'CERTIFICATE' is not a CRL");
  }

  @Test
  void start_loadsA100000EntryCrl_andFindsItsSerials() throws IOException {
    IssuedCertificate revoked = ca.client("revoked");
    ca.revoke(revoked, RevocationReason.SUPERSEDED, clock.instant());
    byte[] der = encoded(ca.crlBuilder().addSyntheticRevocations(100_000).build());
    Path crl = Files.write(dir.resolve("big.crl"), der);

    long started = System.nanoTime();
    start(Revocation.crls().file(crl));
    long millis = (System.nanoTime() - started) / 1_000_000;
    System.out.println("100,000-entry CRL (" + der.length + " bytes DER) loaded in " + millis
        + " ms");

    assertThat(listener.refreshed).singleElement()
        .satisfies(event -> assertThat(event.entries()).isEqualTo(100_001));
    assertThat(check(revoked).detail()).contains("(reason superseded)");
    assertThat(check(ca.client("good"))).isEqualTo(RevocationStatus.GOOD);
  }

  @Test
  void close_endsTheBackgroundThreads_whenNothingElseRuns() throws Exception {
    BackgroundThreads.assertNoneRunning();
    start(Revocation.crls().file(ca.writeCrl(dir.resolve("ca.crl"))));
    List<Thread> refreshing = BackgroundThreads.running();
    assertThat(refreshing).isNotEmpty()
        .allMatch(thread -> thread.getName().startsWith("mtls-background-"));

    checker.close();

    BackgroundThreads.assertEnd(refreshing);
  }

  private static byte[] encoded(java.security.cert.X509CRL crl) {
    try {
      return crl.getEncoded();
    } catch (java.security.cert.CRLException e) {
      throw new AssertionError(e);
    }
  }
}
