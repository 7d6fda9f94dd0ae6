package dev.mtls.core.internal.material;

import dev.mtls.core.MaterialLimits;
import dev.mtls.core.MtlsLoadException;
import dev.mtls.core.internal.SafeText;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Loads an identity from a PKCS#12 file holding exactly one private-key entry. The entry's
 * password is the store's, as OpenSSL and keytool write them.
 */
public final class Pkcs12IdentityLoader implements MaterialLoader<IdentityMaterial> {
  private static final String WHAT = "PKCS#12 identity";

  private final Path file;
  private final char[] password;
  private final MaterialLimits limits;

  /**
   * Creates a loader.
   *
   * @param file the PKCS#12 file
   * @param password its password, copied
   * @param limits how much the file may hold
   */
  public Pkcs12IdentityLoader(Path file, char[] password, MaterialLimits limits) {
    this.file = Objects.requireNonNull(file, "file");
    this.password = Objects.requireNonNull(password, "password").clone();
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  @Override
  public IdentityMaterial load() {
    KeyStore store = Pkcs12Reader.read(WHAT, file, password, limits);
    try {
      List<String> keyAliases = new ArrayList<>();
      for (String alias : Collections.list(store.aliases())) {
        if (store.isKeyEntry(alias)) {
          keyAliases.add(alias);
        }
      }
      Collections.sort(keyAliases);
      if (keyAliases.isEmpty()) {
        List<String> entries = Pkcs12Reader.describeEntries(store);
        throw new MtlsLoadException(WHAT, file, "no private-key entry in the PKCS#12 file ("
            + (entries.isEmpty() ? "it has no entries" : "entries: " + String.join(", ", entries))
            + ")");
      }
      if (keyAliases.size() > 1) {
        throw new MtlsLoadException(WHAT, file, keyAliases.size()
            + " private-key entries in the PKCS#12 file (aliases: "
            + keyAliases.stream().map(SafeText::printable).collect(Collectors.joining(", "))
            + "); expected exactly one");
      }
      String alias = keyAliases.get(0);
      Key key;
      try {
        key = store.getKey(alias, password);
      } catch (UnrecoverableKeyException e) {
        throw new MtlsLoadException(WHAT, file, "the private key of entry " + SafeText.quote(alias)
            + "' cannot be decrypted with the store's password", e);
      }
      if (!(key instanceof PrivateKey privateKey)) {
        throw new MtlsLoadException(WHAT, file, "entry " + SafeText.quote(alias) + " holds a secret key,"
            + " not a private key");
      }
      Certificate[] stored = store.getCertificateChain(alias);
      if (stored == null || stored.length == 0) {
        throw new MtlsLoadException(WHAT, file,
            "entry " + SafeText.quote(alias) + " has a private key but no certificate");
      }
      List<X509Certificate> chain = new ArrayList<>();
      for (Certificate certificate : stored) {
        chain.add(JdkObjects.certificate((X509Certificate) certificate));
      }
      IdentityChecks.checkKeyMatches(privateKey, chain.get(0), WHAT, file);
      IdentityChecks.checkChainOrder(chain, WHAT, file);
      IdentityChecks.checkIdentityChain(chain, WHAT, file);
      return new IdentityMaterial(JdkObjects.privateKey(privateKey), chain, describe());
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new MtlsLoadException(WHAT, file, "unreadable PKCS#12 entry: " + e.getMessage(), e);
    }
  }

  @Override
  public List<Path> files() {
    return List.of(file);
  }

  @Override
  public Pkcs12IdentityLoader withLimits(MaterialLimits limits) {
    return new Pkcs12IdentityLoader(file, password, limits);
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
