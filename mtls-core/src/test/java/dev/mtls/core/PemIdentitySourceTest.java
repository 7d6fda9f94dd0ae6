package dev.mtls.core;

import static dev.mtls.core.LoadingFixtures.assertLoadFails;
import static dev.mtls.core.LoadingFixtures.rsaKeyPair;
import static dev.mtls.core.LoadingFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mtls.core.internal.material.IdentityMaterial;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.KeyFormat;
import dev.mtls.testkit.KeyType;
import dev.mtls.testkit.PemFiles;
import dev.mtls.testkit.TestCa;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PemIdentitySourceTest {
  private static final TestCa CA = TestCa.create();
  private static final char[] PASSWORD = "correct horse".toCharArray();

  @TempDir Path dir;

  private static IssuedCertificate issue(KeyType keyType) {
    var leaf = CA.leaf("server-" + keyType).dnsNames("localhost");
    return keyType == KeyType.RSA_2048 ? leaf.keyPair(rsaKeyPair()).issue() : leaf.keyType(keyType).issue();
  }

  @ParameterizedTest(name = "{0} key as {1}")
  @CsvSource({
      "RSA_2048, PKCS1", "RSA_2048, PKCS8",
      "EC_P256, SEC1", "EC_P256, PKCS8",
      "EC_P384, SEC1", "EC_P384, PKCS8",
      "ED25519, PKCS8"})
  void load_returnsJdkKeyAndChain_forEveryUnencryptedKeyFormat(KeyType keyType, KeyFormat format) {
    IssuedCertificate issued = issue(keyType);
    PemFiles files = issued.writePem(dir, format);

    IdentityMaterial material = IdentitySource.pemFiles(files.chain(), files.privateKey())
        .loader().load();

    assertThat(material.chain()).containsExactlyElementsOf(issued.chain());
    assertThat(material.privateKey().getEncoded()).isEqualTo(issued.privateKey().getEncoded());
    assertThat(material.privateKey().getClass().getName()).startsWith("sun.security.");
    assertThat(material.leaf().getClass().getName()).startsWith("sun.security.");
    assertThat(material.privateKey())
        .isInstanceOfAny(RSAPrivateCrtKey.class, ECPrivateKey.class, EdECPrivateKey.class);
  }

  @ParameterizedTest
  @CsvSource({"RSA_2048", "EC_P256", "EC_P384", "ED25519"})
  void load_decryptsEncryptedPkcs8Key_withItsPassword(KeyType keyType) {
    IssuedCertificate issued = issue(keyType);
    PemFiles files = issued.writeEncryptedPem(dir, PASSWORD);

    IdentityMaterial material =
        IdentitySource.pemFiles(files.chain(), files.privateKey(), PASSWORD).loader().load();

    assertThat(material.privateKey().getEncoded()).isEqualTo(issued.privateKey().getEncoded());
  }

  @Test
  void load_readsCombinedFile_whenChainAndKeyShareOnePath() {
    IssuedCertificate issued = issue(KeyType.EC_P256);
    Path combined = write(dir.resolve("combined.pem"), issued.privateKeyPem() + issued.chainPem());

    IdentitySource source = IdentitySource.pemFiles(combined, combined);
    IdentityMaterial material = source.loader().load();

    assertThat(material.chain()).containsExactlyElementsOf(issued.chain());
    assertThat(source.files()).containsExactly(combined);
  }

  @Test
  void load_ignoresEcParametersBlockAndTextAroundBlocks_likeOpenssl() {
    IssuedCertificate issued = issue(KeyType.EC_P256);
    // What 'openssl ecparam -genkey' and 'openssl pkcs12 -nodes' write.
    Path key = write(dir.resolve("key.pem"), "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n"
        + "-----END EC PARAMETERS-----\n" + issued.privateKeyPem(KeyFormat.SEC1));
    Path chain = write(dir.resolve("chain.pem"), "Bag Attributes\n    friendlyName: server\n"
        + "subject=CN = server\n" + issued.certificatePem() + "\nsome note\n");

    IdentityMaterial material = IdentitySource.pemFiles(chain, key).loader().load();

    assertThat(material.leaf()).isEqualTo(issued.certificate());
  }

  @Test
  void load_acceptsPasswordQuietly_whenKeyIsNotEncrypted() {
    PemFiles files = issue(KeyType.EC_P256).writePem(dir);

    IdentityMaterial material =
        IdentitySource.pemFiles(files.chain(), files.privateKey(), PASSWORD).loader().load();

    assertThat(material.privateKey()).isNotNull();
  }

  @Test
  void load_readsFilesAfresh_onEveryCall() {
    PemFiles first = issue(KeyType.EC_P256).writePem(dir);
    IdentitySource source = IdentitySource.pemFiles(first.chain(), first.privateKey());
    IdentityMaterial before = source.loader().load();

    IssuedCertificate next = issue(KeyType.EC_P256);
    next.writePem(dir);
    IdentityMaterial after = source.loader().load();

    assertThat(before.leaf()).isNotEqualTo(after.leaf());
    assertThat(after.leaf()).isEqualTo(next.certificate());
  }

  @Test
  void toString_namesFiles_neverPassword() {
    Path chain = dir.resolve("tls.crt");
    Path key = dir.resolve("tls.key");

    String text = IdentitySource.pemFiles(chain, key, PASSWORD).toString();

    assertThat(text).contains(chain.toString(), key.toString()).doesNotContain("horse");
  }

  @Test
  void pemFiles_copiesPassword_soCallerMayClearIt() {
    PemFiles files = issue(KeyType.EC_P256).writeEncryptedPem(dir, PASSWORD);
    char[] password = PASSWORD.clone();
    IdentitySource source = IdentitySource.pemFiles(files.chain(), files.privateKey(), password);

    java.util.Arrays.fill(password, '\0');

    assertThat(source.loader().load().privateKey()).isNotNull();
  }

  @Test
  void withLimits_keepsFilesAndPassword_andChangesOnlyTheLimits() {
    PemFiles files = issue(KeyType.EC_P256).writeEncryptedPem(dir, PASSWORD);
    IdentitySource source = IdentitySource.pemFiles(files.chain(), files.privateKey(), PASSWORD);
    MaterialLimits limits = MaterialLimits.builder().maxFileSize(64 * 1024).build();

    IdentitySource limited = source.withLimits(limits);

    assertThat(source.limits()).isEqualTo(MaterialLimits.defaults());
    assertThat(limited.limits()).isEqualTo(limits);
    assertThat(limited.files()).isEqualTo(source.files());
    assertThat(limited.toString()).isEqualTo(source.toString());
    assertThat(limited.loader().load().privateKey()).isNotNull();
    assertLoadFails(() -> source.withLimits(MaterialLimits.builder().maxFileSize(100).build()).loader().load(),
        files.chain(), "more than the limit of 100 bytes for one material file");
  }

  // ---- failures: each names the file and the problem ----

  @Test
  void load_failsWithoutReadingIt_whenChainFileIsFiftyMebibytes() throws Exception {
    IssuedCertificate issued = issue(KeyType.EC_P256);
    PemFiles files = issued.writePem(dir);
    // A good chain followed by 50 MiB of nothing (a sparse file: cheap to make).
    try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(files.chain().toFile(), "rw")) {
      file.setLength(50L * 1024 * 1024);
    }

    assertLoadFails(() -> IdentitySource.pemFiles(files.chain(), files.privateKey()).loader().load(),
        files.chain(), "cannot load certificate chain", "file is 52,428,800 bytes (50 MiB), more than"
            + " the limit of 1,048,576 bytes (1 MiB) for one material file"
            + " (MaterialLimits.maxFileSize); nothing was read");
  }

  @Test
  void load_failsSayingNotARegularFile_whenKeyFileIsANamedPipe() throws Exception {
    PemFiles files = issue(KeyType.EC_P256).writePem(dir);
    Path pipe = dir.resolve("key.fifo");
    assumeTrue(mkfifo(pipe), "mkfifo is available");

    // Reading a pipe nobody writes to would block the loading thread for ever.
    org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10),
        () -> assertLoadFails(() -> IdentitySource.pemFiles(files.chain(), pipe).loader().load(),
            pipe, "is not a regular file (a named pipe, socket or device?)"));
  }

  @Test
  void load_namesTheLinkTarget_whenKeyFileIsADanglingSymbolicLink() throws Exception {
    PemFiles files = issue(KeyType.EC_P256).writePem(dir);
    Path link = Files.createSymbolicLink(dir.resolve("tls.key"), dir.resolve("..data/tls.key"));

    assertLoadFails(() -> IdentitySource.pemFiles(files.chain(), link).loader().load(), link,
        "file does not exist (a symbolic link to " + dir.resolve("..data/tls.key")
            + ", which does not exist)");
  }

  @Test
  void load_failsShowingTheLoop_whenKeyFileIsASymbolicLinkLoop() throws Exception {
    PemFiles files = issue(KeyType.EC_P256).writePem(dir);
    Path a = dir.resolve("a.key");
    Path b = dir.resolve("b.key");
    Files.createSymbolicLink(a, b.getFileName());
    Files.createSymbolicLink(b, a.getFileName());

    assertLoadFails(() -> IdentitySource.pemFiles(files.chain(), a).loader().load(), a,
        "symbolic link loop: " + a + " -> " + b + " -> " + a);
  }

  @Test
  void load_failsNamingFile_whenKeyFileIsMissing() {
    PemFiles files = issue(KeyType.EC_P256).writePem(dir);
    Path missing = dir.resolve("nope.key");

    assertLoadFails(() -> IdentitySource.pemFiles(files.chain(), missing).loader().load(),
        missing, "cannot load private key", "file does not exist");
  }

  @Test
  void load_failsNamingFile_whenChainPathIsDirectory() {
    PemFiles files = issue(KeyType.EC_P256).writePem(dir);

    assertLoadFails(() -> IdentitySource.pemFiles(dir, files.privateKey()).loader().load(),
        dir, "cannot load certificate chain", "is a directory, not a file");
  }

  @Test
  void load_failsNamingFile_whenKeyFileIsEmpty() {
    PemFiles files = issue(KeyType.EC_P256).writePem(dir);
    write(files.privateKey(), "");

    assertLoadFails(() -> IdentitySource.pemFiles(files.chain(), files.privateKey()).loader().load(),
        files.privateKey(), "file is empty");
  }

  @Test
  void load_failsNamingFile_whenKeyFileIsNotPem() {
    PemFiles files = issue(KeyType.EC_P256).writePem(dir);
    write(files.privateKey(), "this is not a key\n");

    assertLoadFails(() -> IdentitySource.pemFiles(files.chain(), files.privateKey()).loader().load(),
        files.privateKey(), "not PEM: no -----BEGIN line found");
  }

  @Test
  void load_failsSayingDer_whenChainFileIsBinary() {
    IssuedCertificate issued = issue(KeyType.EC_P256);
    PemFiles files = issued.writePem(dir);
    write(files.chain(), LoadingFixtures.der(issued.certificate()));

    assertLoadFails(() -> IdentitySource.pemFiles(files.chain(), files.privateKey()).loader().load(),
        files.chain(), "not PEM", "binary DER");
  }

  @Test
  void load_failsNamingFile_whenKeyFileHoldsNoPrivateKey() {
    PemFiles files = issue(KeyType.EC_P256).writePem(dir);

    assertLoadFails(() -> IdentitySource.pemFiles(files.chain(), files.chain()).loader().load(),
        files.chain(), "no private key in file (found 1 CERTIFICATE)");
  }

  @Test
  void load_failsNamingFile_whenKeyFileHoldsTwoPrivateKeys() {
    IssuedCertificate issued = issue(KeyType.EC_P256);
    PemFiles files = issued.writePem(dir);
    write(files.privateKey(), issued.privateKeyPem() + issue(KeyType.EC_P256).privateKeyPem());

    assertLoadFails(() -> IdentitySource.pemFiles(files.chain(), files.privateKey()).loader().load(),
        files.privateKey(), "2 private keys in file (PRIVATE KEY at line 1, PRIVATE KEY at line",
        "expected exactly one");
  }

  @Test
  void load_failsNamingFile_whenKeyIsEncryptedButNoPassword() {
    PemFiles files = issue(KeyType.EC_P256).writeEncryptedPem(dir, PASSWORD);

    assertLoadFails(() -> IdentitySource.pemFiles(files.chain(), files.privateKey()).loader().load(),
        files.privateKey(), "encrypted PKCS#8 key but no password was given");
  }

  @Test
  void load_failsNamingFile_whenPasswordIsWrong() {
    PemFiles files = issue(KeyType.EC_P256).writeEncryptedPem(dir, PASSWORD);

    assertLoadFails(() -> IdentitySource.pemFiles(files.chain(), files.privateKey(),
            "wrong".toCharArray()).loader().load(),
        files.privateKey(), "wrong password for the encrypted PKCS#8 key");
  }

  @Test
  void load_failsNamingFile_whenChainFileHoldsNoCertificate() {
    PemFiles files = issue(KeyType.EC_P256).writePem(dir);

    assertLoadFails(
        () -> IdentitySource.pemFiles(files.privateKey(), files.privateKey()).loader().load(),
        files.privateKey(), "cannot load certificate chain", "no certificate in file (found 1 PRIVATE KEY)");
  }

  @Test
  void load_failsNamingCertificate_whenEcKeyDoesNotMatch() {
    assertKeyMismatchIsReported(KeyType.EC_P256);
  }

  @Test
  void load_failsNamingCertificate_whenRsaKeyDoesNotMatch() {
    assertKeyMismatchIsReported(KeyType.RSA_2048);
  }

  @Test
  void load_failsNamingCertificate_whenEd25519KeyDoesNotMatch() {
    assertKeyMismatchIsReported(KeyType.ED25519);
  }

  private void assertKeyMismatchIsReported(KeyType keyType) {
    IssuedCertificate issued = issue(keyType);
    PemFiles files = issued.writePem(dir);
    IssuedCertificate other = keyType == KeyType.RSA_2048
        ? CA.leaf("other").keyType(KeyType.RSA_2048).issue()
        : issue(keyType);
    write(files.privateKey(), other.privateKeyPem());

    assertLoadFails(() -> IdentitySource.pemFiles(files.chain(), files.privateKey()).loader().load(),
        files.privateKey(), "private key does not match the certificate's public key (certificate "
            + issued.certificate().getSubjectX500Principal().getName() + ", serial "
            + issued.serialNumber().toString(16) + ")");
  }

  @Test
  void load_failsSayingOutOfOrder_whenLeafIsNotFirst() {
    TestCa intermediate = CA.newIntermediate("Intermediate CA");
    IssuedCertificate issued = intermediate.leaf("server").issue();
    PemFiles files = issued.writePem(dir);
    write(files.chain(), intermediate.certificatePem() + issued.certificatePem());

    assertLoadFails(() -> IdentitySource.pemFiles(files.chain(), files.privateKey()).loader().load(),
        files.chain(), "chain out of order: the private key belongs to certificate 2 (CN=server",
        "the leaf certificate must come first");
  }

  @Test
  void load_failsNamingBothCertificates_whenChainCertificateIsNotIssuedByTheNext() {
    IssuedCertificate issued = issue(KeyType.EC_P256);
    PemFiles files = issued.writePem(dir);
    TestCa other = TestCa.builder().commonName("Other CA").build();
    write(files.chain(), issued.certificatePem() + other.certificatePem());

    assertLoadFails(() -> IdentitySource.pemFiles(files.chain(), files.privateKey()).loader().load(),
        files.chain(), "chain out of order: certificate 1 (CN=server-EC_P256) is issued by "
            + CA.subject().getName() + ", but certificate 2 is CN=Other CA");
  }

  @Test
  void load_failsSayingTruncated_whenEndLineIsMissing() {
    IssuedCertificate issued = issue(KeyType.EC_P256);
    PemFiles files = issued.writePem(dir);
    String pem = issued.privateKeyPem();
    write(files.privateKey(), pem.substring(0, pem.indexOf("-----END")));

    assertLoadFails(() -> IdentitySource.pemFiles(files.chain(), files.privateKey()).loader().load(),
        files.privateKey(), "truncated PEM block: -----BEGIN PRIVATE KEY----- at line 1 has no"
            + " -----END PRIVATE KEY----- line");
  }

  @Test
  void load_failsSayingTruncated_whenBase64IsCutShort() {
    IssuedCertificate issued = issue(KeyType.EC_P256);
    PemFiles files = issued.writePem(dir);
    String pem = issued.certificatePem();
    String[] lines = pem.split("\n");
    // Keep the first and last line of the block, drop whole base64 lines in between: still
    // valid base64, but the certificate's DER is cut short.
    write(files.chain(), lines[0] + "\n" + lines[1] + "\n" + lines[2] + "\n"
        + lines[lines.length - 1] + "\n");

    assertLoadFails(() -> IdentitySource.pemFiles(files.chain(), files.privateKey()).loader().load(),
        files.chain(), "truncated PEM block: CERTIFICATE at line 1 holds", "bytes but its content announces");
  }

  @Test
  void load_failsSayingCorrupt_whenBase64IsGarbled() {
    IssuedCertificate issued = issue(KeyType.EC_P256);
    PemFiles files = issued.writePem(dir);
    write(files.chain(), "-----BEGIN CERTIFICATE-----\nMIIB!!!notbase64\n-----END CERTIFICATE-----\n");

    assertLoadFails(() -> IdentitySource.pemFiles(files.chain(), files.privateKey()).loader().load(),
        files.chain(), "corrupt PEM block: CERTIFICATE at line 1 is not valid base64");
  }

  private static boolean mkfifo(Path path) {
    try {
      return new ProcessBuilder("mkfifo", path.toString()).start().waitFor() == 0;
    } catch (java.io.IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Test
  void load_neverReadsKeyFileContentIntoMessage() throws Exception {
    IssuedCertificate issued = issue(KeyType.EC_P256);
    PemFiles files = issued.writePem(dir);
    write(files.privateKey(), issue(KeyType.EC_P256).privateKeyPem());
    String body = Files.readString(files.privateKey()).split("\n")[1];

    MtlsLoadException e = assertLoadFails(
        () -> IdentitySource.pemFiles(files.chain(), files.privateKey()).loader().load(),
        files.privateKey(), "does not match");

    assertThat(e.getMessage()).doesNotContain(body);
  }
}
