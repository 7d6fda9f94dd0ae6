package dev.mtls.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns an exception a command did not handle into one line on the error stream and
 * {@link ExitCode#FAILED}: no stack trace for users, since every message the library writes names
 * the file and the problem. {@link CliException} carries its own exit code.
 */
final class Failures implements IExecutionExceptionHandler {

  @Override
  public int handleExecutionException(Exception e, CommandLine line, ParseResult parsed) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    line.getErr().println("mtls " + line.getCommandName() + ": " + message);
    line.getErr().flush();
    return e instanceof CliException cli ? cli.exitCode() : ExitCode.FAILED;
  }
}
