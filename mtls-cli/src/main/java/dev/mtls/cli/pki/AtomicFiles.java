package dev.mtls.cli.pki;

import dev.mtls.cli.CliException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes the PKI's files so that a reader (a service watching them) sees the old content or the
 * new, never a half-written file: the text goes to a temporary file in the same directory,
 * reaches the disk, and is renamed over the target in one atomic move. Key files are created
 * owner-only ({@code rw-------}) before the key is written into them, never restricted after.
 */
final class AtomicFiles {
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");

  private AtomicFiles() {}

  /** Writes a certificate, chain, CRL or inventory: readable by everyone. */
  static void writePublic(Path file, String text) {
    write(file, text, false);
  }

  /** Writes a private key: readable and writable by the owner only. */
  static void writeSecret(Path file, String text) {
    write(file, text, true);
  }

  private static void write(Path file, String text, boolean secret) {
    Path directory = file.toAbsolutePath().getParent();
    Path temporary = null;
    try {
      temporary = Files.createTempFile(directory, "." + file.getFileName(), ".tmp",
          permissions(directory, secret ? OWNER_ONLY : PUBLIC));
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
        while (bytes.hasRemaining()) {
          channel.write(bytes);
        }
        channel.force(true);
      }
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
      temporary = null;
    } catch (AtomicMoveNotSupportedException e) {
      throw new CliException("cannot replace " + file + " atomically on this file system: " + e.getMessage());
    } catch (IOException e) {
      throw new CliException("cannot write " + file + ": " + e);
    } finally {
      if (temporary != null) {
        try {
          Files.deleteIfExists(temporary);
        } catch (IOException e) {
          // The write already failed and says so; a stray temporary file is named by its dot.
        }
      }
    }
  }

  private static FileAttribute<?>[] permissions(Path directory, Set<PosixFilePermission> permissions) {
    boolean posix = directory.getFileSystem().supportedFileAttributeViews().contains("posix");
    return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)}
        : new FileAttribute<?>[0];
  }
}
