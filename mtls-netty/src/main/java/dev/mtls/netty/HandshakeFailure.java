package dev.mtls.netty;

import dev.mtls.core.PeerRejectedException;
import dev.mtls.core.RejectionReason;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;

/**
 * Reads a failed handshake's exception for what {@link PeerVerificationEvent} says about it.
 *
 * <p>The core's trust manager refuses a peer with a {@link PeerRejectedException} carrying the
 * typed verdict; both providers keep it in the handshake failure's causes. A server's client that sent no certificate is refused by the provider before any
 * trust manager runs: BoringSSL says {@code PEER_DID_NOT_RETURN_A_CERTIFICATE}, and nobody has
 * reported it yet; SunJSSE says {@code Empty client certificate chain} (JDK 25 prefixes the
 * alert), and the core context's engines reported it already.
 */
final class HandshakeFailure {
  private static final int MAX_CAUSES = 8;
  private static final int MAX_DETAIL = 300;
  private static final String OPENSSL_NO_CLIENT_CERTIFICATE = "PEER_DID_NOT_RETURN_A_CERTIFICATE";
  private static final String JDK_NO_CLIENT_CERTIFICATE = "Empty client certificate chain";

  /** Whether a failed server handshake refused a client that sent no certificate, and who reported it. */
  enum NoCertificate {
    /** Another failure. */
    NO,
    /** Refused by SunJSSE in the core context's engine, which reported it. */
    REPORTED,
    /** Refused by OpenSSL: not reported yet. */
    UNREPORTED
  }

  private HandshakeFailure() {}

  static Optional<RejectionReason> rejectionReason(Throwable failure) {
    Throwable current = failure;
    for (int depth = 0; current != null && depth < MAX_CAUSES; depth++, current = current.getCause()) {
      if (current instanceof PeerRejectedException refused && refused.rejection() != null) {
        return Optional.of(refused.rejection().reason());
      }
    }
    return Optional.empty();
  }

  static NoCertificate noClientCertificate(Throwable failure) {
    Throwable current = failure;
    for (int depth = 0; current != null && depth < MAX_CAUSES; depth++, current = current.getCause()) {
      String message = current.getMessage();
      if (message != null && message.contains(OPENSSL_NO_CLIENT_CERTIFICATE)) {
        return NoCertificate.UNREPORTED;
      }
      if (message != null && current instanceof SSLHandshakeException && message.endsWith(JDK_NO_CLIENT_CERTIFICATE)) {
        return NoCertificate.REPORTED;
      }
    }
    return NoCertificate.NO;
  }

  /** The failure in one bounded line: providers quote peers' certificates in their messages. */
  static String describe(Throwable failure) {
    String text = failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
    StringBuilder line = new StringBuilder(Math.min(text.length(), MAX_DETAIL) + 8);
    for (int i = 0; i < text.length() && line.length() < MAX_DETAIL; i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c)) {
        line.append(String.format("\\u%04x", (int) c));
      } else {
        line.append(c);
      }
    }
    return text.length() > MAX_DETAIL ? line.append("...").toString() : line.toString();
  }
}
