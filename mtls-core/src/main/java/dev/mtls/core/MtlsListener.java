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
 * and background threads: implementations must be thread-safe and quick. A listener that
 * throws is logged and otherwise ignored.
 *
 * <p>Listeners given to {@link ContextBuilder#listener(MtlsListener)} hear the events in
 * addition to the context's SLF4J logging ({@link #logging()}, rate-limited, so that a flood
 * of bad clients cannot flood the log), which only {@link ContextBuilder#logging(boolean)
 * logging(false)} switches off.
 *
 * <p>Text in events that came from outside (names from certificates and CRLs, sources,
 * problems) is escaped and bounded once, when the event is made, so a listener may log it as
 * it is: no peer, CRL or file can forge a log line.
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
   * A listener that logs through SLF4J (logger {@code dev.mtls}) at INFO for refreshes, WARN
   * for rejections and failures, at most a few lines a minute per kind of event, with a count
   * of what was suppressed. Never logs keys or passwords. Every context logs through one of
   * its own unless built with {@link ContextBuilder#logging(boolean) logging(false)}; this is
   * for code that drives the library's parts itself.
   *
   * @return a new logging listener, with its own rate limits
   */
  static MtlsListener logging() {
    return new LoggingListener();
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
   * A peer was accepted, during the handshake or by a verifier call: for counting, as
   * metrics do. Called on every accepted verdict, a session's remembered one included, on
   * the handshake's or the caller's thread: an implementation must be as cheap as a counter
   * increment. The event of a remembered verdict is made once, with the verdict, and handed
   * again at every hit.
   *
   * @param event the acceptance
   */
  default void peerAccepted(PeerAccepted event) {}

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
    /**
     * Checks the fields, and escapes and bounds the text that came from certificates, CRLs or
     * files (control characters escaped, long names cut): no event carries a forged log line.
     */
    public CertificateSummary {
      subject = SafeText.printable(Objects.requireNonNull(subject, "subject"));
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
    /**
     * Checks the fields, and escapes and bounds the text that came from certificates, CRLs or
     * files (control characters escaped, long names cut): no event carries a forged log line.
     */
    public Reloaded {
      Objects.requireNonNull(material, "material");
      source = SafeText.line(Objects.requireNonNull(source, "source"));
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
    /**
     * Checks the fields, and escapes and bounds the text that came from certificates, CRLs or
     * files (control characters escaped, long names cut): no event carries a forged log line.
     */
    public ReloadFailed {
      Objects.requireNonNull(material, "material");
      problem = SafeText.line(Objects.requireNonNull(problem, "problem"));
    }
  }

  /**
   * Where a verdict on a peer was reached: what a {@link PeerAccepted} or {@link PeerRejected}
   * event comes from.
   */
  enum Stage {
    /**
     * In the TLS handshake: the context's trust manager judged the chain, or the TLS layer
     * refused a client that sent no certificate.
     */
    HANDSHAKE,
    /** By a call to the context's {@link PeerVerifier}, judged anew. */
    VERIFIER,
    /** By a call to the context's {@link PeerVerifier}, answered with the TLS session's remembered verdict. */
    REMEMBERED
  }

  /**
   * A peer was accepted. No time is carried: the event of a remembered verdict is made once and
   * handed again at every hit, so that counting acceptances allocates nothing.
   *
   * @param verdict the verdict, with the peer's identity
   * @param stage where it was reached
   */
  record PeerAccepted(Verdict.Allowed verdict, Stage stage) {
    /** Checks the fields. */
    public PeerAccepted {
      Objects.requireNonNull(verdict, "verdict");
      Objects.requireNonNull(stage, "stage");
    }
  }

  /**
   * A peer was refused, once or several times over. A verifier remembers its verdict per TLS
   * session; a session refused again (a refused client sending request after request on its
   * connection) is reported at most once a minute, with the number of refusals since the last
   * report, so that a peer hammering a server cannot flood a listener.
   *
   * @param rejected the verdict, with reason, detail and the peer where known
   * @param at when (the latest of the refusals reported)
   * @param count how many refusals this event reports: 1, or more for repeats of a remembered
   *     rejection
   * @param stage where the refusals were reached: {@link Stage#REMEMBERED} for repeats
   */
  record PeerRejected(Verdict.Rejected rejected, Instant at, long count, Stage stage) {
    /** Checks the fields. */
    public PeerRejected {
      Objects.requireNonNull(rejected, "rejected");
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(stage, "stage");
      if (count < 1) {
        throw new IllegalArgumentException("count < 1: " + count);
      }
    }

    /**
     * Refusals reached by a verifier call ({@link Stage#VERIFIER}).
     *
     * @param rejected the verdict
     * @param at when
     * @param count how many refusals
     */
    public PeerRejected(Verdict.Rejected rejected, Instant at, long count) {
      this(rejected, at, count, Stage.VERIFIER);
    }

    /**
     * One refusal reached by a verifier call ({@link Stage#VERIFIER}).
     *
     * @param rejected the verdict
     * @param at when
     */
    public PeerRejected(Verdict.Rejected rejected, Instant at) {
      this(rejected, at, 1, Stage.VERIFIER);
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
    /**
     * Checks the fields, and escapes and bounds the text that came from certificates, CRLs or
     * files (control characters escaped, long names cut): no event carries a forged log line.
     */
    public CrlRefreshed {
      source = SafeText.line(Objects.requireNonNull(source, "source"));
      issuer = SafeText.printable(Objects.requireNonNull(issuer, "issuer"));
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
    /**
     * Checks the fields, and escapes and bounds the text that came from certificates, CRLs or
     * files (control characters escaped, long names cut): no event carries a forged log line.
     */
    public CrlRefreshFailed {
      source = SafeText.line(Objects.requireNonNull(source, "source"));
      problem = SafeText.line(Objects.requireNonNull(problem, "problem"));
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
    /**
     * Checks the fields, and escapes and bounds the text that came from certificates, CRLs or
     * files (control characters escaped, long names cut): no event carries a forged log line.
     */
    public CertificateExpiring {
      Objects.requireNonNull(role, "role");
      subject = SafeText.printable(Objects.requireNonNull(subject, "subject"));
      Objects.requireNonNull(serialNumber, "serialNumber");
      Objects.requireNonNull(notAfter, "notAfter");
    }
  }
}
