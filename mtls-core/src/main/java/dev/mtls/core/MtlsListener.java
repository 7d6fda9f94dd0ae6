package dev.mtls.core;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Hears what a context does in the background and why it refuses peers. Every method has
 * an empty default, so a listener overrides what it cares about. Calls come from handshake
 * and background threads: implementations must be thread-safe and quick.
 *
 * <p>Without a listener a context uses {@link #logging()}, which logs through SLF4J and
 * rate-limits, so that a flood of bad clients cannot flood the log.
 *
 * <pre>{@code
 * MtlsContext.forServer()
 *     .listener(new MtlsListener() {
 *       @Override public void peerRejected(PeerRejected event) {
 *         metrics.counter("mtls.rejected", event.rejected().reason().name()).increment();
 *       }
 *     })
 * }</pre>
 */
public interface MtlsListener {

  /**
   * The default listener: logs through SLF4J (logger {@code dev.mtls}) at INFO for refreshes,
   * WARN for rejections and failures, at most a few lines a minute per kind of event, with a
   * count of what was suppressed. Never logs keys or passwords.
   *
   * @return the shared logging listener
   */
  static MtlsListener logging() {
    return LoggingListener.INSTANCE;
  }

  /**
   * A listener that hears nothing.
   *
   * @return the silent listener
   */
  static MtlsListener silent() {
    return new MtlsListener() {};
  }

  /**
   * A peer was refused, during the handshake or by a verifier call.
   *
   * @param event the rejection
   */
  default void peerRejected(PeerRejected event) {}

  /**
   * A CRL was (re)loaded.
   *
   * @param event what was loaded
   */
  default void crlRefreshed(CrlRefreshed event) {}

  /**
   * A CRL could not be loaded; the last good one stays in use until it goes stale.
   *
   * @param event what failed
   */
  default void crlRefreshFailed(CrlRefreshFailed event) {}

  /**
   * A certificate of this context's own identity or trust anchors nears its notAfter.
   *
   * @param event which certificate, and when it expires
   */
  default void certificateExpiring(CertificateExpiring event) {}

  /**
   * New identity, trust or CRL material from disk is in use.
   *
   * @param event what changed
   */
  default void reloaded(Reloaded event) {}

  /**
   * Material on disk changed but could not be used; the material in use stays. Repeated
   * failures of the same file content are reported once.
   *
   * @param event which file, and why
   */
  default void reloadFailed(ReloadFailed event) {}

  /**
   * A certificate, in a few words: enough to tell an old one from its replacement.
   *
   * @param subject the subject DN
   * @param serialNumber the serial
   * @param notAfter when it expires
   */
  record CertificateSummary(String subject, BigInteger serialNumber, Instant notAfter) {
    /** Checks the fields. */
    public CertificateSummary {
      Objects.requireNonNull(subject, "subject");
      Objects.requireNonNull(serialNumber, "serialNumber");
      Objects.requireNonNull(notAfter, "notAfter");
    }

    /**
     * Summarises a certificate.
     *
     * @param certificate the certificate
     * @return its summary
     */
    public static CertificateSummary of(java.security.cert.X509Certificate certificate) {
      return new CertificateSummary(certificate.getSubjectX500Principal().getName(),
          certificate.getSerialNumber(), certificate.getNotAfter().toInstant());
    }

    @Override
    public String toString() {
      return subject + " (serial " + serialNumber.toString(16) + ", notAfter " + notAfter + ")";
    }
  }

  /**
   * New material is in use.
   *
   * @param material which material
   * @param source the files it came from
   * @param before the certificates in use before (the leaf for an identity, the anchors for trust)
   * @param after the certificates in use now
   */
  record Reloaded(Material material, String source, List<CertificateSummary> before, List<CertificateSummary> after) {
    /** Checks and copies the fields. */
    public Reloaded {
      Objects.requireNonNull(material, "material");
      Objects.requireNonNull(source, "source");
      before = List.copyOf(before);
      after = List.copyOf(after);
    }
  }

  /**
   * Changed material could not be used.
   *
   * @param material which material
   * @param file the file at fault, or {@code null} when no single file is
   * @param problem what is wrong, naming the file, such as {@code cannot load private key from
   *     /etc/tls/tls.key: private key does not match the certificate's public key ...}
   * @param cause the underlying failure, or {@code null}
   */
  record ReloadFailed(Material material, @Nullable Path file, String problem, @Nullable Throwable cause) {
    /** Checks the fields. */
    public ReloadFailed {
      Objects.requireNonNull(material, "material");
      Objects.requireNonNull(problem, "problem");
    }
  }

  /**
   * A peer was refused.
   *
   * @param rejected the verdict, with reason, detail and the peer where known
   * @param at when
   */
  record PeerRejected(Verdict.Rejected rejected, Instant at) {
    /** Checks the fields. */
    public PeerRejected {
      Objects.requireNonNull(rejected, "rejected");
      Objects.requireNonNull(at, "at");
    }
  }

  /**
   * A CRL was fetched and indexed: at start, and at every successful refresh after.
   *
   * @param source the file or URL
   * @param issuer the CRL issuer's distinguished name
   * @param crlNumber the CRL number extension, or {@code null} when absent
   * @param entries how many certificates it revokes
   * @param thisUpdate its thisUpdate
   * @param nextUpdate its nextUpdate, or {@code null} when absent
   * @param changed whether this CRL is new (always at start); {@code false} when the source
   *     served the same CRL again, which the default listener logs only at DEBUG
   */
  record CrlRefreshed(
      String source,
      String issuer,
      @Nullable BigInteger crlNumber,
      int entries,
      Instant thisUpdate,
      @Nullable Instant nextUpdate,
      boolean changed) {
    /** Checks the fields. */
    public CrlRefreshed {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(issuer, "issuer");
      Objects.requireNonNull(thisUpdate, "thisUpdate");
    }
  }

  /**
   * A CRL could not be loaded or refreshed.
   *
   * @param source the file or URL
   * @param problem what went wrong, in words
   * @param cause the underlying failure, or {@code null}
   */
  record CrlRefreshFailed(String source, String problem, @Nullable Throwable cause) {
    /** Checks the fields. */
    public CrlRefreshFailed {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(problem, "problem");
    }
  }

  /**
   * A certificate this context presents or trusts expires soon.
   *
   * @param role {@code "identity"} or {@code "trust anchor"}
   * @param subject the certificate's subject
   * @param serialNumber its serial
   * @param notAfter when it expires
   */
  record CertificateExpiring(String role, String subject, BigInteger serialNumber, Instant notAfter) {
    /** Checks the fields. */
    public CertificateExpiring {
      Objects.requireNonNull(role, "role");
      Objects.requireNonNull(subject, "subject");
      Objects.requireNonNull(serialNumber, "serialNumber");
      Objects.requireNonNull(notAfter, "notAfter");
    }
  }
}
