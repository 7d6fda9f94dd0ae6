package dev.mtls.core.internal.material;

import dev.mtls.core.MtlsLoadException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a key, certificate or trust file whole, turning every way that can fail into an
 * {@link MtlsLoadException} that names the file and says what is wrong with it.
 */
final class MaterialFiles {
  private MaterialFiles() {}

  /**
   * Reads all bytes of a regular, non-empty file.
   *
   * @param what what the file should hold, for the message, such as {@code "private key"}
   * @param file the file
   * @return its bytes, never empty
   * @throws MtlsLoadException if the file is missing, a directory, unreadable or empty
   */
  static byte[] read(String what, Path file) {
    if (Files.isDirectory(file)) {
      throw new MtlsLoadException(what, file, "is a directory, not a file");
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new MtlsLoadException(what, file, "file does not exist", e);
    } catch (AccessDeniedException e) {
      throw new MtlsLoadException(what, file, "file is not readable (permission denied)", e);
    } catch (IOException e) {
      throw new MtlsLoadException(what, file, "file cannot be read (" + e + ")", e);
    }
    if (bytes.length == 0) {
      throw new MtlsLoadException(what, file, "file is empty");
    }
    return bytes;
  }
}
