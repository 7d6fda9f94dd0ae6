package dev.mtls.core.internal.reload;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A fingerprint of what a set of files holds now: their contents (following symbolic links,
 * so a Kubernetes {@code ..data} swap changes it), or for a directory the contents of every
 * visible file in it. Comparing contents rather than modification times catches rewrites
 * within the same second and ignores a touch that changed nothing.
 *
 * <p>Taken before material is loaded, it says which file contents that material came from:
 * taken after, it could describe a newer rotation than the one loaded, which would then
 * never be reloaded.
 *
 * <p>Contents are hashed as a stream, never held whole. A fingerprint taken again
 * {@linkplain #of(List, FileDigest) after an earlier one} hashes again only the files whose
 * size, modification time or identity (inode) the file system reports changed; a file
 * modified within {@link #RACY} of being hashed is hashed again anyway, since a coarse clock
 * (one or two seconds on some file systems) could hide a rewrite of the same size.
 */
public final class FileDigest {
  /** How close to its hashing a modification must be for the file's attributes not to be trusted. */
  static final Duration RACY = Duration.ofSeconds(2);

  private final byte[] sha256;
  private final Map<Path, Hashed> hashed;

  private FileDigest(byte[] sha256, Map<Path, Hashed> hashed) {
    this.sha256 = sha256;
    this.hashed = hashed;
  }

  /** A file's attributes when its contents were hashed, and the hash. */
  private record Hashed(long size, FileTime modified, @Nullable Object fileKey, Instant at, byte[] sha256) {
    boolean stillDescribes(BasicFileAttributes now) {
      return size == now.size() && modified.equals(now.lastModifiedTime())
          && fileKey != null && fileKey.equals(now.fileKey())
          && modified.toInstant().isBefore(at.minus(RACY));
    }
  }

  /**
   * Reads the files now. A missing or unreadable file is part of the fingerprint (so its
   * disappearance is a change), never an error.
   *
   * @param files files or directories
   * @return the fingerprint
   */
  public static FileDigest of(List<Path> files) {
    return of(files, null);
  }

  /**
   * Reads the files now, hashing again only those the file system reports changed since
   * {@code earlier} hashed them.
   *
   * @param files files or directories
   * @param earlier an earlier fingerprint of the same files, or {@code null} to hash them all
   * @return the fingerprint, equal to a fresh {@link #of(List)}
   */
  public static FileDigest of(List<Path> files, @Nullable FileDigest earlier) {
    MessageDigest digest = sha256();
    Map<Path, Hashed> hashed = new HashMap<>();
    Map<Path, Hashed> known = earlier == null ? Map.of() : earlier.hashed;
    for (Path file : files) {
      add(digest, file, true, known, hashed);
    }
    return new FileDigest(digest.digest(), hashed);
  }

  private static void add(MessageDigest digest, Path file, boolean descend, Map<Path, Hashed> known,
      Map<Path, Hashed> hashed) {
    digest.update(file.toString().getBytes(StandardCharsets.UTF_8));
    try {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      if (descend && attributes.isDirectory()) {
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
          add(digest, entry, false, known, hashed);
        }
      } else if (attributes.isRegularFile()) {
        Hashed before = known.get(file);
        Hashed now = before != null && before.stillDescribes(attributes) ? before : hash(file, attributes);
        hashed.put(file, now);
        digest.update((byte) 1);
        digest.update(now.sha256());
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

  private static Hashed hash(Path file, BasicFileAttributes attributes) throws IOException {
    Instant at = Instant.now();
    MessageDigest content = sha256();
    byte[] buffer = new byte[8192];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        content.update(buffer, 0, n);
      }
    }
    return new Hashed(attributes.size(), attributes.lastModifiedTime(), attributes.fileKey(), at,
        content.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof FileDigest other && Arrays.equals(sha256, other.sha256);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(sha256);
  }

  @Override
  public String toString() {
    return "FileDigest{" + hashed.size() + " files}";
  }
}
