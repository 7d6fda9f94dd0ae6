package dev.mtls.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/** Writes the testkit's output files; secrets get owner-only permissions where POSIX allows. */
final class FileWriting {
  private static final Set<PosixFilePermission> OWNER_ONLY =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

  private FileWriting() {}

  /** Writes a public file (a certificate, a CRL), creating its parent directories. */
  static Path writePublic(Path file, String text, String what) {
    return write(file, text.getBytes(StandardCharsets.US_ASCII), false, what);
  }

  /** Writes a file holding a secret: readable and writable by its owner only. */
  static Path writeSecret(Path file, byte[] content, String what) {
    return write(file, content, true, what);
  }

  static Path write(Path file, byte[] content, boolean secret, String what) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      if (secret && supportsPosix(file)) {
        // Restrict the file before the secret is in it, not after.
        if (Files.exists(file)) {
          Files.setPosixFilePermissions(file, OWNER_ONLY);
        } else {
          Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        }
      }
      Files.write(file, content);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + what + " to " + file + ": " + e, e);
    }
  }

  static boolean supportsPosix(Path file) {
    Path absolute = file.toAbsolutePath();
    return absolute.getFileSystem().supportedFileAttributeViews().contains("posix")
        && Files.getFileAttributeView(absolute.getParent(), PosixFileAttributeView.class) != null;
  }

  /** Deletes a file or a directory tree; symbolic links are deleted, never followed. */
  static void deleteRecursively(Path directory) throws IOException {
    if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
        for (Path entry : entries) {
          deleteRecursively(entry);
        }
      }
    }
    Files.delete(directory);
  }
}
