package dev.mtls.core.internal.crl;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.Year;
import java.time.ZoneOffset;
import org.jspecify.annotations.Nullable;

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

  /**
   * Whether the element at {@code pos}, which ends at {@code end}, is a UTCTime or
   * GeneralizedTime in the only form RFC 5280 allows ({@code YYMMDDHHMMSSZ}, years 1950 to
   * 2049, or {@code YYYYMMDDHHMMSSZ}) and on the calendar. Integer checks only: the parser asks
   * this of every entry of a CRL.
   */
  static boolean isTime(byte[] der, int pos, int end) throws CrlException {
    return timeFields(der, pos, end) >= 0;
  }

  /**
   * The time of an element for which {@link #isTime} holds.
   *
   * @return the instant, or {@code null} when {@link #isTime} does not hold
   */
  static @Nullable Instant time(byte[] der, int pos, int end) throws CrlException {
    int at = timeFields(der, pos, end);
    if (at < 0) {
      return null;
    }
    return LocalDateTime.of(year(der, contentStart(der, pos, end), at), digits(der, at),
        digits(der, at + 2), digits(der, at + 4), digits(der, at + 6), digits(der, at + 8))
        .toInstant(ZoneOffset.UTC);
  }

  /** The offset of the month digits of a time in its RFC 5280 form on the calendar, or -1. */
  private static int timeFields(byte[] der, int pos, int end) throws CrlException {
    int tag = tag(der, pos, end);
    int content = contentStart(der, pos, end);
    int yearDigits = tag == UTC_TIME ? 2 : tag == GENERALIZED_TIME ? 4 : -1;
    if (yearDigits < 0 || end - content != yearDigits + 11 || der[end - 1] != 'Z') {
      return -1;
    }
    for (int i = content; i < end - 1; i++) {
      if (der[i] < '0' || der[i] > '9') {
        return -1;
      }
    }
    int at = content + yearDigits;
    int month = digits(der, at);
    int day = digits(der, at + 2);
    boolean onCalendar = month >= 1 && month <= 12
        && day >= 1 && day <= daysIn(year(der, content, at), month)
        && digits(der, at + 4) <= 23 && digits(der, at + 6) <= 59 && digits(der, at + 8) <= 59;
    return onCalendar ? at : -1;
  }

  private static int year(byte[] der, int content, int at) {
    int year = at - content == 2 ? digits(der, content) : digits(der, content) * 100
        + digits(der, content + 2);
    if (at - content == 2) {
      year += year < 50 ? 2000 : 1900;
    }
    return year;
  }

  private static int daysIn(int year, int month) {
    return switch (month) {
      case 2 -> Year.isLeap(year) ? 29 : 28;
      case 4, 6, 9, 11 -> 30;
      default -> 31;
    };
  }

  /** The two decimal digits at {@code pos}. */
  private static int digits(byte[] der, int pos) {
    return (der[pos] - '0') * 10 + (der[pos + 1] - '0');
  }

  private static int lengthOctet(byte[] der, int pos, int limit) throws CrlException {
    if (pos + 1 >= limit) {
      throw new CrlException("truncated DER at offset " + pos);
    }
    return der[pos + 1] & 0xff;
  }
}
