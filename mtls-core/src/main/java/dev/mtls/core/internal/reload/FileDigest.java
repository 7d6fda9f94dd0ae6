package dev.mtls.core.internal.reload;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A fingerprint of what a set of files holds now: their contents (following symbolic links,
 * so a Kubernetes {@code ..data} swap changes it), or for a directory the contents of every
 * visible file in it. Comparing contents rather than modification times catches rewrites
 * within the same second and ignores a touch that changed nothing.
 *
 * <p>Taken before material is loaded, it says which file contents that material came from:
 * taken after, it could describe a newer rotation than the one loaded, which would then
 * never be reloaded.
 */
public final class FileDigest {
  private final byte[] sha256;

  private FileDigest(byte[] sha256) {
    this.sha256 = sha256;
  }

  /**
   * Reads the files now. A missing or unreadable file is part of the fingerprint (so its
   * disappearance is a change), never an error.
   *
   * @param files files or directories
   * @return the fingerprint
   */
  public static FileDigest of(List<Path> files) {
    MessageDigest digest = sha256();
    for (Path file : files) {
      add(digest, file, true);
    }
    return new FileDigest(digest.digest());
  }

  private static void add(MessageDigest digest, Path file, boolean descend) {
    digest.update(file.toString().getBytes(StandardCharsets.UTF_8));
    try {
      if (descend && Files.isDirectory(file)) {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(file)) {
          for (Path entry : stream) {
            if (!entry.getFileName().toString().startsWith(".")) {
              entries.add(entry);
            }
          }
        }
        entries.sort(null);
        for (Path entry : entries) {
          add(digest, entry, false);
        }
      } else if (Files.isRegularFile(file)) {
        digest.update((byte) 1);
        digest.update(Files.readAllBytes(file));
      } else {
        digest.update((byte) 2);
      }
    } catch (NoSuchFileException e) {
      digest.update((byte) 3);
    } catch (IOException e) {
      digest.update((byte) 4);
      digest.update(e.getClass().getName().getBytes(StandardCharsets.UTF_8));
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FileDigest other && Arrays.equals(sha256, other.sha256);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(sha256);
  }
}
