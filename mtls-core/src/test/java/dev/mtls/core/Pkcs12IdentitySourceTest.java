package dev.mtls.core;

import static dev.mtls.core.LoadingFixtures.assertLoadFails;
import static dev.mtls.core.LoadingFixtures.rsaKeyPair;
import static dev.mtls.core.LoadingFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.core.internal.material.IdentityMaterial;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Pkcs12IdentitySourceTest {
  private static final TestCa CA = TestCa.create();
  private static final char[] PASSWORD = "store secret".toCharArray();

  @TempDir Path dir;

  @Test
  void load_returnsKeyAndChain_ofTheOneKeyEntry() {
    IssuedCertificate issued = CA.newIntermediate("Intermediate CA").leaf("server").issue();
    Path file = issued.writePkcs12(dir.resolve("identity.p12"), PASSWORD);

    IdentityMaterial material = IdentitySource.pkcs12(file, PASSWORD).loader().load();

    assertThat(material.chain()).containsExactlyElementsOf(issued.chain());
    assertThat(material.privateKey().getEncoded()).isEqualTo(issued.privateKey().getEncoded());
  }

  @Test
  void load_returnsRsaIdentity() {
    IssuedCertificate issued = CA.leaf("rsa-server").keyPair(rsaKeyPair()).issue();
    Path file = issued.writePkcs12(dir.resolve("identity.p12"), PASSWORD);

    IdentityMaterial material = IdentitySource.pkcs12(file, PASSWORD).loader().load();

    assertThat(material.leaf()).isEqualTo(issued.certificate());
  }

  @Test
  void load_failsNamingFile_whenPasswordIsWrong() {
    Path file = CA.leaf("server").issue().writePkcs12(dir.resolve("identity.p12"), PASSWORD);

    assertLoadFails(() -> IdentitySource.pkcs12(file, "wrong".toCharArray()).loader().load(),
        file, "cannot load PKCS#12 identity", "wrong password for the PKCS#12 file");
  }

  @Test
  void load_failsListingEntries_whenThereIsNoKeyEntry() throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setCertificateEntry("ca", CA.certificate());
    Path file = writeStore(store);

    assertLoadFails(() -> IdentitySource.pkcs12(file, PASSWORD).loader().load(), file,
        "no private-key entry in the PKCS#12 file (entries: ca (trusted certificate))");
  }

  @Test
  void load_failsListingAliases_whenThereAreSeveralKeyEntries() throws Exception {
    IssuedCertificate a = CA.leaf("a").issue();
    IssuedCertificate b = CA.leaf("b").issue();
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("alpha", a.privateKey(), PASSWORD, a.chain().toArray(new Certificate[0]));
    store.setKeyEntry("beta", b.privateKey(), PASSWORD, b.chain().toArray(new Certificate[0]));
    Path file = writeStore(store);

    assertLoadFails(() -> IdentitySource.pkcs12(file, PASSWORD).loader().load(), file,
        "2 private-key entries in the PKCS#12 file (aliases: alpha, beta); expected exactly one");
  }

  @Test
  void load_failsNamingFile_whenFileIsEmpty() {
    Path file = write(dir.resolve("identity.p12"), "");

    assertLoadFails(() -> IdentitySource.pkcs12(file, PASSWORD).loader().load(), file,
        "file is empty");
  }

  @Test
  void load_failsNamingFile_whenFileIsGarbage() {
    Path file = write(dir.resolve("identity.p12"), "garbage, not a key store");

    assertLoadFails(() -> IdentitySource.pkcs12(file, PASSWORD).loader().load(), file,
        "not a readable PKCS#12 file");
  }

  @Test
  void withLimits_appliesToThePkcs12File() {
    Path file = CA.leaf("server").issue().writePkcs12(dir.resolve("identity.p12"), PASSWORD);
    MaterialLimits tiny = MaterialLimits.builder().maxFileSize(100).build();

    assertLoadFails(() -> IdentitySource.pkcs12(file, PASSWORD).withLimits(tiny).loader().load(), file,
        "cannot load PKCS#12 identity", "more than the limit of 100 bytes for one material file");
  }

  private Path writeStore(KeyStore store) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    store.store(out, PASSWORD);
    return write(dir.resolve("store.p12"), out.toByteArray());
  }
}
