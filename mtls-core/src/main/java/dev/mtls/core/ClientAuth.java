package dev.mtls.core;

/**
 * Whether a server asks for, and insists on, a client certificate.
 *
 * <p>A server that answers an HTTP 401 or 403 with a reason (the servlet filter) needs
 * {@link #OPTIONAL}: the TLS layer then lets a client without a certificate through, and
 * the application decides. Everywhere else {@link #REQUIRED} keeps refused peers out of
 * the application altogether.
 */
public enum ClientAuth {
  /** The server does not ask for a client certificate. */
  NONE,
  /**
   * The server asks for a client certificate; a client that sends none still completes
   * the handshake, but a certificate that is sent is validated and a bad one fails it.
   */
  OPTIONAL,
  /** The server requires a valid client certificate: a client without one fails the handshake. */
  REQUIRED
}
