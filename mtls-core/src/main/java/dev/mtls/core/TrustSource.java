package dev.mtls.core;

import dev.mtls.core.internal.material.InMemoryLoader;
import dev.mtls.core.internal.material.InMemoryMaterial;
import dev.mtls.core.internal.material.MaterialLoader;
import dev.mtls.core.internal.material.PemTrustLoader;
import dev.mtls.core.internal.material.Pkcs12TrustLoader;
import dev.mtls.core.internal.material.TrustMaterial;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Where a context's trust anchors come from: the CA certificates a peer's chain must lead to.
 *
 * <pre>{@code
 * TrustSource trust = TrustSource.pemFile(Path.of("/etc/tls/ca.crt"));
 * }</pre>
 *
 * <p>Files are read afresh on every load, so that a context can reload them when they
 * change, and within {@linkplain #limits() limits} (by default 1 MiB per file; 1,000 files and
 * 16 MiB in all for a directory). A source that yields no certificate is an error, never an
 * empty trust set; so is a certificate that is not a CA certificate ({@code basicConstraints
 * cA=true}, or a self-signed version 1 root), whose key could otherwise vouch for any peer. A
 * failure is an {@link MtlsLoadException} naming the file and the problem. Immutable and
 * thread-safe; {@link #toString()} names the files, never a password.
 */
public final class TrustSource {
  private final MaterialLoader<TrustMaterial> loader;
  private final MaterialLimits limits;

  private TrustSource(MaterialLoader<TrustMaterial> loader, MaterialLimits limits) {
    this.loader = loader;
    this.limits = limits;
  }

  private TrustSource(MaterialLoader<TrustMaterial> loader) {
    this(loader, MaterialLimits.defaults());
  }

  /**
   * Trust anchors in one PEM file holding one or more certificates (a CA bundle). Other
   * blocks and text around them are ignored.
   *
   * @param bundle the PEM file
   * @return the source
   */
  public static TrustSource pemFile(Path bundle) {
    return new TrustSource(
        PemTrustLoader.file(Objects.requireNonNull(bundle, "bundle"), MaterialLimits.defaults()));
  }

  /**
   * Trust anchors in every {@code *.pem}, {@code *.crt} and {@code *.cer} PEM file directly in
   * a directory (not its subdirectories). Names starting with a dot are skipped: hidden files
   * and the {@code ..data} entries of a Kubernetes secret or config-map volume, whose files
   * the volume shows again through its visible links. Each listed file must hold at least
   * one certificate; a certificate present in several files counts once.
   *
   * @param directory the directory
   * @return the source
   */
  public static TrustSource pemDirectory(Path directory) {
    return new TrustSource(PemTrustLoader.directory(
        Objects.requireNonNull(directory, "directory"), MaterialLimits.defaults()));
  }

  /**
   * Trust anchors in the trusted-certificate entries of a PKCS#12 file (as
   * {@code keytool -importcert} writes them). Private-key entries are ignored.
   *
   * @param trustStore the PKCS#12 file
   * @param password its password (an empty array for none); copied
   * @return the source
   */
  public static TrustSource pkcs12(Path trustStore, char[] password) {
    return new TrustSource(new Pkcs12TrustLoader(
        Objects.requireNonNull(trustStore, "trustStore"),
        Objects.requireNonNull(password, "password"),
        MaterialLimits.defaults()));
  }

  /**
   * Trust anchors given in memory, re-created as the JDK's own certificate objects.
   *
   * @param anchors the CA certificates; copied
   * @return the source
   * @throws MtlsLoadException if {@code anchors} is empty or holds a certificate that is not a
   *     CA certificate
   */
  public static TrustSource of(Collection<X509Certificate> anchors) {
    List<X509Certificate> copy = List.copyOf(Objects.requireNonNull(anchors, "anchors"));
    String what = "in-memory trust anchors";
    if (copy.isEmpty()) {
      throw new MtlsLoadException(what, null, "no certificate given");
    }
    List<X509Certificate> jdk = InMemoryMaterial.anchors(copy, what);
    return new TrustSource(new InMemoryLoader<>(new TrustMaterial(jdk, what),
        what + " (" + jdk.size() + " certificate" + (jdk.size() == 1 ? "" : "s") + ")"));
  }

  /**
   * The same source, reading its files within other limits. The files, the password and the
   * way they are read stay the same; in-memory anchors read no file and ignore limits.
   *
   * <pre>{@code
   * TrustSource.pemDirectory(Path.of("/etc/ssl/certs"))
   *     .withLimits(MaterialLimits.builder().maxDirectoryFiles(5_000).build());
   * }</pre>
   *
   * @param limits the limits, instead of {@link MaterialLimits#defaults()}
   * @return a new source
   */
  public TrustSource withLimits(MaterialLimits limits) {
    Objects.requireNonNull(limits, "limits");
    return new TrustSource(loader.withLimits(limits), limits);
  }

  /**
   * How much this source may read from its files.
   *
   * @return {@link MaterialLimits#defaults()} unless {@link #withLimits} said otherwise
   */
  public MaterialLimits limits() {
    return limits;
  }

  /**
   * The files this source reads, for change detection: the bundle, the directory itself or
   * the PKCS#12 file; empty for in-memory anchors.
   *
   * @return the files
   */
  public List<Path> files() {
    return loader.files();
  }

  /**
   * The loader behind this source.
   *
   * @return the loader
   */
  MaterialLoader<TrustMaterial> loader() {
    return loader;
  }

  /**
   * Names the source and its files; never a password.
   *
   * @return such as {@code TrustSource[PEM file /etc/tls/ca.crt]}
   */
  @Override
  public String toString() {
    return "TrustSource[" + loader.describe() + "]";
  }
}
