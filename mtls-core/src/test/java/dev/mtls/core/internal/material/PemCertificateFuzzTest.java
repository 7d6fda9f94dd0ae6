package dev.mtls.core.internal.material;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mtls.core.FuzzChecks;
import dev.mtls.core.FuzzSeeds;
import dev.mtls.core.MtlsLoadException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzzes PEM framing and certificate parsing, as for a certificate chain or CA bundle: any
 * bytes either give certificates or fail with an {@link MtlsLoadException} naming the file.
 */
class PemCertificateFuzzTest {
  private static final Path FILE = Path.of("/fuzz/bundle.pem");

  static Stream<Arguments> seeds() {
    return FuzzSeeds.certificatePems();
  }

  @MethodSource("seeds")
  @FuzzTest(maxDuration = "5m")
  void parse_givesCertificatesOrMtlsLoadException(byte[] input) {
    if (!FuzzChecks.inBounds(input)) {
      return;
    }
    PemReader.Contents contents;
    try {
      contents = PemReader.parse("certificate chain", FILE, input);
    } catch (MtlsLoadException e) {
      FuzzChecks.checkNamesFile(e, FILE);
      return;
    }
    for (X509Certificate certificate : contents.certificates()) {
      certificate.getSubjectX500Principal().getName();
    }
    contents.summary();
  }
}
