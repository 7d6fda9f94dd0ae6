package dev.mtls.cli.server;

import dev.mtls.core.RejectionReason;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The problem answers ({@code application/problem+json}, RFC 9457) every engine sends: for a
 * refused peer the same text, byte for byte, as {@code dev.mtls.servlet.MtlsFilter} (whose own
 * table is not public), so that the Netty engine answers what the servlet engines answer; and
 * the 404 of a path without an endpoint.
 */
final class Problems {
  /** The media type of every problem answer. */
  static final String MEDIA_TYPE = "application/problem+json";
  /** The reason of a path refused before any certificate is looked at, as the filter names it. */
  static final String NON_CANONICAL_PATH = "NON_CANONICAL_PATH";

  private Problems() {}

  /** The answer to a peer refused for a reason. */
  static Reply refused(RejectionReason reason) {
    return problem(status(reason), reason.name(), detail(reason));
  }

  /** The answer to a path that is not in canonical form. */
  static Reply nonCanonicalPath() {
    return problem(400, NON_CANONICAL_PATH, "the request path is not in canonical form");
  }

  /** The answer to a path without an endpoint: nothing of the path is repeated. */
  static Reply notFound() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "about:blank");
    body.put("title", "Not Found");
    body.put("status", 404);
    body.put("detail", "there is no endpoint at this path");
    return new Reply(404, MEDIA_TYPE, dev.mtls.cli.text.Json.write(body) + "\n");
  }

  /** The answer when an endpoint failed: what failed goes to the log, not to the peer. */
  static Reply internalError() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "about:blank");
    body.put("title", "Internal Server Error");
    body.put("status", 500);
    body.put("detail", "the endpoint failed; the server's log says why");
    return new Reply(500, MEDIA_TYPE, dev.mtls.cli.text.Json.write(body) + "\n");
  }

  private static int status(RejectionReason reason) {
    return switch (reason) {
      case NO_CERTIFICATE -> 401;
      case MALFORMED_CERTIFICATE -> 400;
      default -> 403;
    };
  }

  private static String detail(RejectionReason reason) {
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

  private static Reply problem(int status, String reason, String detail) {
    String title = switch (status) {
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      default -> "Bad Request";
    };
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "about:blank");
    body.put("title", title);
    body.put("status", status);
    body.put("detail", detail);
    body.put("reason", reason);
    return new Reply(status, MEDIA_TYPE, dev.mtls.cli.text.Json.write(body) + "\n");
  }
}
