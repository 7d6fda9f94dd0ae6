package dev.mtls.core.internal.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** IP literals are parsed into one canonical value, and text that is not one is no address. */
class IpAddressTest {

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
      "192.0.2.7, 192.0.2.7",
      "0.0.0.0, 0.0.0.0",
      "255.255.255.255, 255.255.255.255",
      "2001:db8::7, 2001:db8::7",
      "2001:0DB8:0000:0000:0000:0000:0000:0007, 2001:db8::7",
      "2001:db8:0:0:0:0:0:7, 2001:db8::7",
      "2001:db8::0:7, 2001:db8::7",
      "::, ::",
      "::1, ::1",
      "1::, 1::",
      "1:2:3:4:5:6:7::, 1:2:3:4:5:6:7:0",
      "::ffff:192.0.2.7, 192.0.2.7",
      "::FFFF:c000:0207, 192.0.2.7",
      "0:0:0:0:0:ffff:192.0.2.7, 192.0.2.7",
      "64:ff9b::192.0.2.7, 64:ff9b::c000:207",
      "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
  })
  void parse_givesTheCanonicalAddress(String text, String canonical) {
    IpAddress address = IpAddress.parse(text);
    assertThat(address).isNotNull();
    assertThat(address.toString()).isEqualTo(canonical);
    assertThat(address).isEqualTo(IpAddress.parse(canonical));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "999.1.1.1", "010.0.0.1", "1.2.3.04", "1..2.3",
      "1.2.3.4 ", " 1.2.3.4", "+1.2.3.4", "localhost", "1.2.3.a", "١.2.3.4", ":", ":::", "1:::2", "1::2::3",
      ":1::2", "1::2:", "12345::1", "g::1", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7:8::", "::1.2.3.4:1",
      "1.2.3.4::", "[::1]", "fe80::1%eth0", "::ffff:256.0.0.1", "1:2:3:4:5:6:7:1.2.3.4"})
  void parse_refusesWhatIsNotALiteral(String text) {
    assertThat(IpAddress.parse(text)).isNull();
  }

  @ParameterizedTest(name = "{0}/{1} contains {2}: {3}")
  @CsvSource({
      "10.0.0.0, 8, 10.255.1.2, true",
      "10.0.0.0, 8, 11.0.0.1, false",
      "192.0.2.0, 25, 192.0.2.127, true",
      "192.0.2.0, 25, 192.0.2.128, false",
      "2001:db8::, 32, 2001:db8:ffff::1, true",
      "2001:db8::, 32, 2001:db9::1, false",
      "10.0.0.0, 8, ::ffff:10.1.2.3, true",
      "2001:db8::, 32, 10.1.2.3, false",
  })
  void samePrefix_comparesTheLeadingBits_ofOneFamily(String network, int bits, String candidate, boolean inside) {
    assertThat(IpAddress.parse(network).samePrefix(IpAddress.parse(candidate), bits)).isEqualTo(inside);
  }
}
