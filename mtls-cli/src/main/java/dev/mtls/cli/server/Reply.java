package dev.mtls.cli.server;

import dev.mtls.cli.text.Json;
import java.util.Objects;

/**
 * What an {@link Endpoint} answers.
 *
 * @param status the HTTP status
 * @param contentType the media type of the body
 * @param body the body
 */
public record Reply(int status, String contentType, String body) {

  /** Checks the parts. */
  public Reply {
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(body, "body");
  }

  /**
   * A JSON answer.
   *
   * @param status the HTTP status
   * @param value what {@link Json#write} writes
   * @return the reply
   */
  public static Reply json(int status, Object value) {
    return new Reply(status, "application/json", Json.write(value));
  }
}
