package dev.mtls.core;

import org.jspecify.annotations.Nullable;

/**
 * A {@code TLS_*} setting is unknown, malformed, out of its bounds, or contradicts another.
 * The message names the key and, quoted, the value at fault (never a password): one line,
 * with control and invisible characters escaped and long values cut, since both come from
 * the environment.
 */
public final class MtlsSettingsException extends MtlsException {
  private static final long serialVersionUID = 1L;

  private final String key;

  /**
   * Creates the exception.
   *
   * @param key the setting at fault, such as {@code TLS_VERIFY_MODE}
   * @param message what is wrong with it; escaped onto one line here
   * @param cause the underlying failure, or {@code null}
   */
  public MtlsSettingsException(String key, String message, @Nullable Throwable cause) {
    super(SafeText.printable(key) + ": " + SafeText.line(message), cause);
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
