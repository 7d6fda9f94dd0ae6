package dev.mtls.core;

import dev.mtls.core.MtlsListener.CertificateSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Whether a context can do its work, and what stands in the way, for a framework's health
 * endpoint: {@link Status#OK}, {@link Status#DEGRADED} (working, but an operator must act soon)
 * or {@link Status#DOWN} (peers are refused, or refuse this context, now). From {@link
 * MtlsContext#health()}; no framework is needed.
 *
 * <pre>{@code
 * Health health = context.health();
 * return health.status() == Health.Status.DOWN
 *     ? HealthCheckResponse.down(health.reasons().toString())
 *     : HealthCheckResponse.up();
 * }</pre>
 *
 * <p>DOWN when a certificate of the context's own chain is past its notAfter, when every trust
 * anchor is, or when a CRL is stale beyond any soft-fail allowance (the peers it covers are
 * refused). DEGRADED when a certificate of the own chain or a trust anchor expires within the
 * expiry warning ({@link ReloadPolicy#expiryWarning()}), a trust anchor (not all) has expired, a
 * CRL is stale but still used under soft-fail, or the files of a material hold content that
 * was refused (the old material, still valid, stays in use).
 *
 * @param status the worst that applies
 * @param reasons one line per problem, worst first, safe to log; empty when OK
 */
public record Health(Status status, List<String> reasons) {

  /** Checks the fields and copies the reasons. */
  public Health {
    Objects.requireNonNull(status, "status");
    reasons = List.copyOf(reasons);
    if (reasons.isEmpty() != (status == Status.OK)) {
      throw new IllegalArgumentException("a " + status + " health with reasons " + reasons);
    }
  }

  /** How well a context does. */
  public enum Status {
    /** Nothing to do. */
    OK,
    /** Working, but an operator must act before it stops working. */
    DEGRADED,
    /** Peers are refused, or refuse this context, now. */
    DOWN
  }

  /** The health a status implies. */
  static Health of(ContextStatus status) {
    List<String> down = new ArrayList<>();
    List<String> degraded = new ArrayList<>();
    expiries(status, "identity certificate", status.identity(), down, degraded);
    List<String> expiredAnchors = new ArrayList<>();
    expiries(status, "trust anchor", status.trustAnchors(), expiredAnchors, degraded);
    if (!expiredAnchors.isEmpty() && expiredAnchors.size() == status.trustAnchors().size()) {
      down.add("no valid trust anchor: every peer is refused; " + String.join("; ", expiredAnchors));
    } else {
      degraded.addAll(expiredAnchors);
    }
    for (ContextStatus.Crl crl : status.crls()) {
      String which = "CRL of " + crl.issuer() + " from " + crl.source() + " (nextUpdate " + crl.nextUpdate() + ")";
      if (crl.freshness() == ContextStatus.Freshness.STALE) {
        down.add(which + " is stale: the peers it covers are refused");
      } else if (crl.freshness() == ContextStatus.Freshness.STALE_ALLOWED) {
        degraded.add(which + " is stale, still used under soft-fail");
      }
    }
    for (ContextStatus.Reload reload : status.reloads()) {
      ContextStatus.Failure failure = reload.failure();
      if (failure != null) {
        degraded.add(reload.material() + " reload failing since " + failure.since() + ", the "
            + reload.material() + " of " + reload.lastSuccess() + " stays in use: " + failure.problem());
      }
    }
    List<String> reasons = new ArrayList<>(down);
    reasons.addAll(degraded);
    Status worst = !down.isEmpty() ? Status.DOWN : !degraded.isEmpty() ? Status.DEGRADED : Status.OK;
    return new Health(worst, reasons);
  }

  /** Sorts certificates past their notAfter into {@code expired}, those within the warning into {@code expiring}. */
  private static void expiries(ContextStatus status, String role, List<CertificateSummary> certificates,
      List<String> expired, List<String> expiring) {
    Instant warnFrom = status.at().plus(status.expiryWarning());
    for (CertificateSummary certificate : certificates) {
      if (status.at().isAfter(certificate.notAfter())) {
        expired.add(role + " " + certificate + " has expired");
      } else if (!warnFrom.isBefore(certificate.notAfter())) {
        expiring.add(role + " " + certificate + " expires within " + status.expiryWarning());
      }
    }
  }
}
