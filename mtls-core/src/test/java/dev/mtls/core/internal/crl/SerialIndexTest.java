package dev.mtls.core.internal.crl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SerialIndexTest {
  private static final byte[] TIME = "261201000000Z".getBytes(StandardCharsets.US_ASCII);

  /** A revokedCertificates list of entries with these serial encodings (INTEGER contents). */
  private static byte[] list(List<byte[]> serials) {
    ByteArrayOutputStream entries = new ByteArrayOutputStream();
    for (byte[] serial : serials) {
      ByteArrayOutputStream entry = new ByteArrayOutputStream();
      tlv(entry, 0x02, serial);
      tlv(entry, 0x17, TIME);
      tlv(entries, 0x30, entry.toByteArray());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x05); // something before the list, as in a CRL: offsets are never 0
    out.write(0x00);
    tlv(out, 0x30, entries.toByteArray());
    return out.toByteArray();
  }

  private static void tlv(ByteArrayOutputStream out, int tag, byte[] content) {
    out.write(tag);
    int length = content.length;
    if (length < 0x80) {
      out.write(length);
    } else if (length < 0x100) {
      out.write(0x81);
      out.write(length);
    } else if (length < 0x10000) {
      out.write(0x82);
      out.write(length >> 8);
      out.write(length);
    } else {
      out.write(0x83);
      out.write(length >> 16);
      out.write(length >> 8);
      out.write(length);
    }
    out.writeBytes(content);
  }

  private static SerialIndex index(byte[] der) throws CrlException {
    return SerialIndex.of(der, 2, der.length);
  }

  @Test
  void find_findsEverySerial_andNoOther_among100000() throws CrlException {
    SplittableRandom random = new SplittableRandom(7);
    List<BigInteger> serials = new ArrayList<>();
    List<byte[]> encodings = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      BigInteger serial = new BigInteger(1 + random.nextInt(159), new java.util.Random(random.nextLong()));
      serials.add(serial);
      encodings.add(serial.toByteArray());
    }
    SerialIndex index = index(list(encodings));

    assertThat(index.size()).isEqualTo(100_000);
    for (BigInteger serial : serials) {
      int entry = index.find(serial);
      assertThat(entry).isPositive();
      assertThat(index.serialAt(entry)).isEqualTo(serial);
    }
    java.util.Set<BigInteger> listed = new java.util.HashSet<>(serials);
    for (int i = 0; i < 100_000; i++) {
      BigInteger other = new BigInteger(1 + random.nextInt(159), new java.util.Random(random.nextLong()));
      if (!listed.contains(other)) {
        assertThat(index.find(other)).isEqualTo(-1);
      }
    }
  }

  @Test
  void find_findsSerialsOfEveryLength_andSign() throws CrlException {
    HexFormat hex = HexFormat.of();
    SerialIndex index = index(list(List.of(
        hex.parseHex("00"),                          // 0
        hex.parseHex("ff"),                          // -1
        hex.parseHex("0080"),                        // 128
        hex.parseHex("01"),                          // 1
        hex.parseHex("0102030405060708090a0b0c0d0e0f1011121314")))); // 20 octets

    assertThat(index.find(BigInteger.ZERO)).isPositive();
    assertThat(index.find(BigInteger.ONE.negate())).isPositive();
    assertThat(index.find(BigInteger.valueOf(128))).isPositive();
    assertThat(index.find(BigInteger.ONE)).isPositive();
    assertThat(index.find(new BigInteger("0102030405060708090a0b0c0d0e0f1011121314", 16))).isPositive();
    assertThat(index.find(BigInteger.TWO)).isEqualTo(-1);
    assertThat(index.find(BigInteger.valueOf(255))).isEqualTo(-1);
    // the same low 64 bits as the 20-octet serial, but another number
    assertThat(index.find(new BigInteger("0d0e0f1011121314", 16).add(BigInteger.ONE.shiftLeft(64))))
        .isEqualTo(-1);
  }

  @Test
  void of_isEmpty_forAnEmptyOrMissingList() throws CrlException {
    assertThat(index(list(List.of())).find(BigInteger.ONE)).isEqualTo(-1);
    assertThat(SerialIndex.of(new byte[0], -1, -1).size()).isZero();
  }

  @Test
  void of_refusesASerialThatIsNotMinimallyEncoded() {
    byte[] der = list(List.of(HexFormat.of().parseHex("000001")));
    assertThatThrownBy(() -> index(der))
        .isInstanceOf(CrlException.class)
        .hasMessage("serial number in the entry at offset 4 is not minimally encoded, as DER requires");
  }

  @Test
  void of_refusesAnEntryWithoutASerial() {
    byte[] der = list(List.of(new byte[0]));
    assertThatThrownBy(() -> index(der))
        .isInstanceOf(CrlException.class)
        .hasMessageContaining("empty serial number");
  }
}
