package dev.mtls.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A directory updated the way the kubelet updates a mounted Kubernetes secret, so that
 * hot-reload code can be tested against the real thing: files appear as symbolic links
 * {@code <name> -> ..data/<name>}, and {@code ..data} is itself a link to a timestamped
 * directory that an update replaces in one atomic rename.
 *
 * <pre>{@code
 * KubernetesSecretDirectory secret = KubernetesSecretDirectory.create(directory);
 * secret.update(ca.server("localhost"));             // tls.crt, tls.key, ca.crt
 * // start the code under test on secret.file("tls.crt") and secret.file("tls.key") ...
 * secret.update(ca.server("localhost"));             // a rotation, as the kubelet does it
 * }</pre>
 *
 * <p>Each {@link #update(Map)} follows the kubelet's {@code AtomicWriter}: it writes the files
 * into a fresh directory named like {@code ..2026_11_25_03_10_00.123456789}, points a new link
 * {@code ..data_tmp} at it (a relative link), renames {@code ..data_tmp} over {@code ..data}
 * atomically, creates the missing {@code <name> -> ..data/<name>} links, removes the links of
 * names no longer present and deletes the previous timestamped directory. Unlike the kubelet,
 * it also swaps when nothing changed, so that every update is an event to the code under
 * test. Files are written readable by their owner only.
 *
 * <p>Needs a file system with symbolic links (any POSIX system). Updates are serialized.
 */
public final class KubernetesSecretDirectory {
  private static final String DATA = "..data";
  private static final String DATA_TMP = "..data_tmp";
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("'..'yyyy_MM_dd_HH_mm_ss.").withZone(ZoneOffset.UTC);

  private final Path directory;

  private KubernetesSecretDirectory(Path directory) {
    this.directory = directory;
  }

  /**
   * Creates the directory (and its parents) if needed; it holds no files until the first
   * {@link #update(Map)}.
   *
   * @param directory the directory the secret is "mounted" at
   * @return the secret directory
   */
  public static KubernetesSecretDirectory create(Path directory) {
    Objects.requireNonNull(directory, "directory");
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create secret directory " + directory + ": " + e, e);
    }
    return new KubernetesSecretDirectory(directory);
  }

  /**
   * Returns the directory the secret is mounted at.
   *
   * @return the directory given to {@link #create(Path)}
   */
  public Path directory() {
    return directory;
  }

  /**
   * Returns the {@code ..data} link, which points to the current timestamped directory.
   *
   * @return {@code directory/..data}
   */
  public Path dataDirectory() {
    return directory.resolve(DATA);
  }

  /**
   * Returns the user-visible path of a file, as code under test is configured with it.
   *
   * @param name a file name such as {@code tls.crt}
   * @return {@code directory/name}, a link to {@code ..data/name} once written
   */
  public Path file(String name) {
    return directory.resolve(checkName(name));
  }

  /**
   * Writes an identity as {@code kubernetes.io/tls} secrets hold it: {@code tls.crt} (the
   * certificate chain without the root), {@code tls.key} (PKCS#8) and {@code ca.crt} (the
   * root certificate).
   *
   * @param identity the certificate and key to write
   */
  public void update(IssuedCertificate identity) {
    Objects.requireNonNull(identity, "identity");
    Map<String, byte[]> files = new TreeMap<>();
    files.put("tls.crt", ascii(identity.chainPem()));
    files.put("tls.key", ascii(identity.privateKeyPem()));
    files.put("ca.crt", ascii(Pem.certificate(identity.issuer().rootCertificate())));
    update(files);
  }

  /**
   * Replaces the whole content of the secret with {@code files}, atomically for a reader that
   * opens files through {@code ..data}.
   *
   * @param files file names (no path separators, not starting with {@code ..}) and contents
   */
  public synchronized void update(Map<String, byte[]> files) {
    Objects.requireNonNull(files, "files");
    Map<String, byte[]> payload = new TreeMap<>();
    files.forEach((name, content) ->
        payload.put(checkName(name), Objects.requireNonNull(content, "content of " + name)));
    try {
      Path data = dataDirectory();
      Path oldTimestamped = Files.isSymbolicLink(data)
          ? directory.resolve(Files.readSymbolicLink(data)) : null;
      Set<String> oldNames = oldTimestamped == null ? Set.of() : names(oldTimestamped);

      Path timestamped =
          Files.createTempDirectory(directory, TIMESTAMP.format(Instant.now()));
      if (FileWriting.supportsPosix(timestamped)) {
        Files.setPosixFilePermissions(timestamped, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
      for (Map.Entry<String, byte[]> file : payload.entrySet()) {
        FileWriting.writeSecret(timestamped.resolve(file.getKey()), file.getValue(), file.getKey());
      }

      Path dataTmp = directory.resolve(DATA_TMP);
      Files.deleteIfExists(dataTmp);
      Files.createSymbolicLink(dataTmp, timestamped.getFileName());
      Files.move(dataTmp, data, StandardCopyOption.ATOMIC_MOVE);

      for (String name : payload.keySet()) {
        Path visible = directory.resolve(name);
        if (!Files.exists(visible, LinkOption.NOFOLLOW_LINKS)) {
          Files.createSymbolicLink(visible, Path.of(DATA, name));
        }
      }
      for (String name : oldNames) {
        if (!payload.containsKey(name)) {
          Files.deleteIfExists(directory.resolve(name));
        }
      }
      if (oldTimestamped != null) {
        FileWriting.deleteRecursively(oldTimestamped);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot update secret directory " + directory + " with " + payload.keySet() + ": " + e,
          e);
    }
  }

  /**
   * Describes the directory.
   *
   * @return for example {@code KubernetesSecretDirectory[/tmp/secret]}
   */
  @Override
  public String toString() {
    return "KubernetesSecretDirectory[" + directory + "]";
  }

  private static String checkName(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty() || name.startsWith("..") || name.equals(".") || name.contains("/")
        || name.contains("\\")) {
      throw new IllegalArgumentException(
          "not a secret file name (must be non-empty, without path separators, not starting"
              + " with ..): \"" + name + "\"");
    }
    return name;
  }

  private static Set<String> names(Path timestamped) throws IOException {
    Set<String> names = new TreeSet<>();
    if (Files.isDirectory(timestamped)) {
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(timestamped)) {
        for (Path entry : entries) {
          names.add(entry.getFileName().toString());
        }
      }
    }
    return names;
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
