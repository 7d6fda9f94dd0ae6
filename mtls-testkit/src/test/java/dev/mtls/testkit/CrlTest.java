package dev.mtls.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SignatureException;
import java.security.cert.CRLReason;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.time.Duration;
import java.time.Instant;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrlTest {
  private final TestCa ca = TestCa.create();

  @Test
  void crl_ofAFreshCa_isEmpty_signed_andDatedByTheClock() throws Exception {
    X509CRL crl = ca.crl();

    crl.verify(ca.certificate().getPublicKey());
    assertThat(crl.getClass().getName()).startsWith("sun.security.");
    assertThat(crl.getRevokedCertificates()).isNull();
    assertThat(crl.getIssuerX500Principal()).isEqualTo(ca.subject());
    assertThat(crl.getThisUpdate().toInstant()).isEqualTo(ca.clock().instant());
    assertThat(crl.getNextUpdate().toInstant())
        .isEqualTo(ca.clock().instant().plus(Duration.ofDays(1)));
  }

  @Test
  void revoke_listsTheSerial_withReasonAndDate() {
    IssuedCertificate alice = ca.client("alice");
    IssuedCertificate bob = ca.client("bob");
    IssuedCertificate carol = ca.client("carol");
    Instant when = Instant.parse("2026-10-01T10:00:00Z");

    ca.revoke(alice);
    ca.revoke(bob, RevocationReason.KEY_COMPROMISE, when);
    X509CRL crl = ca.crl();

    X509CRLEntry aliceEntry = crl.getRevokedCertificate(alice.certificate());
    X509CRLEntry bobEntry = crl.getRevokedCertificate(bob.serialNumber());
    assertThat(aliceEntry.getRevocationDate().toInstant()).isEqualTo(ca.clock().instant());
    assertThat(aliceEntry.getRevocationReason()).isNull();
    assertThat(bobEntry.getRevocationReason()).isEqualTo(CRLReason.KEY_COMPROMISE);
    assertThat(bobEntry.getRevocationDate().toInstant()).isEqualTo(when);
    assertThat(crl.isRevoked(carol.certificate())).isFalse();
    assertThat(crl.getRevokedCertificates()).hasSize(2);
  }

  @Test
  void revoke_ofACertificateFromAnotherCa_isRejected() {
    TestCa other = TestCa.create();
    IssuedCertificate foreign = other.client("mallory");

    assertThatIllegalArgumentException()
        .isThrownBy(() -> ca.revoke(foreign))
        .withMessage("cannot revoke CN=mallory: it was issued by " + other.subject()
            + ", not by this CA (" + ca.subject() + ")");
  }

  @Test
  void revoke_bySerial_acceptsSyntheticSerials_butNotNonPositiveOnes() {
    ca.revoke(BigInteger.valueOf(42), RevocationReason.SUPERSEDED, ca.clock().instant());

    assertThat(ca.crl().getRevokedCertificate(BigInteger.valueOf(42)).getRevocationReason())
        .isEqualTo(CRLReason.SUPERSEDED);
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ca.revoke(BigInteger.ZERO, RevocationReason.UNSPECIFIED, Instant.now()))
        .withMessage("serialNumber must be positive: 0");
  }

  @Test
  void revocationReasons_mapToTheirRfc5280Codes() {
    for (RevocationReason reason : RevocationReason.values()) {
      BigInteger serial = BigInteger.valueOf(1000 + reason.ordinal());
      ca.revoke(serial, reason, ca.clock().instant());
      CRLReason jdkReason = ca.crl().getRevokedCertificate(serial).getRevocationReason();
      if (reason == RevocationReason.UNSPECIFIED) {
        assertThat(jdkReason).isNull();
      } else {
        assertThat(jdkReason.ordinal()).as(reason.name()).isEqualTo(reason.code());
      }
    }
  }

  @Test
  void crlNumber_growsWithEachCrl_andAuthorityKeyIdIsPresent() throws Exception {
    assertThat(crlNumber(ca.crl())).isEqualTo(1);
    assertThat(crlNumber(ca.crl())).isEqualTo(2);
    assertThat(crlNumber(ca.crlBuilder().build())).isEqualTo(3);

    byte[] aki = ca.crl().getExtensionValue(Extension.authorityKeyIdentifier.getId());
    assertThat(AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(aki).getOctets())
            .getKeyIdentifierOctets())
        .isEqualTo(TestCaTest.subjectKeyId(ca.certificate()));
  }

  @Test
  void crl_followsTheClock() {
    ca.clock().advance(Duration.ofDays(3));

    assertThat(ca.crl().getThisUpdate().toInstant()).isEqualTo(ca.clock().instant());
  }

  @Test
  void crlBuilder_stale_hasNextUpdateInThePast() {
    X509CRL stale = ca.crlBuilder().stale().build();
    Instant now = ca.clock().instant();

    assertThat(stale.getNextUpdate().toInstant()).isEqualTo(now.minus(Duration.ofDays(1)));
    assertThat(stale.getThisUpdate().toInstant()).isEqualTo(now.minus(Duration.ofDays(2)));
  }

  @Test
  void crlBuilder_explicitDates_areUsed_andMustBeOrdered() {
    Instant start = Instant.parse("2026-05-01T00:00:00Z");
    X509CRL crl = ca.crlBuilder().thisUpdate(start).nextUpdate(start.plusSeconds(60)).build();

    assertThat(crl.getThisUpdate().toInstant()).isEqualTo(start);
    assertThat(crl.getNextUpdate().toInstant()).isEqualTo(start.plusSeconds(60));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ca.crlBuilder().thisUpdate(start).nextUpdate(start).build())
        .withMessage("nextUpdate " + start + " is not after thisUpdate " + start);
  }

  @Test
  void crlBuilder_syntheticRevocations_addDistinctEntries_toThisCrlOnly() {
    IssuedCertificate real = ca.client("real");
    ca.revoke(real);

    X509CRL big = ca.crlBuilder().addSyntheticRevocations(10_000).build();

    assertThat(big.getRevokedCertificates()).hasSize(10_001);
    assertThat(big.isRevoked(real.certificate())).isTrue();
    assertThat(ca.crl().getRevokedCertificates()).hasSize(1);
  }

  @Test
  void crlBuilder_makesA100000EntryCrl_thatTheJdkParses() throws Exception {
    X509CRL big = ca.crlBuilder().addSyntheticRevocations(100_000).build();

    assertThat(big.getEncoded().length).isGreaterThan(2_000_000);
    assertThat(big.getRevokedCertificates()).hasSize(100_000);
    big.verify(ca.certificate().getPublicKey());
  }

  @Test
  void crlBuilder_signedWith_aForeignKey_failsVerification() throws Exception {
    X509CRL forged = ca.crlBuilder()
        .signedWith(TestCa.create().keyPair())
        .build();

    assertThat(forged.getIssuerX500Principal()).isEqualTo(ca.subject());
    assertThatThrownBy(() -> forged.verify(ca.certificate().getPublicKey()))
        .isInstanceOf(SignatureException.class);
  }

  @Test
  void crlPem_andWriteCrl_roundTripThroughTheJdk(@TempDir Path directory) throws Exception {
    ca.revoke(ca.client("gone"));
    Path file = ca.writeCrl(directory.resolve("ca.crl"));

    String pem = Files.readString(file, StandardCharsets.US_ASCII);
    assertThat(pem).startsWith("-----BEGIN X509 CRL-----\n");
    X509CRL parsed = (X509CRL) CertificateFactory.getInstance("X.509")
        .generateCRL(Files.newInputStream(file));
    assertThat(parsed.getRevokedCertificates()).hasSize(1);
    assertThat(ca.crlPem()).startsWith("-----BEGIN X509 CRL-----\n");
    assertThat(ca.crlBuilder().buildPem()).startsWith("-----BEGIN X509 CRL-----\n");
  }

  @Test
  void delta_carriesACriticalIndicatorNamingItsBase_andTakesARemovedHoldOff() throws Exception {
    IssuedCertificate held = ca.client("held");
    ca.revoke(held, RevocationReason.CERTIFICATE_HOLD, ca.clock().instant());

    X509CRL delta = ca.crlBuilder().crlNumber(11).delta(10).removeFromCrl(held).build();

    assertThat(delta.getCriticalExtensionOIDs()).contains(Extension.deltaCRLIndicator.getId());
    assertThat(ASN1Integer.getInstance(ASN1OctetString.getInstance(
        delta.getExtensionValue(Extension.deltaCRLIndicator.getId())).getOctets()).longValueExact())
        .isEqualTo(10);
    assertThat(crlNumber(delta)).isEqualTo(11);
    assertThat(delta.getRevokedCertificates()).hasSize(1);
    assertThat(delta.getRevokedCertificate(held.serialNumber()).getRevocationReason())
        .isEqualTo(CRLReason.REMOVE_FROM_CRL);
    assertThatIllegalArgumentException().isThrownBy(() -> ca.crlBuilder().crlNumber(5).delta(5).build())
        .withMessage("the delta's base CRL number 5 is not below its own number 5");
  }

  @Test
  void indirect_namesTheIssuerOfEachOtherCasEntry() throws Exception {
    TestCa other = TestCa.create();
    IssuedCertificate foreign = other.leaf("foreign").crlDistributionPoint("http://crl.example/all.crl", ca).issue();

    X509CRL crl = ca.crlBuilder().indirect().revoke(foreign, RevocationReason.KEY_COMPROMISE).build();

    assertThat(crl.getCriticalExtensionOIDs()).contains(Extension.issuingDistributionPoint.getId());
    X509CRLEntry entry = crl.getRevokedCertificate(foreign.certificate());
    assertThat(entry).isNotNull();
    assertThat(entry.getCertificateIssuer()).isEqualTo(other.subject());
    assertThat(entry.getRevocationReason()).isEqualTo(CRLReason.KEY_COMPROMISE);
    assertThatThrownBy(() -> ca.crlBuilder().revoke(foreign, RevocationReason.KEY_COMPROMISE).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("list it on an indirect() CRL");
  }

  @Test
  void scopes_areWrittenToACriticalIssuingDistributionPoint() throws Exception {
    X509CRL crl = ca.crlBuilder().distributionPointRelativeToIssuer("CN=Partition 2")
        .onlyUserCertificates().onlySomeReasons(RevocationReason.KEY_COMPROMISE).build();

    org.bouncycastle.asn1.x509.IssuingDistributionPoint idp =
        org.bouncycastle.asn1.x509.IssuingDistributionPoint.getInstance(ASN1OctetString.getInstance(
            crl.getExtensionValue(Extension.issuingDistributionPoint.getId())).getOctets());
    assertThat(crl.getCriticalExtensionOIDs()).contains(Extension.issuingDistributionPoint.getId());
    assertThat(idp.onlyContainsUserCerts()).isTrue();
    assertThat(idp.getOnlySomeReasons().intValue())
        .isEqualTo(org.bouncycastle.asn1.x509.ReasonFlags.keyCompromise);
    assertThat(idp.getDistributionPoint().getType())
        .isEqualTo(org.bouncycastle.asn1.x509.DistributionPointName.NAME_RELATIVE_TO_CRL_ISSUER);
    assertThatIllegalArgumentException().isThrownBy(() -> ca.crlBuilder().distributionPointRelativeToIssuer("CN=a,O=b"))
        .withMessage("a relative name is one RDN, such as CN=Partition 2: CN=a,O=b");
  }

  @Test
  void signedBy_aRekeyedCaOfTheSameName_verifiesWithItsKeyOnly() throws Exception {
    TestCa rekeyed = TestCa.builder().commonName(ca.subject().getName().substring(3)).build();

    X509CRL crl = ca.crlBuilder().signedBy(rekeyed).build();

    crl.verify(rekeyed.certificate().getPublicKey());
    assertThatThrownBy(() -> crl.verify(ca.certificate().getPublicKey())).isInstanceOf(SignatureException.class);
    assertThatIllegalArgumentException().isThrownBy(() -> ca.crlBuilder().signedBy(TestCa.create()));
  }

  @Test
  void withoutCrlNumber_leavesTheNumberOut() {
    assertThat(ca.crlBuilder().withoutCrlNumber().build().getExtensionValue(Extension.cRLNumber.getId())).isNull();
  }

  private static long crlNumber(X509CRL crl) {
    byte[] value = crl.getExtensionValue(Extension.cRLNumber.getId());
    return ASN1Integer.getInstance(ASN1OctetString.getInstance(value).getOctets())
        .longValueExact();
  }
}
