package dev.mtls.core;

/**
 * What changed in a running {@link MtlsContext}, as told to the subscribers of
 * {@link MtlsContext#onChange(java.util.function.Consumer)}.
 *
 * <p>Each material change is followed by {@link #SESSIONS_RENEWED} once the context's
 * {@code SSLContext} moved on to fresh session caches and ticket keys. An adapter that keeps
 * TLS state of its own (Netty's OpenSSL provider and its session-ticket keys, a connection
 * pool) drops or rotates it there.
 */
public enum ContextChange {
  /** The context's own certificate and key were reloaded. */
  IDENTITY,
  /** The trust anchors were reloaded. */
  TRUST,
  /** The revocation data changed: a CRL was loaded, refreshed, or turned stale. */
  REVOCATION,
  /**
   * The context's sessions were renewed after one of the other changes: no session made
   * before it can be resumed, so every peer is judged again in a full handshake.
   */
  SESSIONS_RENEWED
}
