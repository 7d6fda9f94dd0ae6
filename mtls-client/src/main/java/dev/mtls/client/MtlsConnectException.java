package dev.mtls.client;

import java.io.IOException;
import java.util.Objects;

/**
 * A connection to a server failed, explained: the message says what happened, naming what
 * each side presented or offered where the client knows it, and what to do about it. The
 * exception the JDK (or the TLS provider) raised stays the {@linkplain #getCause() cause}, and
 * {@link #problem()} says which case it is, for code that acts on it.
 *
 * <p>Thrown by the clients of {@link MtlsHttpClients} in place of the JDK's exception, and
 * made by {@link MtlsSockets#explain(String, int, IOException)} for libraries that connect
 * through the socket factory. For example:
 *
 * <pre>{@code
 * cannot connect to https://localhost:8443: the server's certificate does not name the host
 * connected to, localhost: server presented CN=orders (DNS: orders.internal), expected a
 * certificate naming host localhost. Its certificate names DNS: orders.internal; IP: none;
 * URI: none. Connect by one of these names, have the server's certificate issued for
 * localhost, or name the server another way (ClientContextBuilder.serverIdentity).
 * }</pre>
 */
public final class MtlsConnectException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Which case a failed connection is. */
  public enum Problem {
    /** Nothing listens at the address: the connection was refused. Not a TLS problem. */
    CONNECTION_REFUSED,
    /** The host name does not resolve. Not a TLS problem. */
    UNKNOWN_HOST,
    /**
     * No connection within the connect timeout: nothing answered at the address, or the server
     * accepted the connection but did not answer the TLS handshake.
     */
    TIMED_OUT,
    /** The server answered the TLS handshake in another protocol, such as plain HTTP. */
    SERVER_NOT_TLS,
    /** The client spoke plain HTTP ({@code http://}) to a server that speaks TLS there. */
    CLIENT_NOT_TLS,
    /** The server's chain does not lead to one of the client's trust anchors. */
    UNTRUSTED_SERVER_CERTIFICATE,
    /** The server's certificate, or one of its chain, is past its validity period. */
    SERVER_CERTIFICATE_EXPIRED,
    /** The server's certificate, or one of its chain, is not valid yet. */
    SERVER_CERTIFICATE_NOT_YET_VALID,
    /** The server is not the one the client's {@code ServerIdentity} rule asks for. */
    WRONG_SERVER_IDENTITY,
    /**
     * The server's certificate was refused for another reason: revoked, revocation unknown,
     * issuer not allowed, wrong key usage, unreadable.
     */
    SERVER_CERTIFICATE_REFUSED,
    /**
     * The server closed the connection during the handshake without an alert: it shares no
     * protocol or cipher suite with the client, or it refused the client's certificate (its log
     * says which).
     */
    HANDSHAKE_CLOSED_BY_SERVER,
    /**
     * The server refused the client's certificate, or the lack of one: it said so with an alert,
     * or closed the connection right after the handshake without one.
     */
    CLIENT_CERTIFICATE_REFUSED,
    /** The two sides share no TLS protocol version or cipher suite. */
    NO_COMMON_PROTOCOL
  }

  private final Problem problem;
  private final String host;
  private final int port;

  MtlsConnectException(Problem problem, String host, int port, String message, Throwable cause) {
    super(message, Objects.requireNonNull(cause, "cause"));
    this.problem = Objects.requireNonNull(problem, "problem");
    this.host = Objects.requireNonNull(host, "host");
    this.port = port;
  }

  /**
   * Which case this failure is.
   *
   * @return the problem
   */
  public Problem problem() {
    return problem;
  }

  /**
   * The host the client connected to, as it was given.
   *
   * @return the host name or IP literal
   */
  public String host() {
    return host;
  }

  /**
   * The port the client connected to.
   *
   * @return the port
   */
  public int port() {
    return port;
  }
}
