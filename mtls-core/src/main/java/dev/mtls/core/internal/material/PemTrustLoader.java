package dev.mtls.core.internal.material;

import dev.mtls.core.MaterialLimits;
import dev.mtls.core.MtlsLoadException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Loads trust anchors from one PEM bundle or from every certificate file of a directory.
 * Reads afresh on every call, within the source's {@link MaterialLimits}; every certificate
 * must be a CA certificate.
 */
public final class PemTrustLoader implements MaterialLoader<TrustMaterial> {
  private static final String WHAT = "trust anchors";
  private static final List<String> EXTENSIONS = List.of(".pem", ".crt", ".cer");

  private final Path path;
  private final boolean directory;
  private final MaterialLimits limits;

  private PemTrustLoader(Path path, boolean directory, MaterialLimits limits) {
    this.path = Objects.requireNonNull(path, "path");
    this.directory = directory;
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /**
   * A loader for one PEM file holding one or more CA certificates.
   *
   * @param bundle the file
   * @param limits how much the file may hold
   * @return the loader
   */
  public static PemTrustLoader file(Path bundle, MaterialLimits limits) {
    return new PemTrustLoader(bundle, false, limits);
  }

  /**
   * A loader for every {@code *.pem}, {@code *.crt} and {@code *.cer} file directly in a
   * directory. Names starting with a dot are skipped: hidden files, and the {@code ..data}
   * and timestamped entries of a Kubernetes secret volume, whose certificates the volume
   * also shows through the visible symbolic links.
   *
   * @param directory the directory
   * @param limits how many certificate files it may hold, how large each and all together
   * @return the loader
   */
  public static PemTrustLoader directory(Path directory, MaterialLimits limits) {
    return new PemTrustLoader(directory, true, limits);
  }

  @Override
  public TrustMaterial load() {
    return new TrustMaterial(
        directory ? loadDirectory() : anchors(path, MaterialFiles.read(WHAT, path, limits)),
        describe());
  }

  private static List<X509Certificate> anchors(Path file, byte[] bytes) {
    PemReader.Contents contents = PemReader.parse(WHAT, file, bytes);
    if (contents.certificates().isEmpty()) {
      throw new MtlsLoadException(WHAT, file,
          "no certificate in file (found " + contents.summary() + ")");
    }
    for (X509Certificate certificate : contents.certificates()) {
      IdentityChecks.checkTrustAnchor(certificate, WHAT, file);
    }
    return contents.certificates();
  }

  private List<X509Certificate> loadDirectory() {
    List<Path> files = certificateFiles();
    if (files.isEmpty()) {
      throw new MtlsLoadException(WHAT, path,
          "no certificate files (*.pem, *.crt, *.cer) in directory");
    }
    // The same CA is often present under two names (ca.pem and ca.crt): keep it once.
    Set<X509Certificate> anchors = new LinkedHashSet<>();
    long left = limits.maxDirectorySize();
    for (Path file : files) {
      // Each file may use what the files before it left of the directory's limit.
      byte[] bytes = left >= limits.maxFileSize()
          ? MaterialFiles.read(WHAT, file, limits)
          : MaterialFiles.read(WHAT, file, left, MaterialFiles.size(left) + " left of the limit"
              + " of " + MaterialFiles.size(limits.maxDirectorySize()) + " for all certificate"
              + " files of " + path + " together (MaterialLimits.maxDirectorySize)");
      left -= bytes.length;
      anchors.addAll(anchors(file, bytes));
    }
    return new ArrayList<>(anchors);
  }

  private List<Path> certificateFiles() {
    if (!MaterialFiles.attributes(WHAT, path, "directory").isDirectory()) {
      throw new MtlsLoadException(WHAT, path, "is a file, not a directory");
    }
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        String lower = name.toLowerCase(Locale.ROOT);
        if (!name.startsWith(".") && EXTENSIONS.stream().anyMatch(lower::endsWith)
            && !Files.isDirectory(entry)) {
          if (files.size() == limits.maxDirectoryFiles()) {
            throw new MtlsLoadException(WHAT, path, "more than " + limits.maxDirectoryFiles()
                + " certificate files (*.pem, *.crt, *.cer) in directory, the limit"
                + " (MaterialLimits.maxDirectoryFiles); nothing was read");
          }
          files.add(entry);
        }
      }
    } catch (NotDirectoryException e) {
      throw new MtlsLoadException(WHAT, path, "is a file, not a directory", e);
    } catch (NoSuchFileException e) {
      throw new MtlsLoadException(WHAT, path, "directory does not exist", e);
    } catch (IOException e) {
      throw new MtlsLoadException(WHAT, path, "directory cannot be listed (" + e + ")", e);
    }
    files.sort(null);
    return files;
  }

  /**
   * The bundle file, or the directory itself (whose listing changes when files come and go).
   *
   * @return one path
   */
  @Override
  public List<Path> files() {
    return List.of(path);
  }

  @Override
  public PemTrustLoader withLimits(MaterialLimits limits) {
    return new PemTrustLoader(path, directory, limits);
  }

  @Override
  public String describe() {
    return directory ? "PEM directory " + path : "PEM file " + path;
  }

  @Override
  public String toString() {
    return describe();
  }
}
