package dev.mtls.core;

import java.nio.file.Path;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Key, certificate, trust or CRL material could not be loaded or did not pass its checks.
 * The message names the file (where there is one) and the problem in words a user can act
 * on, for example {@code cannot load private key from /etc/tls/key.pem: encrypted PKCS#8
 * key but no password was given}. Never contains key material or passwords; the message is
 * one line, with control characters from file or certificate names escaped.
 */
public final class MtlsLoadException extends MtlsException {
  private static final long serialVersionUID = 1L;

  private final transient @Nullable Path file;
  private final String problem;

  /**
   * Creates an exception for a file.
   *
   * @param what what was being loaded, such as {@code "private key"} or {@code "trust anchors"}
   * @param file the file it was loaded from, or {@code null} for in-memory material
   * @param problem what is wrong, such as {@code "no private key in file"}
   * @param cause the underlying failure, or {@code null}
   */
  public MtlsLoadException(String what, @Nullable Path file, String problem, @Nullable Throwable cause) {
    // File names and certificate text come from outside: one line, escaped, however built.
    super(
        SafeText.line("cannot load " + Objects.requireNonNull(what, "what")
            + (file == null ? "" : " from " + file)
            + ": " + Objects.requireNonNull(problem, "problem")),
        cause);
    this.file = file;
    this.problem = SafeText.line(problem);
  }

  /**
   * Creates an exception for a file, without a cause.
   *
   * @param what what was being loaded, such as {@code "private key"}
   * @param file the file it was loaded from, or {@code null} for in-memory material
   * @param problem what is wrong
   */
  public MtlsLoadException(String what, @Nullable Path file, String problem) {
    this(what, file, problem, null);
  }

  /**
   * The file that failed, or {@code null} when the material was given in memory.
   *
   * @return the file, or {@code null}
   */
  public @Nullable Path file() {
    return file;
  }

  /**
   * The problem alone, without the file name, such as {@code "wrong password"}.
   *
   * @return the problem
   */
  public String problem() {
    return problem;
  }
}
