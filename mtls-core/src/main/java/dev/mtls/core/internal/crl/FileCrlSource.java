package dev.mtls.core.internal.crl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/** CRLs read from a file (PEM with one or several {@code X509 CRL} blocks, or DER). */
public final class FileCrlSource implements CrlSource {
  private final Path file;

  /**
   * Creates the source.
   *
   * @param file the CRL file
   */
  public FileCrlSource(Path file) {
    this.file = Objects.requireNonNull(file, "file");
  }

  @Override
  public byte[] read() throws IOException {
    try {
      long size = Files.size(file);
      if (size > CrlParser.MAX_BYTES) {
        throw new IOException("file is " + size + " bytes, more than the limit of "
            + CrlParser.MAX_BYTES + " for a CRL file");
      }
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new IOException("file does not exist", e);
    }
  }

  @Override
  public Path file() {
    return file;
  }

  @Override
  public String describe() {
    return file.toString();
  }

  @Override
  public String toString() {
    return "FileCrlSource[" + file + "]";
  }
}
