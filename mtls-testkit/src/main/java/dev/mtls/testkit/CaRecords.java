package dev.mtls.testkit;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one {@link TestCa} has done so far: the serial numbers it used, the serials it revoked
 * and the number of its last CRL. Thread-safe.
 */
final class CaRecords {
  private final Set<BigInteger> serials = ConcurrentHashMap.newKeySet();
  private final Map<BigInteger, Revocation> revocations = new ConcurrentHashMap<>();
  private final AtomicLong crlNumber = new AtomicLong();

  /** Returns a random serial number not used before by this CA. */
  BigInteger newSerial() {
    BigInteger serial;
    do {
      serial = Signing.randomSerial();
    } while (!serials.add(serial));
    return serial;
  }

  /** Records a revocation; a second revocation of the same serial replaces the first. */
  void revoke(Revocation revocation) {
    revocations.put(revocation.serialNumber(), revocation);
  }

  /** Returns a snapshot of the revocations. */
  List<Revocation> revocations() {
    return new ArrayList<>(revocations.values());
  }

  /** Returns the number of the next CRL: 1, 2, 3, ... */
  long nextCrlNumber() {
    return crlNumber.incrementAndGet();
  }
}
