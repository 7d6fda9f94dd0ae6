package dev.mtls.core.internal.validation;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.bouncycastle.asn1.x509.Extension;
import org.jspecify.annotations.Nullable;

/**
 * What a trust anchor's own certificate must be to validate anything: within its validity
 * period (as Go, rustls-webpki and OpenSSL require; RFC 5280 leaves it to the relying party),
 * and free of critical extensions the validator does not understand (RFC 5280, 4.2: a
 * certificate with an unrecognized critical extension MUST be rejected).
 */
public final class TrustAnchorChecks {
  /** The critical extensions path validation processes. */
  private static final Set<String> UNDERSTOOD = Set.of(
      Extension.basicConstraints.getId(),
      Extension.keyUsage.getId(),
      Extension.extendedKeyUsage.getId(),
      Extension.nameConstraints.getId(),
      Extension.certificatePolicies.getId(),
      Extension.policyMappings.getId(),
      Extension.policyConstraints.getId(),
      Extension.inhibitAnyPolicy.getId(),
      Extension.subjectAlternativeName.getId());

  private TrustAnchorChecks() {}

  /**
   * Why an anchor validates nothing at {@code now}.
   *
   * @param anchor the anchor's certificate
   * @param now the time to judge at
   * @param skew the clock skew tolerated at both ends of the validity period
   * @return {@code null} when it may anchor a path; otherwise why not, naming it
   */
  static @Nullable String problem(X509Certificate anchor, Instant now, Duration skew) {
    Validity.Problem validity = Validity.problem(anchor, now, skew);
    if (validity != null) {
      return "trust anchor " + anchor.getSubjectX500Principal() + " " + validity.text() + ": it validates nothing";
    }
    return unknownCriticalExtensions(anchor);
  }

  private static @Nullable String unknownCriticalExtensions(X509Certificate anchor) {
    Set<String> unknown = new TreeSet<>(Rfc5280Profile.criticalOids(anchor));
    unknown.removeAll(UNDERSTOOD);
    if (unknown.isEmpty()) {
      return null;
    }
    return "trust anchor " + anchor.getSubjectX500Principal() + " has critical extensions " + unknown
        + " that are not understood (RFC 5280, 4.2): it validates nothing";
  }

  /**
   * The anchors that validate nothing now, one line each, to warn about when a context is
   * built or its anchors are reloaded.
   *
   * @param anchors the anchors' certificates
   * @param now the time to judge at
   * @param skew the clock skew tolerated
   * @return empty when every anchor can anchor a path
   */
  public static List<String> unusable(List<X509Certificate> anchors, Instant now, Duration skew) {
    List<String> problems = new ArrayList<>();
    for (X509Certificate anchor : anchors) {
      String problem = problem(anchor, now, skew);
      if (problem != null) {
        problems.add(problem);
      }
    }
    return problems;
  }
}
