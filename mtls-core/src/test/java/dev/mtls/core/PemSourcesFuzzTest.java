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
 * Fuzzes what users call with PEM files: {@link IdentitySource#pemFiles(Path, Path, char[])}
 * with chain and key in one file, and {@link TrustSource#pemFile(Path)}, each loading the
 * fuzzed bytes from a file as a context's build and every reload do. Any file either loads
 * (a key that matches its leaf, a chain in order; at least one anchor) or fails with an {@link
 * MtlsLoadException} naming the file.
 */
class PemSourcesFuzzTest {
  @TempDir static Path directory;

  static Stream<Arguments> seeds() {
    return Stream.concat(FuzzSeeds.identityPems(), FuzzSeeds.certificatePems());
  }

  @MethodSource("seeds")
  @FuzzTest(maxDuration = "5m")
  void load_givesMaterialOrMtlsLoadException(byte[] input) throws IOException {
    if (!FuzzChecks.inBounds(input)) {
      return;
    }
    Path file = Files.write(directory.resolve("tls.pem"), input);
    try {
      IdentityMaterial identity =
          IdentitySource.pemFiles(file, file, FuzzSeeds.PASSWORD.toCharArray()).loader().load();
      if (identity.chain().isEmpty()) {
        throw new AssertionError("an identity without a certificate loaded");
      }
    } catch (MtlsLoadException e) {
      FuzzChecks.checkNamesFile(e, file);
    }
    try {
      TrustMaterial trust = TrustSource.pemFile(file).loader().load();
      if (trust.anchors().isEmpty()) {
        throw new AssertionError("trust without an anchor loaded");
      }
    } catch (MtlsLoadException e) {
      FuzzChecks.checkNamesFile(e, file);
    }
  }
}
