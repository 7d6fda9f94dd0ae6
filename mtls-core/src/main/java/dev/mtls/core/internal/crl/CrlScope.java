package dev.mtls.core.internal.crl;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Supplier;
import javax.security.auth.x500.X500Principal;

/**
 * What a CRL covers, as its issuing distribution point says (RFC 5280, section 5.2.5), read
 * once when the CRL is loaded: which kinds of certificate, which revocation reasons, whether it
 * lists certificates of other issuers (an indirect CRL), and for which distribution points.
 * {@link #coverage} applies RFC 5280, section 6.3.3 (b) and (d) to one certificate.
 *
 * @param onlyUserCerts the CRL covers end-entity certificates only
 * @param onlyCaCerts the CRL covers CA certificates only
 * @param onlyAttributeCerts the CRL covers attribute certificates only (so no certificate this
 *     library checks)
 * @param reasons the revocation reasons covered, as {@link #ALL_REASONS}' bits
 * @param indirect the CRL may list certificates of other issuers (certificateIssuer entries)
 * @param pointNames the distribution point names, as {@link DistributionPoints#key} makes them;
 *     empty when the CRL is for all of its issuer's distribution points
 */
record CrlScope(boolean onlyUserCerts, boolean onlyCaCerts, boolean onlyAttributeCerts,
    int reasons, boolean indirect, List<Object> pointNames) {
  /**
   * Every reason of {@code ReasonFlags} but {@code unused}: bit n is the flag of RFC 5280's
   * {@code ReasonFlags} bit n (1 keyCompromise ... 8 aACompromise).
   */
  static final int ALL_REASONS = 0x1fe;

  static final CrlScope ALL = new CrlScope(false, false, false, ALL_REASONS, false, List.of());

  private static final String[] REASON_FLAGS = {
    "unused", "keyCompromise", "cACompromise", "affiliationChanged", "superseded",
    "cessationOfOperation", "certificateHold", "privilegeWithdrawn", "aACompromise"
  };

  CrlScope {
    pointNames = List.copyOf(pointNames);
  }

  /**
   * The reasons for which this CRL answers for a certificate: none (0) when it does not cover
   * it. A CRL of the certificate's own issuer without distribution point names covers all of
   * that issuer's certificates of its kind; one with names covers those whose CRL distribution
   * points name one of them; an indirect CRL of another issuer covers those whose distribution
   * point names it as {@code cRLIssuer}.
   *
   * @param certificate the certificate to be checked
   * @param direct whether the certificate's issuer is this CRL's issuer
   * @param crlIssuer the issuer of this CRL
   * @param points the certificate's CRL distribution points, read only when needed
   * @return the covered reasons, as {@link #ALL_REASONS}' bits
   */
  int coverage(X509Certificate certificate, boolean direct, X500Principal crlIssuer,
      Supplier<DistributionPoints> points) {
    if (onlyAttributeCerts) {
      return 0;
    }
    boolean ca = certificate.getBasicConstraints() >= 0;
    if ((onlyUserCerts && ca) || (onlyCaCerts && !ca)) {
      return 0;
    }
    if (direct && pointNames.isEmpty()) {
      return reasons; // the common case: no distribution point is read
    }
    if (!direct && !indirect) {
      return 0;
    }
    for (DistributionPoints.Point point : points.get().points()) {
      boolean issuerMatches = point.crlIssuers().isEmpty()
          ? direct : indirect && point.crlIssuers().contains(crlIssuer);
      if (!issuerMatches) {
        continue;
      }
      if (pointNames.isEmpty()) {
        return reasons;
      }
      // RFC 5280, section 6.3.3 (b)(2)(i): a point without a name is matched by its cRLIssuer
      List<Object> names = point.names().isEmpty() ? List.copyOf(point.crlIssuers()) : point.names();
      for (Object name : names) {
        if (pointNames.contains(name)) {
          return reasons;
        }
      }
    }
    return 0;
  }

  /**
   * The reason names of a mask, for messages.
   *
   * @param mask bits as in {@link #ALL_REASONS}
   * @return for example {@code keyCompromise, cACompromise}
   */
  static String reasonNames(int mask) {
    StringBuilder names = new StringBuilder();
    for (int bit = 1; bit < REASON_FLAGS.length; bit++) {
      if ((mask & (1 << bit)) != 0) {
        names.append(names.isEmpty() ? "" : ", ").append(REASON_FLAGS[bit]);
      }
    }
    return names.toString();
  }
}
