package dev.mtls.testkit;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A leaf certificate issued by a {@link TestCa}, with its private key and chain, ready to be
 * handed to code under test in memory, as PEM text or files, or as a PKCS#12 key store.
 *
 * <pre>{@code
 * IssuedCertificate server = ca.server("localhost");
 * KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
 * kmf.init(server.keyStore(password), password);
 * PemFiles files = server.writePem(directory);      // for code that reads files
 * }</pre>
 *
 * <p>The certificate is the JDK's own {@code X509Certificate} and the key the JDK's own
 * {@code PrivateKey}, so SunJSSE and the JDK key stores use them as they would production
 * material. Immutable and thread-safe.
 */
public final class IssuedCertificate {
  private final X509Certificate certificate;
  private final KeyPair keyPair;
  private final TestCa issuer;
  private final List<X509Certificate> chain;
  private final List<X509Certificate> fullChain;

  IssuedCertificate(X509Certificate certificate, KeyPair keyPair, TestCa issuer) {
    this.certificate = certificate;
    this.keyPair = keyPair;
    this.issuer = issuer;
    List<X509Certificate> issuers = issuer.chain();
    List<X509Certificate> full = new ArrayList<>(issuers.size() + 1);
    full.add(certificate);
    full.addAll(issuers);
    this.fullChain = Collections.unmodifiableList(full);
    this.chain = fullChain.subList(0, fullChain.size() - 1);
  }

  /**
   * Returns the certificate.
   *
   * @return the leaf certificate, as parsed by the JDK
   */
  public X509Certificate certificate() {
    return certificate;
  }

  /**
   * Returns the private key.
   *
   * @return the JDK's own private key object
   */
  public PrivateKey privateKey() {
    return keyPair.getPrivate();
  }

  /**
   * Returns the certified key pair.
   *
   * @return the public key (the certificate's) and the private key
   */
  public KeyPair keyPair() {
    return keyPair;
  }

  /**
   * Returns the certificate's serial number.
   *
   * @return a positive number of 64 random bits, unique within the issuing CA
   */
  public BigInteger serialNumber() {
    return certificate.getSerialNumber();
  }

  /**
   * Returns the CA that issued this certificate.
   *
   * @return the issuing CA
   */
  public TestCa issuer() {
    return issuer;
  }

  /**
   * Returns the leaf then its intermediate CAs, without the root: what a TLS peer sends.
   *
   * @return an unmodifiable list starting with {@link #certificate()}
   */
  public List<X509Certificate> chain() {
    return chain;
  }

  /**
   * Returns the leaf, its intermediate CAs and the root.
   *
   * @return an unmodifiable list starting with {@link #certificate()} and ending with the root
   */
  public List<X509Certificate> fullChain() {
    return fullChain;
  }

  /**
   * Returns the certificate as PEM.
   *
   * @return one {@code CERTIFICATE} block
   */
  public String certificatePem() {
    return Pem.certificate(certificate);
  }

  /**
   * Returns {@link #chain()} as PEM.
   *
   * @return the leaf's block followed by its intermediates'
   */
  public String chainPem() {
    return Pem.certificates(chain);
  }

  /**
   * Returns {@link #fullChain()} as PEM.
   *
   * @return the leaf's block, its intermediates' and the root's
   */
  public String fullChainPem() {
    return Pem.certificates(fullChain);
  }

  /**
   * Returns the private key as unencrypted PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}).
   *
   * @return the key as PEM
   */
  public String privateKeyPem() {
    return privateKeyPem(KeyFormat.PKCS8);
  }

  /**
   * Returns the private key as unencrypted PEM in the given format.
   *
   * @param format PKCS#8 for any key, PKCS#1 for RSA keys, SEC 1 for EC keys
   * @return the key as PEM
   * @throws IllegalArgumentException if the format does not fit the key type, for example
   *     SEC 1 for an RSA key
   */
  public String privateKeyPem(KeyFormat format) {
    Objects.requireNonNull(format, "format");
    return PrivateKeyPem.encode(keyPair, format);
  }

  /**
   * Returns the private key as encrypted PKCS#8 PEM ({@code -----BEGIN ENCRYPTED PRIVATE
   * KEY-----}): PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC, readable by OpenSSL 3 and by
   * Bouncy Castle's {@code PEMParser}.
   *
   * @param password a non-empty password; the array is not kept
   * @return the encrypted key as PEM
   */
  public String encryptedPrivateKeyPem(char[] password) {
    Objects.requireNonNull(password, "password");
    return PrivateKeyPem.encrypt(keyPair.getPrivate(), password);
  }

  /**
   * Returns a new in-memory PKCS#12 key store holding the private key and {@link #chain()}
   * under the alias {@code "identity"}, ready for {@code KeyManagerFactory.init(store,
   * password)}.
   *
   * @param password the password of the key entry; the array is not kept
   * @return a new key store
   */
  public KeyStore keyStore(char[] password) {
    Objects.requireNonNull(password, "password");
    return KeyStores.keyStore(keyPair.getPrivate(), chain, password);
  }

  /**
   * Writes {@link #keyStore(char[])} as a PKCS#12 file protected by {@code password}, readable
   * by its owner only where the file system has POSIX permissions.
   *
   * @param file where to write; parent directories are created as needed
   * @param password the password of the store and of the key entry
   * @return {@code file}
   */
  public Path writePkcs12(Path file, char[] password) {
    Objects.requireNonNull(file, "file");
    byte[] bytes = KeyStores.toBytes(keyStore(password), password);
    return FileWriting.writeSecret(file, bytes, "PKCS#12 key store");
  }

  /**
   * Writes {@code cert.pem}, {@code chain.pem}, {@code fullchain.pem}, {@code key.pem} (PKCS#8,
   * owner-only permissions) and {@code ca.pem} (the root) into {@code directory}, creating it
   * as needed.
   *
   * @param directory where to write
   * @return the paths written
   */
  public PemFiles writePem(Path directory) {
    return writePem(directory, KeyFormat.PKCS8);
  }

  /**
   * Writes the files of {@link #writePem(Path)} with the key in the given format.
   *
   * @param directory where to write
   * @param format the format of {@code key.pem}
   * @return the paths written
   * @throws IllegalArgumentException if the format does not fit the key type
   */
  public PemFiles writePem(Path directory, KeyFormat format) {
    Objects.requireNonNull(directory, "directory");
    return writeFiles(directory, privateKeyPem(format));
  }

  /**
   * Writes the files of {@link #writePem(Path)} with {@code key.pem} as encrypted PKCS#8.
   *
   * @param directory where to write
   * @param password the key's password
   * @return the paths written
   */
  public PemFiles writeEncryptedPem(Path directory, char[] password) {
    Objects.requireNonNull(directory, "directory");
    return writeFiles(directory, encryptedPrivateKeyPem(password));
  }

  private PemFiles writeFiles(Path directory, String keyPem) {
    return new PemFiles(
        FileWriting.writePublic(directory.resolve("cert.pem"), certificatePem(), "certificate"),
        FileWriting.writePublic(directory.resolve("chain.pem"), chainPem(), "chain"),
        FileWriting.writePublic(directory.resolve("fullchain.pem"), fullChainPem(), "full chain"),
        FileWriting.writeSecret(
            directory.resolve("key.pem"), keyPem.getBytes(StandardCharsets.US_ASCII),
            "private key"),
        FileWriting.writePublic(
            directory.resolve("ca.pem"), Pem.certificate(issuer.rootCertificate()),
            "CA certificate"));
  }

  /**
   * Describes the certificate without its key.
   *
   * @return for example {@code IssuedCertificate[CN=localhost, serial 1c3e..., issuer CN=...]}
   */
  @Override
  public String toString() {
    return "IssuedCertificate[" + certificate.getSubjectX500Principal().getName()
        + ", serial " + serialNumber().toString(16)
        + ", issuer " + certificate.getIssuerX500Principal().getName() + "]";
  }
}
