package dev.mtls.core.internal.crl;

import dev.mtls.core.internal.SafeText;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Judges the CRLs a source just served, on the loading thread, before anything uses them: their
 * dates, their signature (with the keys of the issuer certificates the context knows, {@link
 * KnownIssuers}, and the keys that verified the CRLs of that issuer in use), and which CRLs in
 * use stay beside them. {@link CrlRefresher} fetches and schedules; this decides what it takes.
 */
final class CrlAcceptance {
  private final CrlSettings settings;
  private final KnownIssuers known;
  private final Clock clock;

  CrlAcceptance(CrlSettings settings, KnownIssuers known, Clock clock) {
    this.settings = settings;
    this.known = known;
    this.clock = clock;
  }

  /**
   * CRLs to use, and what to report about them.
   *
   * @param crls the fetched CRLs, and the ones in use kept beside them
   * @param kept why CRLs in use were kept, against the new content: reported as failures
   * @param notes what else is worth telling (a CRL not verified yet, one used under
   *     soft-fail): reported, but the content was taken as it is
   */
  record Accepted(List<IndexedCrl> crls, List<String> kept, List<String> notes) {}

  /**
   * Checks fetched CRLs against what the context knows and merges them with the CRLs the
   * source served before.
   *
   * @param fetched the CRLs just parsed from the source
   * @param held the source's CRLs in use, empty at start
   * @param current the CRLs of every source in use now, whose keys may verify the fetched ones
   * @return the CRLs to use, why some in use were kept, and notes to report
   * @throws CrlException when a fetched CRL is refused: the source's CRLs in use stay
   */
  Accepted accept(List<IndexedCrl> fetched, List<IndexedCrl> held, List<IndexedCrl> current) throws CrlException {
    Instant now = clock.instant();
    List<String> notes = new ArrayList<>();
    List<X509Certificate> anchors = known.anchors().get();
    List<X509Certificate> others = known.others().get();
    List<String> kept = new ArrayList<>();
    for (IndexedCrl crl : fetched) {
      String unusable = crl.unusable();
      if (unusable == null) {
        checkDates(crl, now, notes);
      }
      for (IndexedCrl before : held) {
        if (crl.adoptChecksOf(before)) {
          break; // the same CRL again: verified when it was first loaded
        }
      }
      if (!crl.isVerified() && !crl.signatureAlgorithmRefused()) {
        verify(crl, anchors, others, current, notes);
      }
      if (crl.scope().indirect() && !crl.verifiedAtLoad()) {
        notes.add("the indirect CRL for " + SafeText.printable(crl.issuer().getName()) + " answers for"
            + " the certificates of other issuers only once verified with a certificate of its issuer"
            + " this context knows (a trust anchor, or its own chain), which it was not");
      }
      if (unusable != null) {
        kept.add("the CRL for " + SafeText.printable(crl.issuer().getName()) + " cannot be used: "
            + unusable + "; the certificates it would cover are REVOCATION_UNKNOWN unless another"
            + " CRL covers them");
      }
    }
    List<IndexedCrl> result = new ArrayList<>(fetched);
    for (IndexedCrl before : held) {
      if (!before.isVerified() || before.unusable() != null) {
        continue; // never kept on its own account: it was only ever checked against paths
      }
      String name = SafeText.printable(before.issuer().getName());
      List<IndexedCrl> sameIssuer = fetched.stream()
          .filter(after -> after.issuer().equals(before.issuer()) && after.isDelta() == before.isDelta())
          .toList();
      if (before.isDelta() && sameIssuer.isEmpty() && fetched.stream().anyMatch(after ->
          after.issuer().equals(before.issuer()) && !after.isDelta() && after.unusable() == null
              && after.crlNumber().compareTo(before.crlNumber()) >= 0)) {
        continue; // a complete CRL at least as new as the delta in use says all it said
      }
      IndexedCrl older = sameIssuer.stream()
          .filter(after -> CrlRevocationChecker.NEWEST_FIRST.compare(after, before) > 0)
          .findFirst().orElse(null);
      if (older != null) {
        // A replayed or restored old CRL must not bring revoked serials back: both stay
        // indexed, and the lookup uses the newest one whose signature verifies.
        result.add(before);
        kept.add("the CRL fetched from " + older.source() + " for " + name + " (number "
            + older.crlNumber() + ", thisUpdate " + older.thisUpdate()
            + ") is older than the one in use (number " + before.crlNumber() + ", thisUpdate "
            + before.thisUpdate() + "); keeping the newer one");
      } else if (sameIssuer.stream().noneMatch(after -> after.isVerified() && after.unusable() == null)) {
        result.add(before);
        kept.add(sameIssuer.isEmpty()
            ? "the new content has no CRL for " + name + ", which the CRL in use covers;"
                + " keeping the CRL in use until it goes stale"
            : "the new CRL for " + name + " is not verified or cannot be used; the verified CRL in"
                + " use stays in use beside it");
      }
    }
    return new Accepted(List.copyOf(result), List.copyOf(kept), List.copyOf(notes));
  }

  /** Refuses a CRL that is stale (beyond any soft-fail allowance) or not yet valid. */
  private void checkDates(IndexedCrl crl, Instant now, List<String> notes) throws CrlException {
    String name = SafeText.printable(crl.issuer().getName());
    Duration skew = settings.clockSkew();
    if (crl.thisUpdate().isAfter(now.plus(skew))) {
      throw new CrlException("the CRL for " + name + " is not yet valid: thisUpdate is "
          + crl.thisUpdate() + ", after now (" + now + ")"
          + (skew.isZero() ? "; if the clocks differ, allow for it with clockSkew(..)"
              : " plus the clock skew of " + skew));
    }
    if (!now.isAfter(crl.staleAt())) {
      return;
    }
    Duration allowance = settings.maxStaleness();
    String when = crl.nextUpdate() != null
        ? "nextUpdate was " + crl.nextUpdate()
        : "it has no nextUpdate and was issued at " + crl.thisUpdate();
    if (allowance == null || now.isAfter(crl.staleAt().plus(allowance))) {
      throw new CrlException("the CRL for " + name + " is stale: " + when
          + (allowance == null ? "" : ", longer ago than the soft-fail allowance of " + allowance));
    }
    notes.add("the source serves a stale CRL for " + name + ": " + when
        + "; using it under the soft-fail allowance of " + allowance);
  }

  /**
   * Verifies a CRL's signature with the keys of its issuer's certificates the context knows,
   * and with the keys that verified the CRLs of that issuer in use.
   *
   * @throws CrlException when the issuer is a trust anchor whose key does not verify it
   */
  private static void verify(IndexedCrl crl, List<X509Certificate> anchors, List<X509Certificate> others,
      List<IndexedCrl> current, List<String> notes) throws CrlException {
    String name = SafeText.printable(crl.issuer().getName());
    List<X509Certificate> namedAnchors = named(crl, anchors, false);
    if (verifiedBy(crl, namedAnchors, "the trust anchor " + name)
        || verifiedBy(crl, named(crl, others, true), "the CA certificate " + name + " of this context's chain")) {
      return;
    }
    List<PublicKey> keys = new ArrayList<>();
    for (IndexedCrl inUse : current) {
      if (inUse.issuer().equals(crl.issuer())) {
        keys.addAll(inUse.verifiedKeys());
      }
    }
    for (PublicKey key : keys) {
      if (crl.verifyAtLoad(key)) {
        return;
      }
    }
    if (!namedAnchors.isEmpty()) {
      throw new CrlException("the CRL's signature does not verify with the key of the trust anchor "
          + name + ": a corrupted CRL, or one of another CA of the same name");
    }
    notes.add(keys.isEmpty() && named(crl, others, true).isEmpty()
        ? "the CRL for " + name + " cannot be verified yet: no certificate of that name is known to"
            + " this context (it is no trust anchor, nor in the context's own chain); it is verified"
            + " against the issuer certificate in each peer's path, and ignored where it does not verify"
        : "the CRL for " + name + " does not verify with the key of the certificate of that name this"
            + " context knows (its own chain, or an earlier CRL); it is verified against the issuer"
            + " certificate in each peer's path instead, and ignored where it does not verify");
  }

  /**
   * Whether one of the certificates verifies the CRL; the one that does must allow CRL signing.
   *
   * @throws CrlException when the certificate that verifies it has no cRLSign key usage
   */
  private static boolean verifiedBy(IndexedCrl crl, List<X509Certificate> certificates, String what)
      throws CrlException {
    for (X509Certificate certificate : certificates) {
      if (crl.verifyAtLoad(certificate.getPublicKey())) {
        boolean[] keyUsage = certificate.getKeyUsage();
        if (keyUsage != null && (keyUsage.length <= 6 || !keyUsage[6])) {
          throw new CrlException(what + " that signed the CRL does not allow CRL signing (no cRLSign"
              + " key usage)");
        }
        return true;
      }
    }
    return false;
  }

  private static List<X509Certificate> named(IndexedCrl crl, List<X509Certificate> certificates, boolean caOnly) {
    List<X509Certificate> named = new ArrayList<>(1);
    for (X509Certificate certificate : certificates) {
      if (certificate.getSubjectX500Principal().equals(crl.issuer())
          && (!caOnly || certificate.getBasicConstraints() >= 0)) {
        named.add(certificate);
      }
    }
    return named;
  }
}
