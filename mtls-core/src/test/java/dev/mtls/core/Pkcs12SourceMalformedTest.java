package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PKCS#12 files that are well framed but that the JDK's key store trips over. */
class Pkcs12SourceMalformedTest {
  // PFX ::= SEQUENCE { version 3, authSafe ContentInfo { id-data, no content } }, the shape
  // of the fuzzer's finding (which wrote both with BER's indefinite lengths)
  private static final byte[] AUTH_SAFE_WITHOUT_CONTENT = {
    0x30, (byte) 0x80, 0x02, 0x01, 0x03,
    0x30, (byte) 0x80, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d,
    0x01, 0x07, 0x01, 0x00, 0x00,
    0x00, 0x00
  };

  @TempDir Path directory;

  @Test
  void load_failsNamingTheFile_whenTheAuthenticatedSafeHasNoContent() throws Exception {
    Path file = Files.write(directory.resolve("store.p12"), AUTH_SAFE_WITHOUT_CONTENT);
    char[] password = "secret".toCharArray();

    assertThatThrownBy(() -> IdentitySource.pkcs12(file, password).loader().load())
        .isInstanceOf(MtlsLoadException.class)
        .hasMessageStartingWith("cannot load PKCS#12 identity from " + file
            + ": not a readable PKCS#12 file");
    assertThatThrownBy(() -> TrustSource.pkcs12(file, password).loader().load())
        .isInstanceOf(MtlsLoadException.class)
        .hasMessageStartingWith("cannot load trust anchors from " + file
            + ": not a readable PKCS#12 file");
  }
}
