package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.core.internal.crl.CrlParser;
import dev.mtls.core.internal.material.PemReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The fuzz tests' seeds are well-formed files of their kind, so that fuzzing starts deep in
 * the parsers: a seed that the library refused would leave its part of a parser unfuzzed.
 */
class FuzzSeedsTest {
  @TempDir Path directory;

  @Test
  void certificateSeeds_eachHoldCertificates() throws Exception {
    for (Named<byte[]> seed : named(FuzzSeeds.certificatePems())) {
      PemReader.Contents contents =
          PemReader.read("certificates", write(seed), MaterialLimits.defaults());
      assertThat(contents.certificates()).as(seed.getName()).isNotEmpty();
    }
  }

  @Test
  void privateKeySeeds_eachDecryptWithThePassword() throws Exception {
    for (Named<byte[]> seed : named(FuzzSeeds.privateKeyPems())) {
      PemReader.Contents contents =
          PemReader.read("private key", write(seed), MaterialLimits.defaults());
      assertThat(contents.privateKeys()).as(seed.getName()).hasSize(1);
      assertThat(PemReader.privateKey("private key", contents.file(),
          contents.privateKeys().get(0), FuzzSeeds.PASSWORD.toCharArray()))
          .as(seed.getName()).isNotNull();
    }
  }

  @Test
  void identitySeeds_eachLoadAsAnIdentity() throws Exception {
    for (Named<byte[]> seed : named(FuzzSeeds.identityPems())) {
      Path file = write(seed);
      assertThat(IdentitySource.pemFiles(file, file, FuzzSeeds.PASSWORD.toCharArray()).loader()
          .load().chain()).as(seed.getName()).isNotEmpty();
    }
  }

  @Test
  void pkcs12Seeds_eachLoadAsAnIdentityOrAsTrust() throws Exception {
    char[] password = FuzzSeeds.PASSWORD.toCharArray();
    for (Named<byte[]> seed : named(FuzzSeeds.pkcs12Stores())) {
      Path file = write(seed);
      if (seed.getName().contains("identity")) {
        assertThat(IdentitySource.pkcs12(file, password).loader().load().chain())
            .as(seed.getName()).isNotEmpty();
      } else {
        assertThat(TrustSource.pkcs12(file, password).loader().load().anchors())
            .as(seed.getName()).isNotEmpty();
      }
    }
  }

  @Test
  void crlSeeds_eachParse() throws Exception {
    for (Named<byte[]> seed : named(FuzzSeeds.crls())) {
      assertThat(CrlParser.parse(seed.getPayload(), seed.getName(), Instant.now(),
          Duration.ofHours(1))).as(seed.getName()).isNotEmpty();
    }
  }

  private Path write(Named<byte[]> seed) throws Exception {
    return Files.write(directory.resolve(seed.getName()), seed.getPayload());
  }

  @SuppressWarnings("unchecked")
  private static List<Named<byte[]>> named(Stream<Arguments> seeds) {
    return seeds.map(arguments -> (Named<byte[]>) arguments.get()[0]).toList();
  }
}
