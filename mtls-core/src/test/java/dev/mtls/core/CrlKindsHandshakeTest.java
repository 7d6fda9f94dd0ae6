package dev.mtls.core;

import static dev.mtls.core.LoadingFixtures.assertLoadFails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.core.internal.BouncyCastle;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.RevocationReason;
import dev.mtls.testkit.TestCa;
import dev.mtls.testkit.TestClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CRLException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CertificateList;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kinds of CRL RFC 5280 defines (sections 5 and 6.3), each made by the testkit and judged
 * in real handshakes: a server requiring client certificates checks each client against its
 * CRL files. Delta CRLs merge with their base, indirect CRLs answer for the certificates that
 * name their issuer, issuing distribution points scope what a CRL covers, a re-keyed CA's CRL
 * covers the certificates of its earlier key; a CRL without a CRL number is refused, and one
 * that verifies but cannot be used fails no build: its peers are REVOCATION_UNKNOWN, saying why.
 */
class CrlKindsHandshakeTest {
  private static final TestClock CLOCK = new TestClock();
  /** The server's own CA, which the clients trust: apart from the PKI under test. */
  private static final TestCa SERVER_CA = TestCa.builder().commonName("Server CA").clock(CLOCK).build();
  private static final IssuedCertificate SERVER = SERVER_CA.server("localhost");

  @TempDir Path dir;

  private final RecordingListener events = new RecordingListener();
  private MtlsContext server;
  private LoopbackServer loopback;

  @AfterEach
  void stop() throws IOException {
    if (loopback != null) {
      loopback.close();
      loopback = null;
    }
    if (server != null) {
      server.close();
      server = null;
    }
  }

  @Test
  void crlWithoutACrlNumber_failsTheBuild_namingTheFile() {
    TestCa ca = ca("Numberless CA");
    Path file = write("ca.crl", ca.crlBuilder().withoutCrlNumber().build());

    assertLoadFails(() -> start(List.of(ca.certificate()), file), file,
        "the CRL has no CRL number, which RFC 5280 (section 5.2.3) requires of every CRL:"
            + " refused as non-conforming");
  }

  @Test
  void reload_keepsTheCrlInUse_whenTheNewOneHasNoCrlNumber() throws Exception {
    TestCa ca = ca("Renumbered CA");
    assertReloadKeepsTheCrlInUse(ca, crlBytes(ca.crlBuilder().withoutCrlNumber().build()), "has no CRL number");
  }

  @Test
  void deltaCrl_revokesWhatItAdds_andReleasesAHold_onTopOfItsBase() throws Exception {
    TestCa ca = ca("Delta CA");
    IssuedCertificate held = ca.client("held");
    IssuedCertificate later = ca.client("revoked later");
    IssuedCertificate good = ca.client("good");
    ca.revoke(held, RevocationReason.CERTIFICATE_HOLD, CLOCK.instant());
    Path base = write("base.crl", ca.crlBuilder().crlNumber(10).build());
    ca.revoke(later, RevocationReason.KEY_COMPROMISE, CLOCK.instant());
    Path delta = write("delta.crl", ca.crlBuilder().crlNumber(11).delta(10).removeFromCrl(held).build());
    start(List.of(ca.certificate()), base, delta);

    Verdict.Rejected revokedByDelta = rejection(later);
    assertThat(revokedByDelta.reason()).isEqualTo(RejectionReason.REVOKED);
    assertThat(revokedByDelta.detail()).contains("(reason keyCompromise) by delta CRL from " + delta);
    assertThat(rejection(held)).as("the hold the delta released").isNull();
    assertThat(rejection(good)).isNull();
  }

  @Test
  void deltaCrl_isNotMerged_withAnOlderCompleteCrlThanItsBase() throws Exception {
    TestCa ca = ca("Late Delta CA");
    IssuedCertificate held = ca.client("held");
    ca.revoke(held, RevocationReason.CERTIFICATE_HOLD, CLOCK.instant());
    Path base = write("base.crl", ca.crlBuilder().crlNumber(10).build());
    Path delta = write("delta.crl", ca.crlBuilder().crlNumber(13).delta(12).removeFromCrl(held).build());
    start(List.of(ca.certificate()), base, delta);

    assertThat(rejection(held).reason()).as("still on hold by the base").isEqualTo(RejectionReason.REVOKED);
  }

  @Test
  void indirectCrl_revokesCertificatesOfAnotherCa_thatNameItsIssuerAsCrlIssuer() throws Exception {
    TestCa crlSigner = ca("CRL Signer");
    TestCa ca = ca("Indirectly Revoked CA");
    String point = "http://crl.example/all.crl";
    IssuedCertificate revoked = ca.leaf("revoked").clientAuth().crlDistributionPoint(point, crlSigner).issue();
    IssuedCertificate good = ca.leaf("good").clientAuth().crlDistributionPoint(point, crlSigner).issue();
    IssuedCertificate stray = ca.client("names no CRL issuer");
    Path file = write("indirect.crl",
        crlSigner.crlBuilder().indirect().revoke(revoked, RevocationReason.KEY_COMPROMISE).build());
    start(List.of(ca.certificate(), crlSigner.certificate()), file);

    Verdict.Rejected rejected = rejection(revoked);
    assertThat(rejected.reason()).isEqualTo(RejectionReason.REVOKED);
    assertThat(rejected.detail()).contains("(reason keyCompromise) by CRL from " + file);
    assertThat(rejection(good)).isNull();
    Verdict.Rejected uncovered = rejection(stray);
    assertThat(uncovered.reason()).isEqualTo(RejectionReason.REVOCATION_UNKNOWN);
    assertThat(uncovered.detail()).contains("no CRL for issuer CN=Indirectly Revoked CA");
  }

  @Test
  void crlsPartitionedByReason_coverACertificate_onlyTogether() throws Exception {
    TestCa ca = ca("Partitioned CA");
    IssuedCertificate compromised = ca.client("compromised");
    IssuedCertificate good = ca.client("good");
    Path keys = write("key-compromise.crl", ca.crlBuilder()
        .onlySomeReasons(RevocationReason.KEY_COMPROMISE)
        .revoke(compromised, RevocationReason.KEY_COMPROMISE).build());
    Path rest = write("other-reasons.crl", ca.crlBuilder()
        .onlySomeReasons(RevocationReason.CA_COMPROMISE, RevocationReason.AFFILIATION_CHANGED,
            RevocationReason.SUPERSEDED, RevocationReason.CESSATION_OF_OPERATION,
            RevocationReason.CERTIFICATE_HOLD, RevocationReason.PRIVILEGE_WITHDRAWN,
            RevocationReason.AA_COMPROMISE).build());

    start(List.of(ca.certificate()), keys);
    assertThat(rejection(compromised).reason()).isEqualTo(RejectionReason.REVOKED);
    Verdict.Rejected partly = rejection(good);
    assertThat(partly.reason()).isEqualTo(RejectionReason.REVOCATION_UNKNOWN);
    assertThat(partly.detail()).contains("cover only the revocation reasons keyCompromise; no CRL covers"
        + " cACompromise, affiliationChanged, superseded, cessationOfOperation, certificateHold,"
        + " privilegeWithdrawn, aACompromise");
    stop();

    start(List.of(ca.certificate()), keys, rest);
    assertThat(rejection(compromised).reason()).isEqualTo(RejectionReason.REVOKED);
    assertThat(rejection(good)).isNull();
  }

  @Test
  void crlForAttributeCertificatesOnly_coversNoPeer() throws Exception {
    TestCa ca = ca("Attribute CA");
    IssuedCertificate client = ca.client("client");
    start(List.of(ca.certificate()), write("attributes.crl", ca.crlBuilder().onlyAttributeCertificates().build()));

    Verdict.Rejected rejected = rejection(client);
    assertThat(rejected.reason()).isEqualTo(RejectionReason.REVOCATION_UNKNOWN);
    assertThat(rejected.detail()).contains("no CRL for issuer CN=Attribute CA covers certificate CN=client");
  }

  @Test
  void crlForADistributionPointNamedRelativeToItsIssuer_coversTheCertificatesNamingIt() throws Exception {
    TestCa ca = ca("Relative Partitions CA");
    IssuedCertificate revoked = ca.leaf("revoked").clientAuth().crlDistributionPointRelativeToIssuer("CN=Partition 2").issue();
    IssuedCertificate good = ca.leaf("good").clientAuth().crlDistributionPointRelativeToIssuer("CN=Partition 2").issue();
    IssuedCertificate elsewhere = ca.leaf("elsewhere").clientAuth().crlDistributionPointRelativeToIssuer("CN=Partition 3").issue();
    start(List.of(ca.certificate()), write("partition-2.crl", ca.crlBuilder()
        .distributionPointRelativeToIssuer("CN=Partition 2").revoke(revoked, RevocationReason.SUPERSEDED).build()));

    assertThat(rejection(revoked).reason()).isEqualTo(RejectionReason.REVOKED);
    assertThat(rejection(good)).isNull();
    assertThat(rejection(elsewhere).reason()).isEqualTo(RejectionReason.REVOCATION_UNKNOWN);
  }

  @Test
  void crlForAUriDistributionPoint_coversOnlyTheCertificatesNamingIt() throws Exception {
    TestCa ca = ca("URI Partitions CA");
    String point = "http://crl.example/p1.crl";
    IssuedCertificate revoked = ca.leaf("revoked").clientAuth().crlDistributionPoint(point).issue();
    IssuedCertificate good = ca.leaf("good").clientAuth().crlDistributionPoint(point).issue();
    IssuedCertificate elsewhere = ca.leaf("elsewhere").clientAuth().crlDistributionPoint("http://crl.example/p2.crl").issue();
    start(List.of(ca.certificate()), write("p1.crl", ca.crlBuilder().distributionPoint(point)
        .onlyUserCertificates().revoke(revoked, RevocationReason.SUPERSEDED).build()));

    assertThat(rejection(revoked).reason()).isEqualTo(RejectionReason.REVOKED);
    assertThat(rejection(good)).isNull();
    assertThat(rejection(elsewhere).reason()).isEqualTo(RejectionReason.REVOCATION_UNKNOWN);
  }

  @Test
  void crlSignedByTheRekeyedIntermediate_coversTheCertificatesOfItsEarlierKey() throws Exception {
    TestCa root = ca("Rollover Root");
    TestCa before = root.newIntermediate("Rollover Issuing CA");
    TestCa after = root.newIntermediate("Rollover Issuing CA");
    IssuedCertificate revoked = before.client("revoked");
    IssuedCertificate good = before.client("good");
    Path file = write("issuing.crl", before.crlBuilder().signedBy(after)
        .revoke(revoked, RevocationReason.KEY_COMPROMISE).build());
    // the server's own chain holds the new intermediate: a certificate of the issuer it knows
    IssuedCertificate identity = after.server("localhost");
    start(List.of(root.certificate()), identity, file);

    assertThat(rejection(revoked, root).reason()).isEqualTo(RejectionReason.REVOKED);
    assertThat(rejection(good, root)).isNull();
  }

  @Test
  void crlWithAnUnknownCriticalExtension_failsNoBuild_andItsPeersAreRevocationUnknownWithTheReason() throws Exception {
    TestCa ca = ca("Extended CA");
    IssuedCertificate client = ca.client("client");
    Path file = write("extended.crl", bcCrl(ca, ca.keyPair(), "SHA256withECDSA", new Extension(
        new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.1"), true, new DERUTF8String("x").getEncoded())));

    start(List.of(ca.certificate()), file);

    String reason = "cannot be used: it has the critical extension 1.3.6.1.4.1.99999.1, which this"
        + " library does not know (RFC 5280, section 5.2: such a CRL must not be used)";
    MtlsListener.CrlRefreshFailed event = events.failed.poll(5, TimeUnit.SECONDS);
    assertThat(event).as("a load error naming the file").isNotNull();
    assertThat(event.source()).isEqualTo(file.toString());
    assertThat(event.problem()).contains(reason);
    Verdict.Rejected rejected = rejection(client);
    assertThat(rejected.reason()).isEqualTo(RejectionReason.REVOCATION_UNKNOWN);
    assertThat(rejected.detail()).contains("CRL from " + file + " for issuer CN=Extended CA " + reason);
  }

  @Test
  void reload_keepsTheCrlInUse_whenTheNewOneCannotBeUsed() throws Exception {
    TestCa ca = ca("Reloaded Extended CA");
    assertReloadKeepsTheCrlInUse(ca, bcCrl(ca, ca.keyPair(), "SHA256withECDSA", new Extension(
        new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.1"), true, new DERUTF8String("x").getEncoded())),
        "critical extension 1.3.6.1.4.1.99999.1");
  }

  @Test
  void dsaSignedCrl_failsNoBuild_andItsPeersAreRevocationUnknown_refusedByPolicy() throws Exception {
    TestCa ca = ca("DSA CRL CA");
    IssuedCertificate client = ca.client("client");
    KeyPairGenerator generator = KeyPairGenerator.getInstance("DSA");
    generator.initialize(2048);
    Path file = write("dsa.crl", bcCrl(ca, generator.generateKeyPair(), "SHA256withDSA"));

    start(List.of(ca.certificate()), file);

    Verdict.Rejected rejected = rejection(client);
    assertThat(rejected.reason()).isEqualTo(RejectionReason.REVOCATION_UNKNOWN);
    assertThat(rejected.detail()).contains("CRL from " + file + " for issuer CN=DSA CRL CA cannot be used:"
        + " it is signed with DSA (2.16.840.1.101.3.4.3.2), which this library refuses by policy");
  }

  @Test
  void crlWhoseSignatureBitStringIsMalformed_failsTheBuild_namingTheFileAndTheProblem() throws Exception {
    TestCa ca = ca("Malformed Signature CA");
    byte[] der = ca.crl().getEncoded();
    // the signature BIT STRING ends the CRL; its first content octet counts the unused bits
    int bitString = der.length - CertificateList.getInstance(der).getSignature().getEncoded().length;
    der[bitString + 2] = 0x01;
    Path file = dir.resolve("malformed.crl");
    Files.write(file, der);

    assertLoadFails(() -> start(List.of(ca.certificate()), file), file,
        "the CRL's signature is not a whole number of octets (its BIT STRING has 1 unused bits):"
            + " a corrupted CRL");
  }

  /**
   * Starts with {@code ca}'s CRL revoking one client, replaces the file with {@code next}, and
   * checks the reload fails naming the file and the problem while the CRL in use still decides.
   */
  private void assertReloadKeepsTheCrlInUse(TestCa ca, byte[] next, String problem) throws Exception {
    IssuedCertificate revoked = ca.client("revoked");
    IssuedCertificate good = ca.client("good");
    ca.revoke(revoked);
    Path file = write("ca.crl", ca.crl());
    start(List.of(ca.certificate()), file);

    write("ca.crl", next);
    ReloadResult.Outcome outcome = server.reloadNow().of(Material.CRL);

    assertThat(outcome.status()).isEqualTo(ReloadResult.Status.FAILED);
    assertThat(outcome.detail()).contains(file.toString()).contains(problem);
    assertThat(rejection(revoked).reason()).isEqualTo(RejectionReason.REVOKED);
    assertThat(rejection(good)).isNull();
  }

  private static TestCa ca(String name) {
    return TestCa.builder().commonName(name).clock(CLOCK).build();
  }

  private void start(List<X509Certificate> anchors, Path... crls) {
    start(anchors, SERVER, crls);
  }

  private void start(List<X509Certificate> anchors, IssuedCertificate identity, Path... crls) {
    Revocation.Builder revocation = Revocation.crls();
    for (Path crl : crls) {
      revocation.file(crl);
    }
    server = MtlsContext.forServer()
        .identity(IdentitySource.of(identity.privateKey(), identity.chain()))
        .trust(TrustSource.of(anchors))
        .peerPolicy(PeerPolicy.anyTrustedPeer())
        .revocation(revocation.build())
        .reload(ReloadPolicy.disabled())
        .clock(CLOCK)
        .listener(events)
        .build();
    try {
      loopback = new LoopbackServer(server);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Verdict.@Nullable Rejected rejection(IssuedCertificate client) throws Exception {
    return rejection(client, SERVER_CA);
  }

  /** What the server said of the client in a full handshake: null when it accepted it. */
  private Verdict.@Nullable Rejected rejection(IssuedCertificate client, TestCa serverCa) throws Exception {
    events.rejected.clear();
    if (loopback.handshake(client, serverCa.rootCertificate()).succeeded()) {
      return null;
    }
    MtlsListener.PeerRejected event = events.rejected.poll(5, TimeUnit.SECONDS);
    assertThat(event).as("the server's rejection of " + client).isNotNull();
    return event.rejected();
  }

  private Path write(String name, X509CRL crl) {
    return write(name, crlBytes(crl));
  }

  private static byte[] crlBytes(X509CRL crl) {
    try {
      return crl.getEncoded();
    } catch (CRLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes the way rotation tools do: a new file renamed over the old one. */
  private Path write(String name, byte[] bytes) {
    try {
      Path file = dir.resolve(name);
      Path temporary = dir.resolve("." + name + ".tmp");
      Files.write(temporary, bytes);
      return Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A CRL of {@code ca}'s name made with Bouncy Castle, for what the testkit does not make. */
  private static byte[] bcCrl(TestCa ca, KeyPair signer, String algorithm, Extension... extensions) throws Exception {
    X509v2CRLBuilder builder = new X509v2CRLBuilder(
        X500Name.getInstance(ca.subject().getEncoded()), Date.from(CLOCK.instant()));
    builder.setNextUpdate(Date.from(CLOCK.instant().plus(Duration.ofDays(1))));
    builder.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.ONE));
    for (Extension extension : extensions) {
      builder.addExtension(extension);
    }
    return builder.build(new JcaContentSignerBuilder(algorithm).setProvider(BouncyCastle.PROVIDER)
        .build(signer.getPrivate())).getEncoded();
  }
}
