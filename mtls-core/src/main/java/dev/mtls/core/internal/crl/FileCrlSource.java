package dev.mtls.core.internal.crl;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * CRLs read from a file (PEM with one or several {@code X509 CRL} blocks, or DER). Only a
 * regular file is read (a named pipe would block the loading thread), its size is checked
 * before anything is read, and the read stops one byte past the limit, so a file that grows
 * meanwhile cannot fill the heap either.
 */
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
  public byte[] read(long maxBytes) throws IOException {
    try {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      if (attributes.isDirectory()) {
        throw new IOException("is a directory, not a file");
      }
      if (!attributes.isRegularFile()) {
        throw new IOException("is not a regular file (a named pipe, socket or device?)");
      }
      if (attributes.size() > maxBytes) {
        throw new IOException("file is " + attributes.size() + " bytes, more than the limit of "
            + maxBytes + " bytes for a CRL source (Revocation.Builder.maxCrlSize); nothing was read");
      }
      byte[] bytes;
      try (InputStream in = Files.newInputStream(file)) {
        bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
      }
      if (bytes.length > maxBytes) {
        throw new IOException("file grew to more than the limit of " + maxBytes
            + " bytes for a CRL source (Revocation.Builder.maxCrlSize) while being read");
      }
      if (bytes.length == 0) {
        throw new IOException("file is empty");
      }
      return bytes;
    } catch (NoSuchFileException e) {
      throw new IOException("file does not exist", e);
    } catch (AccessDeniedException e) {
      throw new IOException("file is not readable (permission denied)", e);
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
