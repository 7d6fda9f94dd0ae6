package dev.mtls.core;

import dev.mtls.core.internal.material.IdentityChecks;
import dev.mtls.core.internal.material.IdentityMaterial;
import dev.mtls.core.internal.material.InMemoryLoader;
import dev.mtls.core.internal.material.InMemoryMaterial;
import dev.mtls.core.internal.material.MaterialLoader;
import dev.mtls.core.internal.material.PemIdentityLoader;
import dev.mtls.core.internal.material.Pkcs12IdentityLoader;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * Where a context's own certificate chain and private key come from: PEM files, a PKCS#12
 * file, or objects in memory.
 *
 * <pre>{@code
 * IdentitySource identity = IdentitySource.pemFiles(
 *     Path.of("/etc/tls/tls.crt"), Path.of("/etc/tls/tls.key"));
 * }</pre>
 *
 * <p>Files are read afresh on every load, so that a context can reload them when they
 * change, and within {@linkplain #limits() limits} (by default 1 MiB per file). Every load
 * checks that the private key matches the first certificate, that the chain is in order (leaf
 * first, each certificate issued by the next) and no longer than the 10 certificates peers
 * accept, and that the first certificate is an end-entity certificate, not a CA's; a failure
 * is an {@link MtlsLoadException} naming the file and the problem. Immutable and thread-safe;
 * {@link #toString()} names the files, never a password.
 */
public final class IdentitySource {
  private final MaterialLoader<IdentityMaterial> loader;
  private final MaterialLimits limits;

  private IdentitySource(MaterialLoader<IdentityMaterial> loader, MaterialLimits limits) {
    this.loader = loader;
    this.limits = limits;
  }

  private IdentitySource(MaterialLoader<IdentityMaterial> loader) {
    this(loader, MaterialLimits.defaults());
  }

  /**
   * An identity in PEM files: a certificate chain (leaf first; text around the blocks is
   * ignored) and a private key that is not encrypted, in PKCS#8 ({@code PRIVATE KEY}), PKCS#1
   * ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}) form, for RSA, EC or Ed25519.
   * Both may be the same file.
   *
   * @param certificateChain the PEM certificate chain, leaf first
   * @param privateKey the PEM private key; may equal {@code certificateChain}
   * @return the source
   */
  public static IdentitySource pemFiles(Path certificateChain, Path privateKey) {
    return new IdentitySource(new PemIdentityLoader(
        Objects.requireNonNull(certificateChain, "certificateChain"),
        Objects.requireNonNull(privateKey, "privateKey"),
        null,
        MaterialLimits.defaults()));
  }

  /**
   * An identity in PEM files whose private key is password-encrypted PKCS#8
   * ({@code ENCRYPTED PRIVATE KEY}, as {@code openssl pkcs8 -topk8 -v2 aes-256-cbc} writes).
   * A key that turns out not to be encrypted is accepted and the password ignored, so that
   * switching a deployment to a plain key does not need a configuration change first.
   *
   * @param certificateChain the PEM certificate chain, leaf first
   * @param privateKey the PEM private key; may equal {@code certificateChain}
   * @param keyPassword the key's password; copied, so the caller may clear its array
   * @return the source
   */
  public static IdentitySource pemFiles(Path certificateChain, Path privateKey, char[] keyPassword) {
    return new IdentitySource(new PemIdentityLoader(
        Objects.requireNonNull(certificateChain, "certificateChain"),
        Objects.requireNonNull(privateKey, "privateKey"),
        Objects.requireNonNull(keyPassword, "keyPassword"),
        MaterialLimits.defaults()));
  }

  /**
   * An identity in a PKCS#12 file holding exactly one private-key entry (with its chain),
   * protected by {@code password}. Trusted-certificate entries beside it are ignored.
   *
   * @param keyStore the PKCS#12 file
   * @param password its password (an empty array for none); copied
   * @return the source
   */
  public static IdentitySource pkcs12(Path keyStore, char[] password) {
    return new IdentitySource(new Pkcs12IdentityLoader(
        Objects.requireNonNull(keyStore, "keyStore"),
        Objects.requireNonNull(password, "password"),
        MaterialLimits.defaults()));
  }

  /**
   * An identity given in memory. It is checked now, as files are on load, and re-created as
   * the JDK's own key and certificate objects, so that any provider's objects may be given.
   *
   * @param privateKey the private key, which must match {@code chain.get(0)}
   * @param chain the certificate chain, leaf first; copied
   * @return the source
   * @throws MtlsLoadException if the chain is empty, out of order or longer than peers accept,
   *     the leaf is a CA certificate, or the key does not match
   */
  public static IdentitySource of(PrivateKey privateKey, List<X509Certificate> chain) {
    Objects.requireNonNull(privateKey, "privateKey");
    List<X509Certificate> copy = List.copyOf(Objects.requireNonNull(chain, "chain"));
    String what = "in-memory identity";
    if (copy.isEmpty()) {
      throw new MtlsLoadException(what, null, "the certificate chain is empty");
    }
    IdentityMaterial material = InMemoryMaterial.identity(privateKey, copy, what);
    return new IdentitySource(new InMemoryLoader<>(material,
        what + " " + IdentityChecks.describe(material.leaf())));
  }

  /**
   * The same source, reading its files within other limits. The files, the password and the
   * way they are read stay the same; an in-memory identity reads no file and ignores limits.
   *
   * @param limits the limits, instead of {@link MaterialLimits#defaults()}
   * @return a new source
   */
  public IdentitySource withLimits(MaterialLimits limits) {
    Objects.requireNonNull(limits, "limits");
    return new IdentitySource(loader.withLimits(limits), limits);
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
   * The files this source reads, for change detection: the chain file first, then the key
   * file when it is a different one; empty for an in-memory identity.
   *
   * @return the files
   */
  public List<Path> files() {
    return loader.files();
  }

  /**
   * The loader behind this source, for the context and the reloading key manager.
   *
   * @return the loader
   */
  MaterialLoader<IdentityMaterial> loader() {
    return loader;
  }

  /**
   * Names the source and its files; never a password.
   *
   * @return such as {@code IdentitySource[PEM files /a/tls.crt (chain) and /a/tls.key (key)]}
   */
  @Override
  public String toString() {
    return "IdentitySource[" + loader.describe() + "]";
  }
}
