package dev.mtls.core;

import org.jspecify.annotations.Nullable;

/**
 * The base of the library's own exceptions: configuration that cannot work, or material
 * that cannot be loaded. The message always says what, which and why.
 */
public class MtlsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message and an optional cause.
   *
   * @param message what went wrong, naming the file, key or value involved
   * @param cause the underlying failure, or {@code null}
   */
  public MtlsException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  /**
   * Creates an exception with a message.
   *
   * @param message what went wrong, naming the file, key or value involved
   */
  public MtlsException(String message) {
    super(message);
  }
}
