package dev.mtls.core;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mtls.core.internal.crl.RevocationChecker;
import dev.mtls.core.internal.crl.RevocationStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
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
    // The seeds' CRLs are current now (a stale or future CRL is refused at start), and are
    // verified at load against the seeds' root, as a context's trust anchors would be.
    List<X509Certificate> path = FuzzSeeds.pathUnderRoot();
    Instant now = Instant.now();
    try {
      checker = revocation.start(Clock.fixed(now, ZoneOffset.UTC), MtlsListener.silent(),
          List.of(path.get(path.size() - 1)));
    } catch (MtlsLoadException e) {
      FuzzChecks.checkNamesFile(e, file);
      return;
    }
    try {
      RevocationStatus status = checker.check(path, now);
      if (status.state() == null) {
        throw new AssertionError("no status");
      }
      checker.generation();
    } finally {
      checker.close();
    }
  }
}
