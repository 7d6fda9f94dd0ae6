package dev.mtls.servlet;

import dev.mtls.core.RejectionReason;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The answer to a refused request: an RFC 9457 problem ({@code application/problem+json}) with
 * the reason code and a fixed sentence per reason. Nothing from the request or the peer's
 * certificate is put in it (the listeners get the peer's details), so it reflects nothing an
 * attacker wrote and tells a stranger nothing about the allow-lists.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9457">RFC 9457</a>
 */
final class Problem {
  /** The reason code of a path refused before any certificate is looked at. */
  static final String NON_CANONICAL_PATH = "NON_CANONICAL_PATH";

  private Problem() {}

  static int status(RejectionReason reason) {
    return switch (reason) {
      case NO_CERTIFICATE -> HttpServletResponse.SC_UNAUTHORIZED;
      case MALFORMED_CERTIFICATE -> HttpServletResponse.SC_BAD_REQUEST;
      default -> HttpServletResponse.SC_FORBIDDEN;
    };
  }

  static String detail(RejectionReason reason) {
    return switch (reason) {
      case NO_CERTIFICATE -> "a client certificate is required for this path";
      case MALFORMED_CERTIFICATE -> "the client certificate cannot be read";
      case UNTRUSTED_ISSUER -> "the client certificate is not issued by a trusted CA";
      case EXPIRED -> "the client certificate has expired";
      case NOT_YET_VALID -> "the client certificate is not valid yet";
      case REVOKED -> "the client certificate is revoked";
      case REVOCATION_UNKNOWN -> "the revocation status of the client certificate cannot be decided";
      case ISSUER_NOT_ALLOWED -> "the client certificate's issuer is not allowed for this path";
      case IDENTITY_NOT_ALLOWED -> "the client certificate's identity is not allowed for this path";
      case WRONG_KEY_USAGE -> "the client certificate is not for client authentication";
    };
  }

  static void send(HttpServletResponse response, RejectionReason reason) throws IOException {
    send(response, status(reason), reason.name(), detail(reason));
  }

  static void send(HttpServletResponse response, int status, String reason, String detail) throws IOException {
    String title = switch (status) {
      case HttpServletResponse.SC_UNAUTHORIZED -> "Unauthorized";
      case HttpServletResponse.SC_FORBIDDEN -> "Forbidden";
      default -> "Bad Request";
    };
    byte[] body = ("{\"type\":\"about:blank\",\"title\":" + Json.quote(title) + ",\"status\":" + status
        + ",\"detail\":" + Json.quote(detail) + ",\"reason\":" + Json.quote(reason) + "}\n")
        .getBytes(StandardCharsets.UTF_8);
    response.resetBuffer();
    response.setStatus(status);
    response.setContentType("application/problem+json");
    response.setHeader("Cache-Control", "no-store");
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
    response.flushBuffer();
  }
}
