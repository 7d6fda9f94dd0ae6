package dev.mtls.core.internal.crl;

import dev.mtls.core.internal.BouncyCastle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.RevocationReason;
import dev.mtls.testkit.TestCa;
import dev.mtls.testkit.TestClock;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.IssuingDistributionPoint;
import org.bouncycastle.asn1.x509.ReasonFlags;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

class CrlParserTest {
  private static final Duration TWO_HOURS = Duration.ofHours(2);

  private final TestClock clock = new TestClock();
  private final TestCa ca = TestCa.builder().clock(clock).build();

  private List<IndexedCrl> parse(byte[] bytes) throws CrlException {
    return CrlParser.parse(bytes, "test.crl", clock.instant(), TWO_HOURS);
  }

  /** A CRL of {@code ca} made directly with BC, for shapes the testkit does not make. */
  private byte[] crl(boolean withNextUpdate, Extension... extensions) throws Exception {
    Instant now = clock.instant();
    X509v2CRLBuilder builder = new X509v2CRLBuilder(
        X500Name.getInstance(ca.subject().getEncoded()), Date.from(now));
    if (withNextUpdate) {
      builder.setNextUpdate(Date.from(now.plus(Duration.ofDays(1))));
    }
    builder.addCRLEntry(BigInteger.valueOf(4711), Date.from(now), 1);
    builder.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.TEN));
    for (Extension extension : extensions) {
      builder.addExtension(extension);
    }
    return builder.build(new JcaContentSignerBuilder("SHA256withECDSA")
        .setProvider(BouncyCastle.PROVIDER).build(ca.keyPair().getPrivate())).getEncoded();
  }

  @Test
  void parse_readsEveryCrlOfAPemFile_andTheirFields() throws Exception {
    IssuedCertificate revoked = ca.client("revoked");
    Instant revokedAt = clock.instant().minusSeconds(60);
    ca.revoke(revoked, RevocationReason.KEY_COMPROMISE, revokedAt);
    TestCa other = TestCa.builder().clock(clock).commonName("Other CA").build();
    String pem = "some text before\n" + ca.crlPem() + other.crlPem();

    List<IndexedCrl> crls = parse(pem.getBytes(StandardCharsets.US_ASCII));

    assertThat(crls).extracting(IndexedCrl::issuer).containsExactly(ca.subject(), other.subject());
    IndexedCrl first = crls.get(0);
    assertThat(first.size()).isEqualTo(1);
    assertThat(first.crlNumber()).isNotNull();
    assertThat(first.thisUpdate()).isEqualTo(clock.instant());
    assertThat(first.nextUpdate()).isEqualTo(clock.instant().plus(Duration.ofDays(1)));
    assertThat(first.staleAt()).isEqualTo(first.nextUpdate());
    assertThat(first.lookup(revoked.serialNumber()))
        .isEqualTo(new RevokedEntry(revoked.serialNumber(), revokedAt, "keyCompromise"));
    assertThat(first.lookup(BigInteger.ONE)).isNull();
    assertThat(first.isSignedBy(ca.certificate().getPublicKey(), crl -> { })).isTrue();
    assertThat(first.isSignedBy(other.certificate().getPublicKey(), crl -> { })).isFalse();
  }

  @Test
  void parse_readsConcatenatedDerCrls() throws Exception {
    ByteArrayOutputStream both = new ByteArrayOutputStream();
    both.write(ca.crl().getEncoded());
    both.write(crl(true));

    assertThat(parse(both.toByteArray())).hasSize(2);
  }

  @Test
  void parse_givesACrlWithoutNextUpdate_twoRefreshIntervalsFromFetching() throws Exception {
    IndexedCrl crl = parse(crl(false)).get(0);

    assertThat(crl.nextUpdate()).isNull();
    assertThat(crl.staleAt()).isEqualTo(clock.instant().plus(TWO_HOURS));
  }

  @Test
  void parse_readsTheBaseOfADeltaCrl() throws Exception {
    byte[] delta = crl(true, new Extension(Extension.deltaCRLIndicator, true,
        new CRLNumber(BigInteger.ONE).getEncoded()));

    IndexedCrl crl = parse(delta).get(0);
    assertThat(crl.isDelta()).isTrue();
    assertThat(crl.deltaBase()).isEqualTo(BigInteger.ONE);
    assertThat(crl.crlNumber()).isEqualTo(BigInteger.TEN);
  }

  @Test
  void parse_refusesADeltaCrl_whoseBaseIsNotBelowItsOwnNumber() throws Exception {
    byte[] delta = crl(true, new Extension(Extension.deltaCRLIndicator, true,
        new CRLNumber(BigInteger.TEN).getEncoded()));

    assertThatThrownBy(() -> parse(delta)).isInstanceOf(CrlException.class)
        .hasMessage("the delta CRL's base CRL number 10 is not below its own CRL number 10"
            + " (RFC 5280, section 5.2.4)");
  }

  @Test
  void parse_refusesACrlWithoutACrlNumber_asNonConforming() throws Exception {
    byte[] der = ca.crlBuilder().withoutCrlNumber().build().getEncoded();

    assertThatThrownBy(() -> parse(der)).isInstanceOf(CrlException.class)
        .hasMessage("the CRL has no CRL number, which RFC 5280 (section 5.2.3) requires of every"
            + " CRL: refused as non-conforming");
  }

  @Test
  void parse_readsReasonPartitions_andIndirectCrls() throws Exception {
    byte[] someReasons = crl(true, new Extension(Extension.issuingDistributionPoint, true,
        new IssuingDistributionPoint(null, false, false,
            new ReasonFlags(ReasonFlags.keyCompromise | ReasonFlags.aACompromise), false, false).getEncoded()));
    byte[] indirect = crl(true, new Extension(Extension.issuingDistributionPoint, true,
        new IssuingDistributionPoint(null, false, false, null, true, false).getEncoded()));

    assertThat(parse(someReasons).get(0).scope().reasons()).isEqualTo((1 << 1) | (1 << 8));
    assertThat(parse(indirect).get(0).scope().indirect()).isTrue();
  }

  @Test
  void parse_takesACrlWithAnUnknownCriticalExtension_asUnusable() throws Exception {
    byte[] unknown = crl(true, new Extension(new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.1"), true,
        new DERUTF8String("x").getEncoded()));

    IndexedCrl crl = parse(unknown).get(0);
    assertThat(crl.unusable()).isEqualTo("it has the critical extension 1.3.6.1.4.1.99999.1, which"
        + " this library does not know (RFC 5280, section 5.2: such a CRL must not be used)");
    assertThat(crl.covers(ca.client("leaf").certificate())).isFalse();
  }

  @Test
  void parse_refusesASignatureBitStringWithUnusedBits_withItsOwnMessage() throws Exception {
    byte[] der = ca.crl().getEncoded();
    int bitString = signatureBitString(der);
    der[bitString + 2] = 0x01; // one unused bit

    assertThatThrownBy(() -> parse(der)).isInstanceOf(CrlException.class)
        .hasMessage("the CRL's signature is not a whole number of octets (its BIT STRING has 1"
            + " unused bits): a corrupted CRL");
  }

  /** The offset of the signature's BIT STRING: the last element of the CRL's SEQUENCE. */
  static int signatureBitString(byte[] der) throws CrlException {
    int pos = Der.contentStart(der, 0, der.length);
    pos = Der.end(der, pos, der.length); // tbsCertList
    pos = Der.end(der, pos, der.length); // signatureAlgorithm
    return pos;
  }

  @Test
  void covers_onlyEndEntities_whenTheCrlSaysOnlyUserCerts() throws Exception {
    IndexedCrl crl = parse(crl(true, new Extension(Extension.issuingDistributionPoint, true,
        new IssuingDistributionPoint(null, true, false, null, false, false).getEncoded()))).get(0);

    assertThat(crl.covers(ca.client("leaf").certificate())).isTrue();
    assertThat(crl.covers(ca.newIntermediate("Sub CA").certificate())).isFalse();
  }

  @Test
  void covers_onlyCertificatesNamingItsDistributionPoint() throws Exception {
    String point = "http://pki.example.com/partition-1.crl";
    IndexedCrl crl = parse(crl(true, new Extension(Extension.issuingDistributionPoint, true,
        new IssuingDistributionPoint(new DistributionPointName(new GeneralNames(
            new GeneralName(GeneralName.uniformResourceIdentifier, point))), false, false)
            .getEncoded()))).get(0);

    assertThat(crl.covers(ca.leaf("in").crlDistributionPoint(point).issue().certificate()))
        .isTrue();
    assertThat(crl.covers(ca.leaf("other").crlDistributionPoint("http://pki.example.com/p2.crl")
        .issue().certificate())).isFalse();
    assertThat(crl.covers(ca.client("none").certificate())).isFalse();
  }

  @Test
  void parse_readsPemWithCrLfLineEnds_andSaysWhatIsWrongWithABadBlock() throws Exception {
    String pem = ca.crlPem().replace("\n", "\r\n");
    assertThat(parse(pem.getBytes(StandardCharsets.US_ASCII))).hasSize(1);

    assertThatThrownBy(() -> parse(ca.certificatePem().getBytes(StandardCharsets.US_ASCII)))
        .hasMessage("PEM block 'CERTIFICATE' is not a CRL (expected 'X509 CRL')");
    String unterminated = ca.crlPem().substring(0, ca.crlPem().indexOf("-----END"));
    assertThatThrownBy(() -> parse(unterminated.getBytes(StandardCharsets.US_ASCII)))
        .hasMessage("malformed PEM: the block at offset 0 has no -----END X509 CRL----- line");
    assertThatThrownBy(() -> parse("-----BEGIN X509 CRL-----\nAAA=A\n-----END X509 CRL-----\n"
        .getBytes(StandardCharsets.US_ASCII)))
        .hasMessageStartingWith("malformed PEM: the block at offset 0 is not base64");
  }

  @Test
  void parse_failsWithAClearProblem_onGarbage() {
    assertThatThrownBy(() -> parse("hello".getBytes(StandardCharsets.US_ASCII)))
        .hasMessageContaining("no CRL found");
    assertThatThrownBy(() -> parse(new byte[0])).hasMessageContaining("no CRL found");
    assertThatThrownBy(() -> parse(new byte[] {0x30, (byte) 0x82, 0x7f}))
        .hasMessageContaining("DER");
  }
}
