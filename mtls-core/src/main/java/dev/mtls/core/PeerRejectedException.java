package dev.mtls.core;

import java.security.cert.CertificateException;
import java.util.Objects;

/**
 * What a context's {@linkplain MtlsContext#trustManager() trust manager} throws when it refuses
 * a peer in the handshake: a {@link CertificateException}, as the JSSE contract asks, that
 * carries the typed {@link Verdict.Rejected verdict}. The JSSE keeps it as the cause of the
 * {@code SSLHandshakeException} it raises, so adapters can say why a handshake failed without
 * reading messages: find it among the causes and read {@link #rejection()}.
 *
 * <pre>{@code
 * for (Throwable t = failure; t != null; t = t.getCause()) {
 *   if (t instanceof PeerRejectedException refused) {
 *     RejectionReason reason = refused.rejection().reason();
 *   }
 * }
 * }</pre>
 *
 * <p>The message is the verdict's {@link Verdict.Rejected#toString()}: the reason and the
 * detail, one line, safe to log.
 */
public final class PeerRejectedException extends CertificateException {
  private static final long serialVersionUID = 1L;

  /** The verdict; not serialised (its peer holds certificates). */
  private final transient Verdict.Rejected rejection;

  /**
   * Creates the exception for a refusal.
   *
   * @param rejection the verdict that refused the peer
   */
  public PeerRejectedException(Verdict.Rejected rejection) {
    super(Objects.requireNonNull(rejection, "rejection").toString());
    this.rejection = rejection;
  }

  /**
   * Why the peer was refused, and who it presented itself as.
   *
   * @return the verdict; {@code null} only on an instance that was deserialised
   */
  public Verdict.Rejected rejection() {
    return rejection;
  }
}
