package dev.mtls.core.internal.crl;

import org.jspecify.annotations.Nullable;

/**
 * A CRL source could not be read, parsed or accepted. The message is the problem in words,
 * without the source (callers add it), and never contains CRL bytes.
 */
public final class CrlException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param problem what is wrong
   * @param cause the underlying failure, or {@code null}
   */
  public CrlException(String problem, @Nullable Throwable cause) {
    super(problem, cause);
  }

  /**
   * Creates the exception without a cause.
   *
   * @param problem what is wrong
   */
  public CrlException(String problem) {
    super(problem);
  }
}
