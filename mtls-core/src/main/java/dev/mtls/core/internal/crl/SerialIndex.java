package dev.mtls.core.internal.crl;

import java.math.BigInteger;

/**
 * The serials of one CRL, indexed in a single {@code long[]}: an open-addressing hash table
 * whose slots each hold the offset of an entry in the CRL's DER and 32 bits of its serial's
 * hash. About 16 bytes per entry and one object whatever the size, where a {@code
 * HashMap<BigInteger, Integer>} took about 120 bytes and four objects per entry: a
 * million-entry CRL is one 16 MB array for the collector, not four million small objects.
 *
 * <p>A lookup hashes the serial's low 64 bits, probes neighbouring slots (the table is at most
 * half full: a miss probes about two and a half, where 70% full took six and was slower than
 * the HashMap) and compares the full serial in the DER only when the stored hash bits match,
 * so a miss touches one or two cache lines and allocates nothing. Each entry's shape is checked
 * when it is indexed (a minimally encoded serial, a revocation date on the calendar, then at
 * most its extensions), so that decoding a found entry in a handshake cannot fail on them.
 *
 * <p>Immutable once built; safe to read from any thread.
 */
final class SerialIndex {
  private static final SerialIndex EMPTY = new SerialIndex(new byte[0], new long[0], 0);
  private static final double MAX_LOAD = 0.5;

  private final byte[] der;
  private final long[] slots;
  private final int size;

  private SerialIndex(byte[] der, long[] slots, int size) {
    this.der = der;
    this.slots = slots;
    this.size = size;
  }

  /**
   * Indexes the entries of a {@code revokedCertificates} list.
   *
   * @param der the CRL
   * @param listStart the offset of the list's SEQUENCE, or -1 when the CRL has no list
   * @param listEnd the offset just past the list
   * @return the index
   * @throws CrlException when an entry is malformed
   */
  static SerialIndex of(byte[] der, int listStart, int listEnd) throws CrlException {
    if (listStart < 0) {
      return EMPTY;
    }
    int count = 0;
    int first = Der.contentStart(der, listStart, listEnd);
    for (int entry = first; entry < listEnd; entry = Der.end(der, entry, listEnd)) {
      checkEntry(der, entry, listEnd, serialContent(der, entry, listEnd));
      count++;
    }
    if (count == 0) {
      return EMPTY;
    }
    long[] slots = table(count);
    for (int entry = first; entry < listEnd; entry = Der.end(der, entry, listEnd)) {
      insert(slots, der, entry, listEnd);
    }
    return new SerialIndex(der, slots, count);
  }

  /**
   * Indexes some entries of a {@code revokedCertificates} list (those of one certificate issuer
   * in an indirect CRL), which {@link #extensionsOf} checked.
   *
   * @param der the CRL
   * @param entries the offsets of the entries
   * @param count how many of {@code entries} are used
   * @param listEnd the offset just past the list
   * @return the index
   * @throws CrlException when an entry is malformed
   */
  static SerialIndex ofEntries(byte[] der, int[] entries, int count, int listEnd) throws CrlException {
    if (count == 0) {
      return EMPTY;
    }
    long[] slots = table(count);
    for (int i = 0; i < count; i++) {
      insert(slots, der, entries[i], listEnd);
    }
    return new SerialIndex(der, slots, count);
  }

  /**
   * Checks the entry at {@code entry} as {@link #of} does and finds its extensions.
   *
   * @param der the CRL
   * @param entry the offset of the entry
   * @param listEnd the offset just past the list
   * @return the offset of the entry's extensions SEQUENCE, or -1 when it has none
   * @throws CrlException when the entry is malformed
   */
  static int extensionsOf(byte[] der, int entry, int listEnd) throws CrlException {
    long serial = serialContent(der, entry, listEnd);
    checkEntry(der, entry, listEnd, serial);
    int entryEnd = Der.end(der, entry, listEnd);
    int dateEnd = Der.end(der, end(serial), entryEnd);
    return dateEnd < entryEnd ? dateEnd : -1;
  }

  private static long[] table(int count) {
    return new long[(int) Math.min(Integer.MAX_VALUE - 8, (long) (count / MAX_LOAD) + 1)];
  }

  private static void insert(long[] slots, byte[] der, int entry, int listEnd) throws CrlException {
    long serial = serialContent(der, entry, listEnd);
    long hash = mix(low64(der, start(serial), end(serial)));
    int slot = home(hash, slots.length);
    while (slots[slot] != 0) {
      slot = slot + 1 == slots.length ? 0 : slot + 1;
    }
    // entry > 0 always (it lies inside the CRL's SEQUENCE), so a used slot is never 0
    slots[slot] = (hash << 32) | entry;
  }

  /**
   * How many entries the list has (a serial listed twice counts twice).
   *
   * @return the entry count
   */
  int size() {
    return size;
  }

  /**
   * Finds the entry of a serial.
   *
   * @param serial the certificate's serial number
   * @return the offset of its entry in the DER, or -1 when it is not listed
   */
  int find(BigInteger serial) {
    if (size == 0) {
      return -1;
    }
    long hash = mix(serial.longValue());
    int tag = (int) hash;
    for (int slot = home(hash, slots.length); ; slot = slot + 1 == slots.length ? 0 : slot + 1) {
      long value = slots[slot];
      if (value == 0) {
        return -1;
      }
      if ((int) (value >>> 32) == tag) {
        int entry = (int) value;
        if (serialAt(entry).equals(serial)) {
          return entry;
        }
      }
    }
  }

  /**
   * The serial of the entry at {@code entry}, which {@link #of} checked.
   *
   * @param entry an offset returned by {@link #find}
   * @return the serial number
   */
  BigInteger serialAt(int entry) {
    try {
      long serial = serialContent(der, entry, der.length);
      return new BigInteger(der, start(serial), end(serial) - start(serial));
    } catch (CrlException e) {
      throw new IllegalStateException("CRL entry at offset " + entry + " no longer parses", e);
    }
  }

  /** The content of the entry's serial INTEGER, as start and end packed in a long. */
  private static long serialContent(byte[] der, int entry, int limit) throws CrlException {
    int entryEnd = Der.end(der, entry, limit);
    if (Der.tag(der, entry, entryEnd) != Der.SEQUENCE) {
      throw new CrlException("malformed revoked certificate entry at offset " + entry);
    }
    int serial = Der.contentStart(der, entry, entryEnd);
    if (Der.tag(der, serial, entryEnd) != Der.INTEGER) {
      throw new CrlException("malformed revoked certificate entry at offset " + entry);
    }
    int content = Der.contentStart(der, serial, entryEnd);
    int end = Der.end(der, serial, entryEnd);
    if (end == content) {
      throw new CrlException("empty serial number in the entry at offset " + entry);
    }
    return ((long) content << 32) | end;
  }

  /** Checks the shape of the entry at {@code entry} beyond what {@link #serialContent} reads. */
  private static void checkEntry(byte[] der, int entry, int limit, long serial) throws CrlException {
    int content = start(serial);
    if (end(serial) - content > 1 && redundantFirstOctet(der[content], der[content + 1])) {
      throw new CrlException("serial number in the entry at offset " + entry
          + " is not minimally encoded, as DER requires");
    }
    checkEntryRest(der, entry, end(serial), Der.end(der, entry, limit));
  }

  /** Whether an INTEGER starts with an octet that only repeats the sign of the next one. */
  private static boolean redundantFirstOctet(byte first, byte second) {
    return (first == 0 && second >= 0) || (first == -1 && second < 0);
  }

  /**
   * Checks the rest of an entry after its serial: a revocation date in the one form RFC 5280
   * allows, then at most a SEQUENCE of extensions. A lookup decodes the entry only when its
   * serial is found, on a handshake: by then, its frame and date must be known to decode.
   */
  private static void checkEntryRest(byte[] der, int entry, int date, int entryEnd)
      throws CrlException {
    if (date >= entryEnd) {
      throw new CrlException("malformed revoked certificate entry at offset " + entry
          + ": no revocation date");
    }
    int dateEnd = Der.end(der, date, entryEnd);
    if (!Der.isTime(der, date, dateEnd)) {
      throw new CrlException("malformed revoked certificate entry at offset " + entry
          + ": the revocation date is not a UTCTime YYMMDDHHMMSSZ or GeneralizedTime"
          + " YYYYMMDDHHMMSSZ on the calendar (RFC 5280, section 5.1.2.6)");
    }
    if (dateEnd < entryEnd && (Der.tag(der, dateEnd, entryEnd) != Der.SEQUENCE
        || Der.end(der, dateEnd, entryEnd) != entryEnd)) {
      throw new CrlException("malformed revoked certificate entry at offset " + entry
          + ": after the revocation date, only a SEQUENCE of extensions may follow");
    }
  }


  private static int start(long packed) {
    return (int) (packed >>> 32);
  }

  private static int end(long packed) {
    return (int) packed;
  }

  /** The low 64 bits of a two's-complement big-endian integer, as {@link BigInteger#longValue()}. */
  private static long low64(byte[] der, int start, int end) {
    long value = der[start] < 0 ? -1L : 0L;
    for (int i = Math.max(start, end - Long.BYTES); i < end; i++) {
      value = (value << 8) | (der[i] & 0xff);
    }
    return value;
  }

  /** MurmurHash3's finaliser: every input bit moves every output bit. */
  private static long mix(long value) {
    long h = value;
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }

  /** The slot a hash starts probing at: its high 32 bits scaled to the table (no modulo). */
  private static int home(long hash, int length) {
    return (int) (((hash >>> 32) * length) >>> 32);
  }
}
