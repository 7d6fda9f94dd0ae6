package dev.mtls.core.internal.material;

import dev.mtls.core.MaterialLimits;
import dev.mtls.core.MtlsLoadException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Reads a key, certificate or trust file whole, up to a limit, turning every way that can fail
 * into an {@link MtlsLoadException} that names the file and says what is wrong with it.
 *
 * <p>Only regular files are read (symbolic links are followed): a named pipe or a device
 * would block the loading thread or never end. The size the file system reports is checked
 * before anything is read, and the read itself stops one byte past the limit, so a file that
 * grows meanwhile cannot fill the heap either.
 */
final class MaterialFiles {
  private static final long MIB = 1024 * 1024;
  /** Linux gives up after 40 links; a longer chain is as good as a loop for a message. */
  private static final int MAX_LINKS = 40;

  private MaterialFiles() {}

  /**
   * Reads all bytes of a regular, non-empty file no larger than {@link
   * MaterialLimits#maxFileSize()}.
   *
   * @param what what the file should hold, for the message, such as {@code "private key"}
   * @param file the file
   * @param limits the limits of the source reading it
   * @return its bytes, never empty
   * @throws MtlsLoadException if the file is missing, a directory or not a regular file,
   *     unreadable, empty, or larger than the limit
   */
  static byte[] read(String what, Path file, MaterialLimits limits) {
    return read(what, file, limits.maxFileSize(),
        "the limit of " + size(limits.maxFileSize()) + " for one material file"
            + " (MaterialLimits.maxFileSize)");
  }

  /**
   * Reads all bytes of a regular, non-empty file no larger than {@code maxBytes}.
   *
   * @param what what the file should hold, for the message
   * @param file the file
   * @param maxBytes the most that may be read
   * @param limit the limit for the message, such as {@code "the limit of 1 MiB for one file"}
   * @return its bytes, never empty
   * @throws MtlsLoadException if the file is missing, a directory or not a regular file,
   *     unreadable, empty, or larger than {@code maxBytes}
   */
  static byte[] read(String what, Path file, long maxBytes, String limit) {
    BasicFileAttributes attributes = attributes(what, file, "file");
    if (attributes.isDirectory()) {
      throw new MtlsLoadException(what, file, "is a directory, not a file");
    }
    if (!attributes.isRegularFile()) {
      throw new MtlsLoadException(what, file, "is not a regular file (a named pipe, socket or"
          + " device?); key, certificate and trust material is read from regular files only");
    }
    if (attributes.size() > maxBytes) {
      throw new MtlsLoadException(what, file, "file is " + size(attributes.size())
          + ", more than " + limit + "; nothing was read");
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(Math.toIntExact(maxBytes + 1));
    } catch (NoSuchFileException e) {
      throw new MtlsLoadException(what, file, "file does not exist", e);
    } catch (AccessDeniedException e) {
      throw new MtlsLoadException(what, file, "file is not readable (permission denied)", e);
    } catch (IOException e) {
      throw new MtlsLoadException(what, file, "file cannot be read (" + e + ")", e);
    }
    if (bytes.length > maxBytes) {
      throw new MtlsLoadException(what, file, "file grew to more than " + limit
          + " while being read");
    }
    if (bytes.length == 0) {
      throw new MtlsLoadException(what, file, "file is empty");
    }
    return bytes;
  }

  /**
   * A size for messages, with the exact count of bytes.
   *
   * @param bytes a size
   * @return such as {@code 1,048,576 bytes (1 MiB)} or {@code 1,500 bytes}
   */
  static String size(long bytes) {
    String exact = String.format(Locale.ROOT, "%,d bytes", bytes);
    if (bytes >= MIB && bytes % MIB == 0) {
      return exact + " (" + bytes / MIB + " MiB)";
    }
    return bytes >= MIB
        ? exact + String.format(Locale.ROOT, " (%.1f MiB)", bytes / (double) MIB)
        : exact;
  }

  /**
   * The attributes of a file or directory, following symbolic links, with every way that can
   * fail said in words: missing (and where a dangling link points), not readable, a link loop.
   *
   * @param what what the path should hold, for the message
   * @param path the file or directory
   * @param noun {@code "file"} or {@code "directory"}, for the message
   * @return its attributes
   * @throws MtlsLoadException naming the path, if they cannot be read
   */
  static BasicFileAttributes attributes(String what, Path path, String noun) {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      Path target = linkTarget(path);
      throw new MtlsLoadException(what, path, noun + " does not exist" + (target == null
          ? ""
          : " (a symbolic link to " + target + ", which does not exist)"), e);
    } catch (AccessDeniedException e) {
      throw new MtlsLoadException(what, path, noun + " is not readable (permission denied)", e);
    } catch (FileSystemException e) {
      String loop = linkLoop(path);
      if (loop != null) {
        throw new MtlsLoadException(what, path, "symbolic link loop: " + loop, e);
      }
      throw new MtlsLoadException(what, path, noun + " cannot be read (" + e.getReason() + ")", e);
    } catch (IOException e) {
      throw new MtlsLoadException(what, path, noun + " cannot be read (" + e + ")", e);
    }
  }

  private static @Nullable Path linkTarget(Path file) {
    try {
      return Files.isSymbolicLink(file) ? Files.readSymbolicLink(file) : null;
    } catch (IOException | UnsupportedOperationException e) {
      return null;
    }
  }

  /** The links from {@code file} round to where they repeat, or {@code null} if they do not. */
  private static @Nullable String linkLoop(Path file) {
    List<Path> seen = new ArrayList<>();
    Path current = file.toAbsolutePath().normalize();
    for (int i = 0; i <= MAX_LINKS; i++) {
      if (seen.contains(current)) {
        seen.add(current);
        return seen.stream().map(Path::toString).collect(Collectors.joining(" -> "));
      }
      Path target = linkTarget(current);
      if (target == null) {
        return null;
      }
      seen.add(current);
      Path parent = current.getParent();
      current = (parent == null ? target : parent.resolve(target)).normalize();
    }
    return "more than " + MAX_LINKS + " symbolic links from " + file;
  }
}
