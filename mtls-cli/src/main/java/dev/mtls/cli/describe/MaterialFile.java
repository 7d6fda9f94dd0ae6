package dev.mtls.cli.describe;

import dev.mtls.cli.CliException;
import dev.mtls.core.MaterialLimits;
import dev.mtls.core.MtlsLoadException;
import dev.mtls.core.internal.material.PemReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What one file holds: certificates, private keys and CRLs, read from PEM (by mtls-core's PEM
 * reader, which refuses truncated blocks) or from DER. At most {@value #MAX_FILE_SIZE} bytes
 * are read. Private keys are decoded only when they are not encrypted; their bytes are never
 * kept beyond the key object nor shown.
 *
 * @param file the file
 * @param certificates the certificates, in file order
 * @param keys the private keys, in file order
 * @param crls the CRLs, in file order
 */
public record MaterialFile(Path file, List<X509Certificate> certificates, List<Key> keys, List<X509CRL> crls) {
  /** 16 MiB: a CRL of 500,000 entries; certificates and keys are a few KB. */
  public static final int MAX_FILE_SIZE = 16 * 1024 * 1024;

  private static final MaterialLimits LIMITS = MaterialLimits.builder().maxFileSize(MAX_FILE_SIZE).build();

  /**
   * A private key of the file.
   *
   * @param label its PEM label, such as {@code PRIVATE KEY} or {@code ENCRYPTED PRIVATE KEY}
   * @param key the key, or null when it is encrypted or cannot be decoded
   * @param problem why {@code key} is null, or null
   */
  public record Key(String label, @Nullable PrivateKey key, @Nullable String problem) {}

  /**
   * Copies the lists.
   *
   * @param file the file
   * @param certificates the certificates
   * @param keys the keys
   * @param crls the CRLs
   */
  public MaterialFile {
    Objects.requireNonNull(file, "file");
    certificates = List.copyOf(certificates);
    keys = List.copyOf(keys);
    crls = List.copyOf(crls);
  }

  /**
   * Whether the file holds nothing this reader knows.
   *
   * @return true for no certificate, key or CRL
   */
  public boolean isEmpty() {
    return certificates.isEmpty() && keys.isEmpty() && crls.isEmpty();
  }

  /**
   * Reads a file.
   *
   * @param file the file
   * @return what it holds
   * @throws CliException naming the file and the problem: unreadable, too large, neither PEM nor
   *     DER, a truncated or corrupt block
   */
  public static MaterialFile read(Path file) {
    byte[] bytes = bounded(file);
    if (new String(bytes, StandardCharsets.ISO_8859_1).contains("-----BEGIN ")) {
      return pem(file);
    }
    return der(file, bytes);
  }

  private static MaterialFile pem(Path file) {
    PemReader.Contents contents;
    try {
      contents = PemReader.read("certificate, key or CRL", file, LIMITS);
    } catch (MtlsLoadException e) {
      throw new CliException(e.getMessage());
    }
    List<Key> keys = new ArrayList<>();
    for (PemReader.Block block : contents.privateKeys()) {
      if (block.type().startsWith("ENCRYPTED") || block.text().contains("Proc-Type: 4,ENCRYPTED")) {
        keys.add(new Key(block.type(), null, "encrypted: its type and size need the password"));
        continue;
      }
      try {
        keys.add(new Key(block.type(), PemReader.privateKey("private key", file, block, null), null));
      } catch (MtlsLoadException e) {
        keys.add(new Key(block.type(), null, e.getMessage()));
      }
    }
    List<X509CRL> crls = new ArrayList<>();
    for (PemReader.Block block : contents.blocks()) {
      if (block.type().equals("X509 CRL")) {
        crls.add(crl(file, block.der()));
      }
    }
    return new MaterialFile(file, contents.certificates(), keys, crls);
  }

  private static MaterialFile der(Path file, byte[] bytes) {
    try {
      X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(bytes));
      return new MaterialFile(file, List.of(certificate), List.of(), List.of());
    } catch (CertificateException | RuntimeException e) {
      // Not a DER certificate: perhaps a DER CRL.
    }
    try {
      return new MaterialFile(file, List.of(), List.of(), List.of(crl(file, bytes)));
    } catch (CliException e) {
      throw new CliException(file + ": neither PEM nor a DER certificate or CRL");
    }
  }

  private static X509CRL crl(Path file, byte[] der) {
    try {
      return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
    } catch (CertificateException | CRLException | RuntimeException e) {
      throw new CliException(file + ": a CRL that cannot be parsed: " + e.getMessage());
    }
  }

  private static byte[] bounded(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new CliException(file + ": no such file");
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes(MAX_FILE_SIZE + 1);
      if (bytes.length > MAX_FILE_SIZE) {
        throw new CliException(file + ": larger than " + MAX_FILE_SIZE / (1024 * 1024) + " MiB, not read");
      }
      if (bytes.length == 0) {
        throw new CliException(file + ": empty");
      }
      return bytes;
    } catch (IOException e) {
      throw new CliException(file + ": cannot be read: " + e);
    }
  }
}
