package dev.mtls.core.internal.material;

import dev.mtls.core.MaterialLimits;
import dev.mtls.core.MtlsLoadException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Loads an identity from a PEM certificate chain file and a PEM private key file, which may be
 * the same file. Reads both afresh on every call; checks that the key matches the leaf and
 * that the chain is in order.
 */
public final class PemIdentityLoader implements MaterialLoader<IdentityMaterial> {
  private static final String CHAIN = "certificate chain";
  private static final String KEY = "private key";

  private final Path chainFile;
  private final Path keyFile;
  private final char @Nullable [] password;
  private final MaterialLimits limits;

  /**
   * Creates a loader.
   *
   * @param chainFile the certificate chain, leaf first
   * @param keyFile the private key (may equal {@code chainFile})
   * @param password the key's password, copied; {@code null} for a key that is not encrypted
   * @param limits how much each file may hold
   */
  public PemIdentityLoader(
      Path chainFile, Path keyFile, char @Nullable [] password, MaterialLimits limits) {
    this.chainFile = Objects.requireNonNull(chainFile, "chainFile");
    this.keyFile = Objects.requireNonNull(keyFile, "keyFile");
    this.password = password == null ? null : password.clone();
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  @Override
  public IdentityMaterial load() {
    PemReader.Contents chainContents = PemReader.read(CHAIN, chainFile, limits);
    // A combined file is read once, so that key and chain come from the same version of it.
    PemReader.Contents keyContents =
        keyFile.equals(chainFile) ? chainContents : PemReader.read(KEY, keyFile, limits);
    List<X509Certificate> chain = chainContents.certificates();
    if (chain.isEmpty()) {
      throw new MtlsLoadException(CHAIN, chainFile,
          "no certificate in file (found " + chainContents.summary() + ")");
    }
    List<PemReader.Block> keyBlocks = keyContents.privateKeys();
    if (keyBlocks.isEmpty()) {
      throw new MtlsLoadException(KEY, keyFile,
          "no private key in file (found " + keyContents.summary() + ")");
    }
    if (keyBlocks.size() > 1) {
      throw new MtlsLoadException(KEY, keyFile, keyBlocks.size() + " private keys in file ("
          + keyBlocks.stream().map(PemReader.Block::toString).collect(Collectors.joining(", "))
          + "); expected exactly one");
    }
    PrivateKey key = PemReader.privateKey(KEY, keyFile, keyBlocks.get(0), password);
    checkKeyBelongsToLeaf(key, chain);
    IdentityChecks.checkChainOrder(chain, CHAIN, chainFile);
    IdentityChecks.checkIdentityChain(chain, CHAIN, chainFile);
    return new IdentityMaterial(key, chain, describe());
  }

  private void checkKeyBelongsToLeaf(PrivateKey key, List<X509Certificate> chain) {
    try {
      IdentityChecks.checkKeyMatches(key, chain.get(0), KEY, keyFile);
    } catch (MtlsLoadException mismatch) {
      // A chain written root first is a common mistake: say so rather than "does not match".
      for (int i = 1; i < chain.size(); i++) {
        if (KeyMatch.matches(key, chain.get(i).getPublicKey())) {
          throw new MtlsLoadException(CHAIN, chainFile, "chain out of order: the private key"
              + " belongs to certificate " + (i + 1) + " ("
              + IdentityChecks.describe(chain.get(i))
              + "), but the leaf certificate must come first", mismatch);
        }
      }
      throw mismatch;
    }
  }

  /**
   * The chain file first, then the key file when it is a different one.
   *
   * @return the files read
   */
  @Override
  public List<Path> files() {
    return keyFile.equals(chainFile) ? List.of(chainFile) : List.of(chainFile, keyFile);
  }

  @Override
  public PemIdentityLoader withLimits(MaterialLimits limits) {
    return new PemIdentityLoader(chainFile, keyFile, password, limits);
  }

  @Override
  public String describe() {
    return keyFile.equals(chainFile)
        ? "PEM file " + chainFile
        : "PEM files " + chainFile + " (chain) and " + keyFile + " (key)";
  }

  @Override
  public String toString() {
    return describe();
  }
}
