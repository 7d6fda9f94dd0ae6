package dev.mtls.core.internal.material;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mtls.core.FuzzChecks;
import dev.mtls.core.FuzzSeeds;
import dev.mtls.core.MtlsLoadException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzzes private-key decoding in every PEM form the reader takes (PKCS#8 plain and encrypted,
 * PKCS#1, SEC 1, OpenSSL's legacy encryption), with the seeds' password and without one: any
 * bytes either give one of the JDK's own key objects or fail with an {@link MtlsLoadException}
 * that names the file and repeats none of the key's text.
 */
class PemPrivateKeyFuzzTest {
  private static final Path FILE = Path.of("/fuzz/key.pem");
  private static final String WHAT = "private key";
  // the loader refuses a file with more than one key before decoding any; two are enough to
  // see that blocks do not interfere
  private static final int MAX_KEYS_DECODED = 2;

  static Stream<Arguments> seeds() {
    return FuzzSeeds.privateKeyPems();
  }

  @MethodSource("seeds")
  @FuzzTest(maxDuration = "5m")
  void privateKey_givesAJdkKeyOrMtlsLoadException(byte[] input) {
    if (!FuzzChecks.inBounds(input)) {
      return;
    }
    PemReader.Contents contents;
    try {
      contents = PemReader.parse(WHAT, FILE, input);
    } catch (MtlsLoadException e) {
      FuzzChecks.checkNamesFile(e, FILE);
      return;
    }
    List<PemReader.Block> keys = contents.privateKeys();
    for (PemReader.Block block : keys.subList(0, Math.min(keys.size(), MAX_KEYS_DECODED))) {
      decode(block, FuzzSeeds.PASSWORD.toCharArray());
      decode(block, null);
    }
  }

  private static void decode(PemReader.Block block, char @Nullable [] password) {
    PrivateKey key;
    try {
      key = PemReader.privateKey(WHAT, FILE, block, password);
    } catch (MtlsLoadException e) {
      FuzzChecks.checkNamesFile(e, FILE);
      FuzzChecks.checkRepeatsNoneOf(e, block.text());
      return;
    }
    if (!key.getClass().getName().startsWith("sun.security.") || key.getEncoded() == null) {
      throw new AssertionError("not one of the JDK's own key objects: " + key.getClass());
    }
  }
}
