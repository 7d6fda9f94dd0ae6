package dev.mtls.core.internal.crl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.RevocationReason;
import dev.mtls.testkit.TestCa;
import dev.mtls.testkit.TestClock;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * CRLs that are well framed but malformed inside, as the fuzzer found them (see {@link
 * CrlParserFuzzTest}): each is a CRL from the testkit with a few bytes changed in place, so
 * that every length still adds up and the damage is only seen where the content is decoded.
 */
class CrlParserMalformedTest {
  private final TestClock clock = new TestClock();
  private final TestCa ca = TestCa.builder().clock(clock).build();
  private final IssuedCertificate revoked = ca.client("revoked");

  CrlParserMalformedTest() {
    ca.revoke(revoked, RevocationReason.KEY_COMPROMISE, clock.instant().minusSeconds(60));
  }

  private List<IndexedCrl> parse(byte[] der) throws CrlException {
    return CrlParser.parse(der, "test.crl", clock.instant(), Duration.ofHours(2));
  }

  private byte[] crl() throws Exception {
    return ca.crl().getEncoded();
  }

  @Test
  void parse_refusesACrl_whoseIssuerNameDoesNotDecode() throws Exception {
    byte[] der = crl();
    int issuer = indexOf(der, ca.subject().getEncoded());
    // Name ::= SEQUENCE { SET { SEQUENCE { type OID, value } } }: the attribute type's header
    // now announces a 121-octet length, which Bouncy Castle reads only when it re-encodes the
    // name (the change the fuzzer made)
    der[issuer + 6] = 0x05;
    der[issuer + 7] = (byte) 0xf9;

    assertThatThrownBy(() -> parse(der)).isInstanceOf(CrlException.class)
        .hasMessageStartingWith("malformed CRL: ");
  }

  @Test
  void parse_refusesACrl_withAnEntryWhoseRevocationDateIsNotADate() throws Exception {
    byte[] der = crl();
    int entryDate = indexOf(der, revokedEntry(der), (byte) 0x17, (byte) 13);
    der[entryDate + 12] = '+';
    der[entryDate + 13] = '0';

    assertThatThrownBy(() -> parse(der)).isInstanceOf(CrlException.class)
        .hasMessageContaining("malformed revoked certificate entry at offset")
        .hasMessageContaining("revocation date");
  }

  @Test
  void parse_refusesACrl_withAnEntryWhoseRevocationDateIsNotOnTheCalendar() throws Exception {
    byte[] der = crl();
    int entryDate = indexOf(der, revokedEntry(der), (byte) 0x17, (byte) 13);
    // month 24, minute 92, second 90: digits where digits belong (the fuzzer's finding)
    byte[] date = "522402189290Z".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(date, 0, der, entryDate + 2, date.length);

    assertThatThrownBy(() -> parse(der)).isInstanceOf(CrlException.class)
        .hasMessageContaining("malformed revoked certificate entry at offset")
        .hasMessageContaining("revocation date");
  }

  @Test
  void parse_refusesACrl_withASerialNumberThatIsNotMinimallyEncoded() throws Exception {
    byte[] der = crl();
    int serial = revokedEntry(der);
    // 00 01 ..: a leading zero octet that DER forbids, which Bouncy Castle refuses when it
    // decodes the entry (the fuzzer's finding); the index must not hold what BC cannot read
    der[serial + 2] = 0x00;
    der[serial + 3] = 0x01;

    assertThatThrownBy(() -> parse(der)).isInstanceOf(CrlException.class)
        .hasMessageContaining("serial number in the entry at offset")
        .hasMessageContaining("not minimally encoded");
  }

  @Test
  void lookup_readsTheRevocationDate_ofAGeneralizedTimeEntry() throws Exception {
    Instant revokedAt = Instant.parse("2051-03-04T05:06:07Z");
    IssuedCertificate late = ca.client("revoked-after-2049");
    ca.revoke(late, RevocationReason.SUPERSEDED, revokedAt);

    IndexedCrl indexed = parse(crl()).get(0);

    assertThat(indexed.lookup(late.serialNumber()))
        .isEqualTo(new RevokedEntry(late.serialNumber(), revokedAt, "superseded"));
    assertThat(indexed.lookup(revoked.serialNumber()))
        .isEqualTo(new RevokedEntry(revoked.serialNumber(), clock.instant().minusSeconds(60),
            "keyCompromise"));
  }

  @Test
  void parse_refusesACrl_withAnEntryWhoseRevocationDateIsNotATime() throws Exception {
    byte[] der = crl();
    int entryDate = indexOf(der, revokedEntry(der), (byte) 0x17, (byte) 13);
    der[entryDate] = 0x04; // an OCTET STRING where the date belongs

    assertThatThrownBy(() -> parse(der)).isInstanceOf(CrlException.class)
        .hasMessageContaining("malformed revoked certificate entry at offset")
        .hasMessageContaining("revocation date");
  }

  @Test
  void lookup_stillFindsTheRevokedSerial_whenItsReasonCodeDoesNotDecode() throws Exception {
    byte[] der = crl();
    // reasonCode extension: OID 2.5.29.21, OCTET STRING { ENUMERATED 1 }
    int reason = indexOf(der, (byte) 0x06, (byte) 0x03, (byte) 0x55, (byte) 0x1d, (byte) 0x15);
    der[reason + 8] = 0x02; // the ENUMERATED now claims two octets of a one-octet string

    IndexedCrl indexed = parse(der).get(0);

    RevokedEntry entry = indexed.lookup(revoked.serialNumber());
    assertThat(entry).isNotNull();
    assertThat(entry.serial()).isEqualTo(revoked.serialNumber());
    assertThat(entry.reason()).isEqualTo("unreadable reason code");
    assertThat(indexed.lookup(BigInteger.ONE)).isNull();
  }

  @Test
  void lookup_stillFindsTheRevokedSerial_whenItsExtensionsDoNotDecode() throws Exception {
    byte[] der = crl();
    int reason = indexOf(der, (byte) 0x06, (byte) 0x03, (byte) 0x55, (byte) 0x1d, (byte) 0x15);
    // Extensions ::= SEQUENCE { Extension SEQUENCE (10 octets) }: the Extension now claims 11
    der[reason - 1] = 11;

    IndexedCrl indexed = parse(der).get(0);

    RevokedEntry entry = indexed.lookup(revoked.serialNumber());
    assertThat(entry).isNotNull();
    assertThat(entry.revocationDate()).isEqualTo(clock.instant().minusSeconds(60));
    assertThat(entry.reason()).isEqualTo("unreadable reason code");
  }

  /** Where the entry of {@link #revoked} starts: its serial's INTEGER. */
  private int revokedEntry(byte[] der) {
    byte[] serial = revoked.serialNumber().toByteArray();
    byte[] integer = new byte[serial.length + 2];
    integer[0] = 0x02;
    integer[1] = (byte) serial.length;
    System.arraycopy(serial, 0, integer, 2, serial.length);
    return indexOf(der, integer);
  }

  private static int indexOf(byte[] haystack, byte... needle) {
    return indexOf(haystack, 0, needle);
  }

  private static int indexOf(byte[] haystack, int from, byte... needle) {
    for (int i = from; i + needle.length <= haystack.length; i++) {
      if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    throw new AssertionError("not found in the CRL: "
        + new String(needle, StandardCharsets.ISO_8859_1));
  }
}
