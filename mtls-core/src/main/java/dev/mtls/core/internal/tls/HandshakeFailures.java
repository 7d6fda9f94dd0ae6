package dev.mtls.core.internal.tls;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.TlsFatalAlert;

/**
 * Reads a failed handshake's exception where it is the only account of why the handshake
 * failed: a client that sends no certificate to a server that requires one is refused by the
 * provider itself, and neither provider calls the trust manager with an empty chain, so the
 * listener hears of it only if the engine or socket that failed reports it.
 *
 * <p>What the providers raise on the server (bctls 1.84; JDK 17 and 25):
 * <ul>
 * <li>SunJSSE, sockets and engines, TLS 1.3 and 1.2: {@code SSLHandshakeException} without a
 *     cause, message {@code "Empty client certificate chain"}; JDK 25 prefixes the alert it
 *     sends: {@code "(certificate_required) Empty client certificate chain"} (TLS 1.3),
 *     {@code "(handshake_failure) Empty client certificate chain"} (TLS 1.2). JDK 17 sends
 *     {@code bad_certificate} for both.
 * <li>BCJSSE: {@code org.bouncycastle.tls.TlsFatalAlert} without a cause, raised in
 *     {@code ProvTlsServer.notifyClientCertificate}: {@code certificate_required(116)} in TLS
 *     1.3, {@code handshake_failure(40)} in TLS 1.2. Sockets throw it as it is (it is an
 *     {@code IOException}, not an {@code SSLException}); engines wrap it in a plain
 *     {@code SSLException}. A peer's alert arrives as {@code TlsFatalAlertReceived}, another
 *     class.
 * </ul>
 */
public final class HandshakeFailures {
  private static final int MAX_CAUSES = 8;
  private static final String JDK_NO_CLIENT_CERTIFICATE = "Empty client certificate chain";
  private static final String BC_FATAL_ALERT = "org.bouncycastle.tls.TlsFatalAlert";

  private HandshakeFailures() {}

  /**
   * Whether a server-side handshake failed because the client sent no certificate while one
   * was required: raised by this side's provider, not an alert received from the peer.
   *
   * @param failure what the engine or socket threw, or one of its causes
   * @return {@code true} for a refused client without a certificate, on either provider
   */
  public static boolean isNoClientCertificate(Throwable failure) {
    Throwable current = failure;
    for (int depth = 0; current != null && depth < MAX_CAUSES; depth++) {
      if (current instanceof javax.net.ssl.SSLHandshakeException && current.getCause() == null
          && current.getMessage() != null && current.getMessage().endsWith(JDK_NO_CLIENT_CERTIFICATE)) {
        return true;
      }
      // Compare by name first: this class is loaded without bctls too.
      if (current.getClass().getName().equals(BC_FATAL_ALERT)) {
        return Bc.isNoClientCertificate(current);
      }
      current = current.getCause();
    }
    return false;
  }

  /** Touches bctls classes; loaded only when a BCJSSE alert is in hand. */
  private static final class Bc {
    private static boolean isNoClientCertificate(Throwable failure) {
      TlsFatalAlert alert = (TlsFatalAlert) failure;
      if (alert.getCause() != null) {
        return false; // a trust manager's refusal, say
      }
      short description = alert.getAlertDescription();
      if (description == AlertDescription.certificate_required) {
        return true; // RFC 8446: sent only when a required client certificate is missing
      }
      // TLS 1.2 has no such alert: handshake_failure also means, say, no common cipher suite.
      StackTraceElement[] trace = alert.getStackTrace();
      return description == AlertDescription.handshake_failure && trace.length > 0
          && trace[0].getClassName().equals("org.bouncycastle.jsse.provider.ProvTlsServer")
          && trace[0].getMethodName().equals("notifyClientCertificate");
    }
  }
}
