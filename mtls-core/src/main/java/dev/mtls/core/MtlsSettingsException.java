package dev.mtls.core;

import org.jspecify.annotations.Nullable;

/**
 * A {@code TLS_*} setting is unknown, malformed, or contradicts another. The message names
 * the key (never a password's value).
 */
public final class MtlsSettingsException extends MtlsException {
  private static final long serialVersionUID = 1L;

  private final String key;

  /**
   * Creates the exception.
   *
   * @param key the setting at fault, such as {@code TLS_VERIFY_MODE}
   * @param message what is wrong with it
   * @param cause the underlying failure, or {@code null}
   */
  public MtlsSettingsException(String key, String message, @Nullable Throwable cause) {
    super(key + ": " + message, cause);
    this.key = key;
  }

  /**
   * The setting at fault.
   *
   * @return the key, in its {@code TLS_*} spelling
   */
  public String key() {
    return key;
  }
}
