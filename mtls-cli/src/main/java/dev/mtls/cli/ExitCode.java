package dev.mtls.cli;

/**
 * Exit codes shared by the commands, for scripts and cron.
 *
 * <p>{@code check} uses {@link #OK}, {@link #WARNING} and {@link #BROKEN}; a command that could not
 * do its job at all (an unreadable file, a refused connection) ends with {@link #FAILED}; wrong
 * arguments end with picocli's usage code, {@link #USAGE}.
 */
public final class ExitCode {

  /** Everything as expected. */
  public static final int OK = 0;

  /** Something needs attention soon, nothing is broken yet (for example, a certificate expiring). */
  public static final int WARNING = 1;

  /** Something is broken (expired, mismatched, not leading to the CA, a stale CRL). */
  public static final int BROKEN = 2;

  /** The command could not do its job; the message says why. */
  public static final int FAILED = 3;

  /** The arguments were wrong; usage was printed. */
  public static final int USAGE = 64;

  private ExitCode() {}
}
