package dev.mtls.core;

import dev.mtls.core.MtlsListener.CertificateSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a context holds at one moment, for metrics and health checks: its own certificate
 * chain, its trust anchors, its CRLs and how fresh they are, and how reloading each material
 * fares. Names from certificates and CRLs are escaped and bounded ({@link CertificateSummary}),
 * and nothing secret is in it. Taking one reads the context's snapshots and takes no lock
 * that a handshake or reload holds.
 *
 * <pre>{@code
 * ContextStatus status = context.status();
 * Duration left = Duration.between(status.at(), status.identity().get(0).notAfter());
 * }</pre>
 *
 * @param at when it was taken, by the context's clock
 * @param identity the certificate chain the context presents, leaf first; empty for a client
 *     without an identity
 * @param trustAnchors the anchors it checks peers against; empty for a server that asks for no
 *     client certificate
 * @param crls the CRLs in use, by issuer; empty without revocation
 * @param reloads one entry per material the context reloads from files (identity, trust
 *     anchors, CRL files), in that order of reloading: trust anchors, identity, CRLs
 * @param expiryWarning how long before notAfter a certificate counts as expiring ({@link
 *     ReloadPolicy#expiryWarning()})
 */
public record ContextStatus(
    Instant at,
    List<CertificateSummary> identity,
    List<CertificateSummary> trustAnchors,
    List<Crl> crls,
    List<Reload> reloads,
    Duration expiryWarning) {

  /** Checks the fields and copies the lists. */
  public ContextStatus {
    Objects.requireNonNull(at, "at");
    identity = List.copyOf(identity);
    trustAnchors = List.copyOf(trustAnchors);
    crls = List.copyOf(crls);
    reloads = List.copyOf(reloads);
    Objects.requireNonNull(expiryWarning, "expiryWarning");
  }

  /**
   * The context's health at this moment: see {@link Health}.
   *
   * @return the health
   */
  public Health health() {
    return Health.of(this);
  }

  /** How fresh a CRL in use is. */
  public enum Freshness {
    /** Before its nextUpdate (or the moment the context counts it stale at when it has none). */
    FRESH,
    /**
     * Past its nextUpdate, within the soft-fail allowance ({@link
     * Revocation.Builder#softFail(java.time.Duration)}): still used, while the refreshes fail.
     */
    STALE_ALLOWED,
    /** Past its nextUpdate and any soft-fail allowance: the peers it covers are refused ({@link RejectionReason#REVOCATION_UNKNOWN}). */
    STALE
  }

  /**
   * A CRL in use.
   *
   * @param source the file or URL it came from
   * @param issuer its issuer's distinguished name, escaped and bounded
   * @param thisUpdate its thisUpdate
   * @param nextUpdate its nextUpdate, or {@code null} when it has none
   * @param freshness how fresh it is at {@link ContextStatus#at()}
   */
  public record Crl(String source, String issuer, Instant thisUpdate, @Nullable Instant nextUpdate,
      Freshness freshness) {
    /** Checks the fields, and escapes and bounds the text that came from CRLs and configuration. */
    public Crl {
      source = SafeText.line(Objects.requireNonNull(source, "source"));
      issuer = SafeText.printable(Objects.requireNonNull(issuer, "issuer"));
      Objects.requireNonNull(thisUpdate, "thisUpdate");
      Objects.requireNonNull(freshness, "freshness");
    }
  }

  /**
   * How reloading one material from its files fares.
   *
   * @param material which material
   * @param lastSuccess when the material in use was put in use: at start, or by the latest reload
   * @param failure why the content on disk now was refused, or {@code null} when the files hold
   *     the material in use (or nothing refused)
   */
  public record Reload(Material material, Instant lastSuccess, @Nullable Failure failure) {
    /** Checks the fields. */
    public Reload {
      Objects.requireNonNull(material, "material");
      Objects.requireNonNull(lastSuccess, "lastSuccess");
    }

    /**
     * Whether the files hold content that was refused: the old material is still in use.
     *
     * @return {@code true} while reloading fails
     */
    public boolean failing() {
      return failure != null;
    }
  }

  /**
   * A run of refused reloads of one material.
   *
   * @param problem why the latest content was refused, naming the file
   * @param since when the first refusal of the run was
   */
  public record Failure(String problem, Instant since) {
    /** Checks the fields, and escapes and bounds the problem. */
    public Failure {
      problem = SafeText.line(Objects.requireNonNull(problem, "problem"));
      Objects.requireNonNull(since, "since");
    }
  }
}
