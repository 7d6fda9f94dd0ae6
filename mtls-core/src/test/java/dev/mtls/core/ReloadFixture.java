package dev.mtls.core;

import dev.mtls.testkit.IssuedCertificate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Files that rotate as cert-manager or Vault Agent rotate them. */
final class ReloadFixture {
  private ReloadFixture() {}

  /** Writes a file the way rotation tools do: a temporary file renamed over the old one. */
  static void writeAtomically(Path file, String content) {
    try {
      Path temporary = Files.createTempFile(file.getParent(), ".rotate", ".tmp");
      Files.writeString(temporary, content, StandardCharsets.US_ASCII);
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes a file in place, truncating it first, the way a careless script does. */
  static void writeInPlace(Path file, String content) {
    try {
      Files.writeString(file, content, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Rotates an identity's chain and key files, chain first. */
  static void rotate(Path chain, Path key, IssuedCertificate next) {
    writeAtomically(chain, next.chainPem());
    writeAtomically(key, next.privateKeyPem());
  }
}
