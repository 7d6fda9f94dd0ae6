package dev.mtls.core;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mtls.core.internal.crl.RevocationChecker;
import dev.mtls.core.internal.crl.RevocationStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzzes CRL files as users give them: {@link Revocation.Builder#file(Path)}, started as a
 * context starts it. Any file either fails the start with an {@link MtlsLoadException} naming
 * the file, or gives a checker that answers for a real path under the seeds' CA with a status
 * (good, revoked or unknown), never an exception.
 */
class RevocationFileFuzzTest {
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

  @TempDir static Path directory;

  static Stream<Arguments> seeds() {
    return FuzzSeeds.crls();
  }

  @MethodSource("seeds")
  @FuzzTest(maxDuration = "5m")
  void start_givesACheckerThatAnswers_orMtlsLoadException(byte[] input) throws IOException {
    if (!FuzzChecks.inBounds(input)) {
      return;
    }
    Path file = Files.write(directory.resolve("ca.crl"), input);
    Revocation revocation = Revocation.crls().file(file).build();
    RevocationChecker checker;
    try {
      checker = revocation.start(Clock.fixed(NOW, ZoneOffset.UTC), MtlsListener.silent());
    } catch (MtlsLoadException e) {
      FuzzChecks.checkNamesFile(e, file);
      return;
    }
    try {
      RevocationStatus status = checker.check(FuzzSeeds.pathUnderRoot(), NOW);
      if (status.state() == null) {
        throw new AssertionError("no status");
      }
      checker.generation();
    } finally {
      checker.close();
    }
  }
}
