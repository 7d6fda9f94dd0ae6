package dev.mtls.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IssuedCertificateTest {
  private static final char[] PASSWORD = "changeit".toCharArray();

  private final TestCa root = TestCa.create();
  private final TestCa intermediate = root.newIntermediate("Issuing CA");

  @Test
  void chain_isLeafAndIntermediates_fullChainAddsTheRoot() {
    IssuedCertificate leaf = intermediate.server("localhost");

    assertThat(leaf.chain()).containsExactly(leaf.certificate(), intermediate.certificate());
    assertThat(leaf.fullChain())
        .containsExactly(leaf.certificate(), intermediate.certificate(), root.certificate());
    assertThat(leaf.issuer()).isSameAs(intermediate);
    assertThat(leaf.serialNumber()).isEqualTo(leaf.certificate().getSerialNumber());
    assertThat(root.server("direct").chain()).hasSize(1);
  }

  @Test
  void pemStrings_parseBackToTheSameCertificates() throws Exception {
    IssuedCertificate leaf = intermediate.client("alice");

    assertThat(parse(leaf.certificatePem())).containsExactly(leaf.certificate());
    assertThat(parse(leaf.chainPem())).containsExactlyElementsOf(leaf.chain());
    assertThat(parse(leaf.fullChainPem())).containsExactlyElementsOf(leaf.fullChain());
    assertThat(leaf.certificatePem())
        .startsWith("-----BEGIN CERTIFICATE-----\n")
        .endsWith("-----END CERTIFICATE-----\n")
        .doesNotContain("\r");
    assertThat(leaf.certificatePem().lines().skip(1).findFirst().orElseThrow()).hasSize(64);
  }

  @Test
  void privateKeyPem_isPkcs8_readableByTheJdk() throws Exception {
    for (KeyType type : List.of(KeyType.EC_P256, KeyType.EC_P384, KeyType.ED25519)) {
      IssuedCertificate leaf = root.leaf("k").keyType(type).issue();
      String pem = leaf.privateKeyPem();

      assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----\n");
      PrivateKey key = KeyFactory.getInstance(leaf.privateKey().getAlgorithm())
          .generatePrivate(new PKCS8EncodedKeySpec(base64Body(pem)));
      assertThat(key).as(type.name()).isEqualTo(leaf.privateKey());
    }
  }

  @Test
  void privateKeyPem_pkcs1_forRsa_andSec1_forEc_readableByBouncyCastle() throws Exception {
    IssuedCertificate rsa = root.leaf("rsa").keyPair(SharedKeys.rsa2048()).issue();
    IssuedCertificate ec = root.leaf("ec").issue();

    String pkcs1 = rsa.privateKeyPem(KeyFormat.PKCS1);
    String sec1 = ec.privateKeyPem(KeyFormat.SEC1);

    assertThat(pkcs1).startsWith("-----BEGIN RSA PRIVATE KEY-----\n");
    assertThat(sec1).startsWith("-----BEGIN EC PRIVATE KEY-----\n");
    assertThat(readKeyPair(pkcs1).getPrivateKeyInfo().getEncoded())
        .isEqualTo(PrivateKeyInfo.getInstance(rsa.privateKey().getEncoded()).getEncoded());
    PEMKeyPair ecPair = readKeyPair(sec1);
    assertThat(ecPair.getPublicKeyInfo().getEncoded())
        .isEqualTo(ec.certificate().getPublicKey().getEncoded());
    assertThat(ecPair.getPrivateKeyInfo().parsePrivateKey().toASN1Primitive())
        .isNotNull();
  }

  @Test
  void privateKeyPem_wrongFormatForKey_namesBoth() {
    IssuedCertificate ec = root.client("ec");
    IssuedCertificate ed = root.leaf("ed").keyType(KeyType.ED25519).issue();

    assertThatIllegalArgumentException()
        .isThrownBy(() -> ec.privateKeyPem(KeyFormat.PKCS1))
        .withMessage("key format PKCS1 holds only RSA keys, but this is an EC key (use PKCS8)");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ed.privateKeyPem(KeyFormat.SEC1))
        .withMessage("key format SEC1 holds only EC keys, but this is an Ed25519 key (use PKCS8)");
  }

  @Test
  void encryptedPrivateKeyPem_decryptsWithBouncyCastlesPemParser() throws Exception {
    for (KeyType type : List.of(KeyType.EC_P256, KeyType.ED25519)) {
      IssuedCertificate leaf = root.leaf("enc").keyType(type).issue();
      String pem = leaf.encryptedPrivateKeyPem(PASSWORD);

      assertThat(pem).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----\n");
      try (PEMParser parser = new PEMParser(new StringReader(pem))) {
        PKCS8EncryptedPrivateKeyInfo encrypted = (PKCS8EncryptedPrivateKeyInfo) parser.readObject();
        PrivateKeyInfo decrypted = encrypted.decryptPrivateKeyInfo(
            new JceOpenSSLPKCS8DecryptorProviderBuilder()
                .setProvider(new BouncyCastleProvider())
                .build(PASSWORD));
        assertThat(decrypted.getEncoded()).as(type.name())
            .isEqualTo(PrivateKeyInfo.getInstance(leaf.privateKey().getEncoded()).getEncoded());
      }
    }
  }

  @Test
  void encryptedPrivateKeyPem_rejectsAnEmptyPassword() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> root.client("x").encryptedPrivateKeyPem(new char[0]))
        .withMessage("password must not be empty");
  }

  @Test
  void keyStore_holdsKeyAndChain_underAliasIdentity() throws Exception {
    IssuedCertificate leaf = intermediate.server("localhost");
    KeyStore store = leaf.keyStore(PASSWORD);

    assertThat(store.getType()).isEqualToIgnoringCase("PKCS12");
    assertThat(Collections.list(store.aliases())).containsExactly("identity");
    assertThat(store.getKey("identity", PASSWORD)).isEqualTo(leaf.privateKey());
    assertThat(store.getCertificateChain("identity")).containsExactlyElementsOf(leaf.chain());
  }

  @Test
  void writePkcs12_writesAStoreThatLoadsBack_ownerOnly(@TempDir Path directory) throws Exception {
    IssuedCertificate leaf = intermediate.client("alice");
    Path file = leaf.writePkcs12(directory.resolve("alice.p12"), PASSWORD);

    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      store.load(in, PASSWORD);
    }
    assertThat(store.getKey("identity", PASSWORD)).isEqualTo(leaf.privateKey());
    assertThat(store.getCertificateChain("identity")).containsExactlyElementsOf(leaf.chain());
    assertOwnerOnly(file);
  }

  @Test
  void writePem_writesFiveFiles_keyOwnerOnly(@TempDir Path directory) throws Exception {
    IssuedCertificate leaf = intermediate.server("localhost");
    PemFiles files = leaf.writePem(directory.resolve("tls"));

    assertThat(files.certificate()).hasFileName("cert.pem");
    assertThat(read(files.certificate())).isEqualTo(leaf.certificatePem());
    assertThat(read(files.chain())).isEqualTo(leaf.chainPem());
    assertThat(read(files.fullChain())).isEqualTo(leaf.fullChainPem());
    assertThat(read(files.privateKey())).isEqualTo(leaf.privateKeyPem());
    assertThat(read(files.caCertificate())).isEqualTo(root.certificatePem());
    assertThat(files.privateKey()).hasFileName("key.pem");
    assertOwnerOnly(files.privateKey());
  }

  @Test
  void writePem_overExistingWorldReadableKey_tightensItsPermissions(@TempDir Path directory)
      throws Exception {
    Assumptions.assumeTrue(posix(), "POSIX file system");
    Path key = Files.writeString(directory.resolve("key.pem"), "old");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

    root.client("x").writePem(directory, KeyFormat.SEC1);

    assertOwnerOnly(key);
    assertThat(read(key)).startsWith("-----BEGIN EC PRIVATE KEY-----");
  }

  @Test
  void writeEncryptedPem_writesAnEncryptedKey(@TempDir Path directory) throws Exception {
    PemFiles files = root.client("x").writeEncryptedPem(directory, PASSWORD);

    assertThat(read(files.privateKey())).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
    assertOwnerOnly(files.privateKey());
  }

  @Test
  void toString_namesSubjectSerialAndIssuer_notTheKey() {
    IssuedCertificate leaf = root.client("alice");

    assertThat(leaf.toString())
        .isEqualTo("IssuedCertificate[CN=alice, serial " + leaf.serialNumber().toString(16)
            + ", issuer " + root.subject().getName() + "]");
  }

  static List<Certificate> parse(String pem) throws Exception {
    return List.<Certificate>copyOf(CertificateFactory.getInstance("X.509")
        .generateCertificates(new java.io.ByteArrayInputStream(
            pem.getBytes(StandardCharsets.US_ASCII))));
  }

  private static PEMKeyPair readKeyPair(String pem) throws Exception {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      return (PEMKeyPair) parser.readObject();
    }
  }

  private static byte[] base64Body(String pem) {
    return Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
  }

  private static String read(Path file) throws Exception {
    return Files.readString(file, StandardCharsets.US_ASCII);
  }

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  private static void assertOwnerOnly(Path file) throws Exception {
    if (posix()) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
    }
  }
}
