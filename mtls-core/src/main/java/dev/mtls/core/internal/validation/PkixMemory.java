package dev.mtls.core.internal.validation;

import dev.mtls.core.internal.BoundedCache;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.TBSCertificate;

/**
 * The paths above a peer's certificate that have passed PKIX validation, so that a new peer
 * under a known intermediate is not put through PKIX again when what PKIX would ask of it is
 * already known to hold.
 *
 * <p>Why this is sound (<a href="https://www.rfc-editor.org/rfc/rfc5280#section-6.1">RFC 5280,
 * 6.1</a>): PKIX processes a path from the anchor down, and what it does at a certificate
 * depends only on the certificates above it and on the path's length, never on those below. So
 * once a path of certificates {@code [leaf, I1 … Ik]} to an anchor has passed, every step above
 * the leaf holds for any other leaf under {@code I1 … Ik} and that anchor, at any date inside
 * their validity periods. What is left is the last certificate's own step, which PKIX needs no
 * state for when nothing above it carries name or policy constraints:
 *
 * <ul>
 *   <li>its signature under {@code I1}'s key: verified by the path search before a path is
 *       judged (never remembered for a new certificate);
 *   <li>its validity at the date PKIX is asked at: judged by the validator at every call; this
 *       memory is used only when the validity periods of the whole path meet, so that date lies
 *       inside each of them;
 *   <li>its issuer name equal to {@code I1}'s subject: here byte for byte, stricter than PKIX;
 *   <li>that Bouncy Castle can read its to-be-signed part, subject name and alternative names,
 *       as its PKIX does before checking them against (here absent) name constraints; a subject
 *       with an e-mail address attribute goes through PKIX;
 *   <li>no policy processing that could fail: with no policy constraints above it or in it, the
 *       explicit-policy counter stays above zero to the end, so no policy tree is required; a
 *       certificate with certificate policies, policy mappings or an inhibitAnyPolicy goes
 *       through PKIX all the same;
 *   <li>no critical extension PKIX would not recognise: only key usage, basic constraints and
 *       subject alternative names may be critical here; any other goes through PKIX, which
 *       refuses it or not as before.
 * </ul>
 *
 * <p>Whatever does not meet these conditions is validated by PKIX in full, as before.
 * Everything the validator checks beyond PKIX (validity, algorithms, the RFC 5280 profile, the
 * anchor's name constraints, purpose) is checked at every call either way.
 */
final class PkixMemory {
  /** The extensions PKIX handles in a path's last certificate without state from above it. */
  private static final Set<String> CRITICAL_WITHOUT_STATE = Set.of(Extension.keyUsage.getId(),
      Extension.basicConstraints.getId(), Extension.subjectAlternativeName.getId());
  /** The extensions whose policy processing in the last certificate is left to PKIX. */
  private static final Set<String> POLICY_EXTENSIONS = Set.of(Extension.certificatePolicies.getId(),
      Extension.policyConstraints.getId(), Extension.policyMappings.getId(), Extension.inhibitAnyPolicy.getId(),
      Extension.nameConstraints.getId());

  /** One path above a peer's certificate: its issuers from the nearest up, and the anchor. */
  private record PathAbove(List<PathCertificate> issuers, PathCertificate anchor) {}

  private final BoundedCache<PathAbove, Boolean> passed;

  /**
   * Creates an empty memory.
   *
   * @param capacity the most paths it holds
   */
  PkixMemory(int capacity) {
    this.passed = new BoundedCache<>(capacity);
  }

  /**
   * Whether PKIX over this path would pass, known without running it.
   *
   * @param path the peer's certificate first, then its issuers, not the anchor; its links'
   *     signatures verified
   * @param anchor the anchor that signed the last of them
   * @param periodsMeet whether the validity periods of the path's certificates have a date in common
   * @return {@code true} when it is known to pass; {@code false} when PKIX must judge it
   */
  boolean knownToPass(List<PathCertificate> path, PathCertificate anchor, boolean periodsMeet) {
    if (!periodsMeet || anchor.constrainsBelow()) {
      return false;
    }
    for (int i = 1; i < path.size(); i++) {
      if (path.get(i).constrainsBelow()) {
        return false;
      }
    }
    PathCertificate issuer = path.size() > 1 ? path.get(1) : anchor;
    return passed.get(above(path, anchor)) != null && lastStepHolds(path.get(0), issuer);
  }

  /**
   * Remembers that PKIX passed a path.
   *
   * @param path the peer's certificate first, then its issuers, not the anchor
   * @param anchor the anchor that signed the last of them
   */
  void passed(List<PathCertificate> path, PathCertificate anchor) {
    passed.put(above(path, anchor), Boolean.TRUE);
  }

  private static PathAbove above(List<PathCertificate> path, PathCertificate anchor) {
    return new PathAbove(List.copyOf(path.subList(1, path.size())), anchor);
  }

  /** What PKIX asks of a path's last certificate when nothing above it carries constraints. */
  private static boolean lastStepHolds(PathCertificate leaf, PathCertificate issuer) {
    if (!Arrays.equals(leaf.issuer().getEncoded(), issuer.subject().getEncoded())) {
      return false;
    }
    Set<String> critical = leaf.getCriticalExtensionOIDs();
    if (critical != null && !CRITICAL_WITHOUT_STATE.containsAll(critical)) {
      return false;
    }
    Set<String> nonCritical = leaf.getNonCriticalExtensionOIDs();
    if (nonCritical != null) {
      for (String oid : nonCritical) {
        if (POLICY_EXTENSIONS.contains(oid)) {
          return false;
        }
      }
    }
    return readsInBouncyCastle(leaf.original());
  }

  /** Whether Bouncy Castle's PKIX would read what it reads of the last certificate. */
  private static boolean readsInBouncyCastle(X509Certificate certificate) {
    try {
      TBSCertificate tbs = TBSCertificate.getInstance(certificate.getTBSCertificate());
      if (tbs.getSubject().getRDNs(BCStyle.EmailAddress).length > 0) {
        return false;
      }
      Extensions extensions = tbs.getExtensions();
      if (extensions != null && extensions.getExtension(Extension.subjectAlternativeName) != null) {
        GeneralNames.getInstance(extensions.getExtensionParsedValue(Extension.subjectAlternativeName));
      }
      return true;
    } catch (CertificateEncodingException | RuntimeException e) {
      // PKIX reads it again and refuses it with its own reason.
      return false;
    }
  }
}
