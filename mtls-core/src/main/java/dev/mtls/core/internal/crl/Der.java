package dev.mtls.core.internal.crl;

/**
 * Reads the tag-length-value framing of DER elements in a byte array, so that the parts of a
 * CRL that are hot to parse (the list of revoked serials, the signed part) are walked in place
 * instead of being materialised as ASN.1 objects. Definite lengths only; every position is
 * bounds-checked.
 */
final class Der {
  static final int INTEGER = 0x02;
  static final int SEQUENCE = 0x30;
  static final int UTC_TIME = 0x17;
  static final int GENERALIZED_TIME = 0x18;

  private Der() {}

  /** The tag octet at {@code pos}; single-octet tags only, which is all X.509 needs. */
  static int tag(byte[] der, int pos, int limit) throws CrlException {
    if (pos >= limit) {
      throw new CrlException("truncated DER at offset " + pos);
    }
    return der[pos] & 0xff;
  }

  /** The offset of the content of the element at {@code pos}. */
  static int contentStart(byte[] der, int pos, int limit) throws CrlException {
    int first = lengthOctet(der, pos, limit);
    return pos + (first < 0x80 ? 2 : 2 + (first & 0x7f));
  }

  /** The offset just past the element at {@code pos}, checked to lie within {@code limit}. */
  static int end(byte[] der, int pos, int limit) throws CrlException {
    int first = lengthOctet(der, pos, limit);
    long end;
    if (first < 0x80) {
      end = (long) pos + 2 + first;
    } else {
      int octets = first & 0x7f;
      if (octets == 0) {
        throw new CrlException("indefinite-length (BER) encoding is not supported; use DER");
      }
      if (octets > 4 || pos + 2 + octets > limit) {
        throw new CrlException("malformed DER length at offset " + pos);
      }
      long length = 0;
      for (int i = 0; i < octets; i++) {
        length = (length << 8) | (der[pos + 2 + i] & 0xff);
      }
      end = (long) pos + 2 + octets + length;
    }
    if (end > limit) {
      throw new CrlException("truncated DER: the element at offset " + pos + " ends at " + end
          + ", past " + limit);
    }
    return (int) end;
  }

  private static int lengthOctet(byte[] der, int pos, int limit) throws CrlException {
    if (pos + 1 >= limit) {
      throw new CrlException("truncated DER at offset " + pos);
    }
    return der[pos + 1] & 0xff;
  }
}
