package dev.mtls.core;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mtls.core.internal.material.IdentityMaterial;
import dev.mtls.core.internal.material.TrustMaterial;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzzes PKCS#12 reading as users call it: {@link IdentitySource#pkcs12(Path, char[])} and
 * {@link TrustSource#pkcs12(Path, char[])} on the same fuzzed file, with the seeds' password.
 * Any file either loads (one key entry with a matching, ordered chain; at least one trusted
 * certificate) or fails with an {@link MtlsLoadException} naming the file.
 */
class Pkcs12SourcesFuzzTest {
  @TempDir static Path directory;

  static Stream<Arguments> seeds() {
    return FuzzSeeds.pkcs12Stores();
  }

  @MethodSource("seeds")
  @FuzzTest(maxDuration = "5m")
  void load_givesMaterialOrMtlsLoadException(byte[] input) throws IOException {
    if (!FuzzChecks.inBounds(input)) {
      return;
    }
    Path file = Files.write(directory.resolve("store.p12"), input);
    char[] password = FuzzSeeds.PASSWORD.toCharArray();
    try {
      IdentityMaterial identity = IdentitySource.pkcs12(file, password).loader().load();
      if (identity.chain().isEmpty()) {
        throw new AssertionError("an identity without a certificate loaded");
      }
    } catch (MtlsLoadException e) {
      FuzzChecks.checkNamesFile(e, file);
    }
    try {
      TrustMaterial trust = TrustSource.pkcs12(file, password).loader().load();
      if (trust.anchors().isEmpty()) {
        throw new AssertionError("trust without an anchor loaded");
      }
    } catch (MtlsLoadException e) {
      FuzzChecks.checkNamesFile(e, file);
    }
  }
}
