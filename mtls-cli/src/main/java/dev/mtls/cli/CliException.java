package dev.mtls.cli;

/**
 * A failure a command reports to the user as one line and an exit code, with no stack trace.
 * The message says what went wrong and, where it can, what to do.
 */
public final class CliException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int exitCode;

  /**
   * A failure ending with {@link ExitCode#FAILED}.
   *
   * @param message what went wrong, naming the file or address
   */
  public CliException(String message) {
    this(message, ExitCode.FAILED);
  }

  /**
   * A failure ending with the given code.
   *
   * @param message what went wrong, naming the file or address
   * @param exitCode the process exit code
   */
  public CliException(String message, int exitCode) {
    super(message);
    this.exitCode = exitCode;
  }

  /**
   * The process exit code.
   *
   * @return the code {@code main} ends with
   */
  public int exitCode() {
    return exitCode;
  }
}
