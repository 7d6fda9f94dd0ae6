package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.jspecify.annotations.Nullable;

/** What the loading tests share: one RSA key (generation costs 100+ ms), files, assertions. */
final class LoadingFixtures {
  private LoadingFixtures() {}

  private static final class Rsa {
    static final KeyPair KEY_PAIR = generate();

    private static KeyPair generate() {
      try {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** One RSA-2048 key pair for every test that needs "some RSA key". */
  static KeyPair rsaKeyPair() {
    return Rsa.KEY_PAIR;
  }

  static Path write(Path file, String text) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      return Files.writeString(file, text, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path write(Path file, byte[] bytes) {
    try {
      return Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Asserts that {@code load} fails with an {@link MtlsLoadException} naming {@code file}, whose
   * message contains every fragment.
   */
  static MtlsLoadException assertLoadFails(
      ThrowingCallable load, @Nullable Path file, String... fragments) {
    MtlsLoadException e = catchThrowableOfType(MtlsLoadException.class, load);
    assertThat(e).as("an MtlsLoadException").isNotNull();
    assertThat(e.file()).isEqualTo(file);
    if (file != null) {
      assertThat(e.getMessage()).contains(" from " + file + ": ");
    }
    assertThat(e.getMessage()).contains(fragments);
    return e;
  }

  static byte[] der(java.security.cert.X509Certificate certificate) {
    try {
      return certificate.getEncoded();
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }
}
