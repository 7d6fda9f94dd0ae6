package dev.mtls.core.internal.material;

import dev.mtls.core.MaterialLimits;
import dev.mtls.core.MtlsLoadException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Loads trust anchors from the trusted-certificate entries of a PKCS#12 file. Private-key
 * entries are not trust anchors and are ignored.
 */
public final class Pkcs12TrustLoader implements MaterialLoader<TrustMaterial> {
  private static final String WHAT = "trust anchors";

  private final Path file;
  private final char[] password;
  private final MaterialLimits limits;

  /**
   * Creates a loader.
   *
   * @param file the PKCS#12 trust store
   * @param password its password, copied
   * @param limits how much the file may hold
   */
  public Pkcs12TrustLoader(Path file, char[] password, MaterialLimits limits) {
    this.file = Objects.requireNonNull(file, "file");
    this.password = Objects.requireNonNull(password, "password").clone();
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  @Override
  public TrustMaterial load() {
    KeyStore store = Pkcs12Reader.read(WHAT, file, password, limits);
    try {
      List<String> aliases = Collections.list(store.aliases());
      Collections.sort(aliases);
      List<X509Certificate> anchors = new ArrayList<>();
      for (String alias : aliases) {
        if (store.isCertificateEntry(alias)) {
          Certificate certificate = store.getCertificate(alias);
          if (certificate instanceof X509Certificate x509) {
            IdentityChecks.checkTrustAnchor(x509, WHAT, file);
            anchors.add(JdkObjects.certificate(x509));
          }
        }
      }
      if (anchors.isEmpty()) {
        List<String> entries = Pkcs12Reader.describeEntries(store);
        throw new MtlsLoadException(WHAT, file, "no trusted-certificate entry in the PKCS#12 file ("
            + (entries.isEmpty()
                ? "it has no entries the JDK recognises; certificates written by 'openssl pkcs12"
                    + " -export -nokeys' lack Java's trust attribute: use a PEM bundle instead"
                : "entries: " + String.join(", ", entries))
            + ")");
      }
      return new TrustMaterial(anchors, describe());
    } catch (GeneralSecurityException e) {
      throw new MtlsLoadException(WHAT, file, "unreadable PKCS#12 entry: " + e.getMessage(), e);
    }
  }

  @Override
  public List<Path> files() {
    return List.of(file);
  }

  @Override
  public Pkcs12TrustLoader withLimits(MaterialLimits limits) {
    return new Pkcs12TrustLoader(file, password, limits);
  }

  @Override
  public String describe() {
    return "PKCS#12 file " + file;
  }

  @Override
  public String toString() {
    return describe();
  }
}
