package dev.mtls.cli.pki;

import dev.mtls.cli.CliException;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The password of the PKI's encrypted keys: from a file (its first line) or typed at the
 * terminal, never from an argument, where {@code ps} and the shell history would show it.
 */
final class Passwords {
  private static final int MAX_FILE_SIZE = 4096;

  private Passwords() {}

  /**
   * Reads the password.
   *
   * @param file the password file, or null to ask at the terminal
   * @param confirm whether to ask twice at the terminal (a new password)
   */
  static char[] read(@Nullable Path file, boolean confirm) {
    if (file != null) {
      return fromFile(file);
    }
    Console console = System.console();
    if (console == null) {
      throw new CliException("the keys are encrypted and there is no terminal to ask for the"
          + " password: give --password-file FILE");
    }
    char[] password = console.readPassword("Password for the private keys: ");
    if (password == null || password.length == 0) {
      throw new CliException("no password given");
    }
    if (confirm) {
      char[] again = console.readPassword("Again: ");
      boolean same = Arrays.equals(password, again);
      if (again != null) {
        Arrays.fill(again, '\0');
      }
      if (!same) {
        Arrays.fill(password, '\0');
        throw new CliException("the passwords differ");
      }
    }
    return password;
  }

  private static char[] fromFile(Path file) {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_FILE_SIZE + 1);
    } catch (IOException e) {
      throw new CliException("cannot read the password file " + file + ": " + e);
    }
    try {
      if (bytes.length > MAX_FILE_SIZE) {
        throw new CliException("the password file " + file + " is larger than " + MAX_FILE_SIZE
            + " bytes: it should hold one line, the password");
      }
      int end = 0;
      while (end < bytes.length && bytes[end] != '\n' && bytes[end] != '\r') {
        end++;
      }
      if (end == 0) {
        throw new CliException("the password file " + file + " is empty: its first line is the password");
      }
      CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
          .decode(ByteBuffer.wrap(bytes, 0, end));
      char[] password = new char[chars.remaining()];
      chars.get(password);
      Arrays.fill(chars.array(), '\0');
      return password;
    } catch (CharacterCodingException e) {
      throw new CliException("the password file " + file + " is not UTF-8 text");
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }
}
