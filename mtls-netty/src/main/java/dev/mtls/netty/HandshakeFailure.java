package dev.mtls.netty;

import dev.mtls.core.RejectionReason;
import java.util.Optional;

/**
 * Reads a failed handshake's exception for what {@link PeerVerificationEvent} says about it.
 *
 * <p>Core reads the reason ({@link RejectionReason#ofHandshakeFailure}): its trust manager's
 * {@link dev.mtls.core.PeerRejectedException}, which both providers keep among the causes, or
 * a client without a certificate refused by the JDK's or Bouncy Castle's provider, which the
 * core context's engines reported already. A server's client that sent no certificate on the
 * OpenSSL provider is refused before any trust manager runs, and nobody has reported it yet:
 * BoringSSL says {@code PEER_DID_NOT_RETURN_A_CERTIFICATE}.
 */
final class HandshakeFailure {
  private static final int MAX_CAUSES = 8;
  private static final int MAX_DETAIL = 300;
  private static final String OPENSSL_NO_CLIENT_CERTIFICATE = "PEER_DID_NOT_RETURN_A_CERTIFICATE";

  private HandshakeFailure() {}

  /** The reason core reads in the failure (it reported those refusals itself). */
  static Optional<RejectionReason> rejectionReason(Throwable failure) {
    return RejectionReason.ofHandshakeFailure(failure);
  }

  /** Whether the OpenSSL provider refused a client that sent no certificate (unreported so far). */
  static boolean openSslRefusedWithoutCertificate(Throwable failure) {
    Throwable current = failure;
    for (int depth = 0; current != null && depth < MAX_CAUSES; depth++, current = current.getCause()) {
      String message = current.getMessage();
      if (message != null && message.contains(OPENSSL_NO_CLIENT_CERTIFICATE)) {
        return true;
      }
    }
    return false;
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
