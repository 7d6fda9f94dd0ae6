package dev.mtls.core;

import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What every fuzz test asserts about a failure, and the limits every fuzz test applies. A
 * fuzz test fails on any exception other than the documented one, and on a documented one
 * that does not say which file it is about.
 */
public final class FuzzChecks {
  /**
   * The largest input a fuzz test hands to a parser: well above any seed (a PKCS#12 file with a
   * three-certificate chain takes about 3 kB), small enough that the fuzzer's time goes into
   * structure rather than size.
   */
  public static final int MAX_INPUT = 64 * 1024;

  // a line of base64 long enough not to occur in a message by chance
  private static final Pattern SECRET_LINE = Pattern.compile("[A-Za-z0-9+/=]{40,}");

  private FuzzChecks() {}

  /**
   * Whether an input is one to fuzz: not empty (every reader refuses an empty file before
   * parsing anything) and at most {@link #MAX_INPUT} bytes.
   *
   * @param input the fuzzer's input
   * @return whether to hand it on
   */
  public static boolean inBounds(byte[] input) {
    return input.length > 0 && input.length <= MAX_INPUT;
  }

  /**
   * Checks that a load failure names the file that failed, in {@link MtlsLoadException#file()}
   * and in its message, and says what went wrong.
   *
   * @param e the failure
   * @param file the file that was loaded
   * @throws AssertionError (with {@code e} as its cause) when it does not
   */
  public static void checkNamesFile(MtlsLoadException e, Path file) {
    if (!Objects.equals(e.file(), file) || e.getMessage() == null
        || !e.getMessage().contains(file.toString()) || e.problem().isBlank()) {
      throw new AssertionError("a load failure must name the file " + file + ": " + e, e);
    }
  }

  /**
   * Checks that a failure, and every cause it carries into a log, repeats no line of a secret
   * PEM block's base64 body: a message may name a key, never show it.
   *
   * @param e the failure
   * @param pem the PEM text of the key block
   * @throws AssertionError (with {@code e} as its cause) when a message holds a body line
   */
  public static void checkRepeatsNoneOf(Throwable e, String pem) {
    for (String line : pem.split("\n")) {
      if (!SECRET_LINE.matcher(line).matches()) {
        continue;
      }
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t.getMessage() != null && t.getMessage().contains(line)) {
          throw new AssertionError("a failure message repeats the key's text: " + t, e);
        }
      }
    }
  }
}
