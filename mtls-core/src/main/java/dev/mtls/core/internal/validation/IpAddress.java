package dev.mtls.core.internal.validation;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * An IP address parsed from text or from a certificate's octets, in one canonical form: an
 * IPv4-mapped IPv6 address ({@code ::ffff:192.0.2.7}) is the IPv4 address it maps, so a
 * certificate and a rule that write the same host differently agree.
 *
 * <p>Parsing never looks a name up: text that is not a literal is simply not an address.
 * IPv4 is four decimal parts 0 to 255 without leading zeros ({@code 010.0.0.1} is refused, as
 * C libraries read it as octal); IPv6 is RFC 4291 text (one {@code ::}, hex groups of one to
 * four digits, an IPv4 tail), without brackets or zone ({@code %eth0}): a certificate cannot
 * carry a zone. Immutable.
 */
public final class IpAddress {
  private static final byte[] MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff};

  private final byte[] octets;

  private IpAddress(byte[] octets) {
    this.octets = octets;
  }

  /**
   * Parses an IP literal.
   *
   * @param text such as {@code 192.0.2.7}, {@code 2001:db8::7} or {@code ::ffff:192.0.2.7}
   * @return the address, or {@code null} when the text is not an IPv4 or IPv6 literal
   */
  public static @Nullable IpAddress parse(String text) {
    byte[] octets = text.indexOf(':') >= 0 ? parseIpv6(text) : parseIpv4(text);
    return octets == null ? null : canonical(octets);
  }

  /**
   * The address of a certificate's {@code iPAddress} name.
   *
   * @param octets 4 or 16 octets, network order; copied
   * @return the address
   * @throws IllegalArgumentException for any other length
   */
  public static IpAddress of(byte[] octets) {
    if (octets.length != 4 && octets.length != 16) {
      throw new IllegalArgumentException("an IP address has 4 or 16 octets, not " + octets.length);
    }
    return canonical(octets.clone());
  }

  /**
   * The length of the address in bits.
   *
   * @return 32 for IPv4 (IPv4-mapped included), 128 for IPv6
   */
  public int bits() {
    return octets.length * 8;
  }

  /**
   * Whether the first {@code prefixBits} bits of the two addresses are equal, both being of
   * one family.
   *
   * @param other the other address
   * @param prefixBits how many leading bits to compare, 0 to {@link #bits()}
   * @return {@code true} when both are IPv4 or both IPv6 and the prefixes agree
   */
  public boolean samePrefix(IpAddress other, int prefixBits) {
    if (other.octets.length != octets.length || prefixBits < 0 || prefixBits > bits()) {
      return false;
    }
    int whole = prefixBits / 8;
    for (int i = 0; i < whole; i++) {
      if (octets[i] != other.octets[i]) {
        return false;
      }
    }
    int rest = prefixBits % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff << (8 - rest)) & 0xff;
    return (octets[whole] & mask) == (other.octets[whole] & mask);
  }

  /**
   * Whether the bits after the first {@code prefixBits} are all zero, as the network address
   * of a CIDR range must be.
   *
   * @param prefixBits the prefix length
   * @return {@code true} when no host bit is set
   */
  public boolean hostBitsZero(int prefixBits) {
    for (int bit = prefixBits; bit < bits(); bit++) {
      if ((octets[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Equal when the canonical octets are.
   *
   * @param other any object
   * @return {@code true} for the same address
   */
  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof IpAddress that && Arrays.equals(octets, that.octets);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(octets);
  }

  /**
   * The canonical text.
   *
   * @return IPv4 dotted, IPv6 in RFC 5952 form (lower case, longest zero run as {@code ::})
   */
  @Override
  public String toString() {
    if (octets.length == 4) {
      return (octets[0] & 0xff) + "." + (octets[1] & 0xff) + "." + (octets[2] & 0xff) + "." + (octets[3] & 0xff);
    }
    return ipv6Text(octets);
  }

  private static IpAddress canonical(byte[] octets) {
    if (octets.length == 16 && Arrays.equals(octets, 0, 12, MAPPED_PREFIX, 0, 12)) {
      return new IpAddress(Arrays.copyOfRange(octets, 12, 16));
    }
    return new IpAddress(octets);
  }

  private static byte @Nullable [] parseIpv4(String text) {
    byte[] octets = new byte[4];
    int part = 0;
    int start = 0;
    for (int i = 0; i <= text.length(); i++) {
      if (i < text.length() && text.charAt(i) != '.') {
        char c = text.charAt(i);
        if (c < '0' || c > '9' || i - start >= 3) {
          return null;
        }
        continue;
      }
      int length = i - start;
      if (part == 4 || length == 0 || (length > 1 && text.charAt(start) == '0')) {
        return null;
      }
      int value = Integer.parseInt(text, start, i, 10);
      if (value > 255) {
        return null;
      }
      octets[part++] = (byte) value;
      start = i + 1;
    }
    return part == 4 ? octets : null;
  }

  private static byte @Nullable [] parseIpv6(String text) {
    if (text.length() > 45) {
      return null;
    }
    int gap = text.indexOf("::");
    if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
      return null;
    }
    byte[] octets = new byte[16];
    int[] head = gap >= 0 ? groups(text.substring(0, gap), octets, 0, true) : null;
    if (gap < 0) {
      int[] all = groups(text, octets, 0, false);
      return all != null && all[0] == 16 ? octets : null;
    }
    if (head == null || head[1] != 0) {
      return null; // an IPv4 tail only at the very end
    }
    byte[] tailOctets = new byte[16];
    int[] tail = groups(text.substring(gap + 2), tailOctets, 0, true);
    if (tail == null || head[0] + tail[0] > 14) {
      return null; // "::" stands for at least one group
    }
    System.arraycopy(tailOctets, 0, octets, 16 - tail[0], tail[0]);
    return octets;
  }

  /**
   * Parses {@code :}-separated hex groups (and an IPv4 tail) into {@code out} from
   * {@code offset}; {@code text} may be empty when {@code emptyAllowed}.
   *
   * @return {@code {octets written, 1 when it ended with an IPv4 tail}}, or {@code null}
   */
  private static int @Nullable [] groups(String text, byte[] out, int offset, boolean emptyAllowed) {
    if (text.isEmpty()) {
      return emptyAllowed ? new int[] {0, 0} : null;
    }
    int position = offset;
    int start = 0;
    while (true) {
      int colon = text.indexOf(':', start);
      int end = colon < 0 ? text.length() : colon;
      String group = text.substring(start, end);
      if (colon < 0 && group.indexOf('.') >= 0) {
        byte[] ipv4 = parseIpv4(group);
        if (ipv4 == null || position + 4 > 16) {
          return null;
        }
        System.arraycopy(ipv4, 0, out, position, 4);
        return new int[] {position + 4 - offset, 1};
      }
      if (group.isEmpty() || group.length() > 4 || position + 2 > 16) {
        return null;
      }
      int value = 0;
      for (int i = 0; i < group.length(); i++) {
        int digit = Character.digit(group.charAt(i), 16);
        if (digit < 0 || group.charAt(i) > 'f') {
          return null;
        }
        value = value * 16 + digit;
      }
      out[position++] = (byte) (value >>> 8);
      out[position++] = (byte) value;
      if (colon < 0) {
        return new int[] {position - offset, 0};
      }
      start = colon + 1;
    }
  }

  /** RFC 5952 text: lower-case hex, no leading zeros, the longest run (2+) of zero groups as ::. */
  public static String ipv6Text(byte[] octets) {
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((octets[2 * i] & 0xff) << 8) | (octets[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      if (groups[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j;
    }
    StringBuilder text = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        text.append("::");
        i += bestLength - 1;
        continue;
      }
      if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
        text.append(':');
      }
      text.append(Integer.toHexString(groups[i]));
    }
    return text.toString();
  }
}
