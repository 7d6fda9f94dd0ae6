package dev.mtls.core;

import static dev.mtls.core.LoadingFixtures.assertLoadFails;
import static dev.mtls.core.LoadingFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.core.internal.material.TrustMaterial;
import dev.mtls.testkit.TestCa;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustSourceTest {
  private static final TestCa ONE = TestCa.builder().commonName("CA One").build();
  private static final TestCa TWO = TestCa.builder().commonName("CA Two").build();
  private static final TestCa THREE = TestCa.builder().commonName("CA Three").build();
  private static final char[] PASSWORD = "store secret".toCharArray();

  @TempDir Path dir;

  @Test
  void pemFile_loadsEveryCertificateOfABundle_inFileOrder() {
    Path bundle = write(dir.resolve("bundle.pem"), "# CA One\n" + ONE.certificatePem()
        + "# CA Two\n" + TWO.certificatePem() + THREE.certificatePem());

    TrustMaterial trust = TrustSource.pemFile(bundle).loader().load();

    assertThat(trust.anchors()).containsExactly(
        ONE.certificate(), TWO.certificate(), THREE.certificate());
    assertThat(trust.anchors().get(0).getClass().getName()).startsWith("sun.security.");
  }

  @Test
  void pemDirectory_loadsEveryCertificateFile_andSkipsHiddenAndOtherEntries() throws Exception {
    write(dir.resolve("one.pem"), ONE.certificatePem());
    write(dir.resolve("two.CRT"), TWO.certificatePem());
    write(dir.resolve("three.cer"), THREE.certificatePem());
    write(dir.resolve("one-again.crt"), ONE.certificatePem());
    write(dir.resolve("README.txt"), "not a certificate");
    write(dir.resolve(".hidden.pem"), "garbage");
    // A Kubernetes volume: ..data -> ..2026_11_25..., with the real files inside.
    Files.createDirectories(dir.resolve("..2026_11_25_10_00_00.123/sub.pem"));
    Files.createSymbolicLink(dir.resolve("..data"), dir.resolve("..2026_11_25_10_00_00.123"));
    Files.createDirectories(dir.resolve("nested.pem"));

    TrustSource source = TrustSource.pemDirectory(dir);
    TrustMaterial trust = source.loader().load();

    assertThat(trust.anchors()).containsExactlyInAnyOrder(
        ONE.certificate(), TWO.certificate(), THREE.certificate());
    assertThat(source.files()).containsExactly(dir);
  }

  @Test
  void pemDirectory_followsKubernetesStyleSymbolicLinks() throws Exception {
    Path data = Files.createDirectories(dir.resolve("..2026_11_25_10_00_00.123"));
    write(data.resolve("ca.crt"), ONE.certificatePem());
    Files.createSymbolicLink(dir.resolve("..data"), data.getFileName());
    Files.createSymbolicLink(dir.resolve("ca.crt"), Path.of("..data/ca.crt"));

    TrustMaterial trust = TrustSource.pemDirectory(dir).loader().load();

    assertThat(trust.anchors()).containsExactly(ONE.certificate());
  }

  @Test
  void pkcs12_loadsTrustedCertificateEntries() throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setCertificateEntry("one", ONE.certificate());
    store.setCertificateEntry("two", TWO.certificate());
    Path file = writeStore(store, "trust.p12");

    TrustMaterial trust = TrustSource.pkcs12(file, PASSWORD).loader().load();

    assertThat(trust.anchors()).containsExactly(ONE.certificate(), TWO.certificate());
  }

  @Test
  void of_keepsAnchors_asJdkCertificates() {
    TrustSource source = TrustSource.of(List.of(ONE.certificate(), TWO.certificate()));

    assertThat(source.loader().load().anchors()).containsExactly(ONE.certificate(), TWO.certificate());
    assertThat(source.files()).isEmpty();
    assertThat(source.toString()).contains("in-memory trust anchors (2 certificates)");
  }

  @Test
  void toString_namesTheFile_neverThePassword() {
    Path file = dir.resolve("trust.p12");

    assertThat(TrustSource.pkcs12(file, PASSWORD).toString())
        .contains(file.toString()).doesNotContain("secret");
  }

  // ---- failures ----

  @Test
  void pemFile_failsNamingFile_whenItHoldsNoCertificate() {
    Path file = write(dir.resolve("ca.pem"), "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n"
        + "-----END EC PARAMETERS-----\n");

    assertLoadFails(() -> TrustSource.pemFile(file).loader().load(), file,
        "cannot load trust anchors", "no certificate in file (found 1 EC PARAMETERS)");
  }

  @Test
  void pemFile_failsNamingFile_whenItIsMissing() {
    Path file = dir.resolve("missing.pem");

    assertLoadFails(() -> TrustSource.pemFile(file).loader().load(), file, "file does not exist");
  }

  @Test
  void pemFile_failsSayingTruncated_whenBundleIsHalfWritten() {
    String pem = TWO.certificatePem();
    Path file = write(dir.resolve("bundle.pem"),
        ONE.certificatePem() + pem.substring(0, pem.length() / 2));

    assertLoadFails(() -> TrustSource.pemFile(file).loader().load(), file,
        "truncated PEM block: -----BEGIN CERTIFICATE-----", "has no -----END CERTIFICATE----- line");
  }

  @Test
  void pemDirectory_failsNamingDirectory_whenItHoldsNoCertificateFile() {
    write(dir.resolve("notes.txt"), "nothing here");

    assertLoadFails(() -> TrustSource.pemDirectory(dir).loader().load(), dir,
        "no certificate files (*.pem, *.crt, *.cer) in directory");
  }

  @Test
  void pemDirectory_failsNamingFile_whenOneFileHoldsNoCertificate() {
    write(dir.resolve("one.pem"), ONE.certificatePem());
    Path empty = write(dir.resolve("two.pem"), "");

    assertLoadFails(() -> TrustSource.pemDirectory(dir).loader().load(), empty, "file is empty");
  }

  @Test
  void pemDirectory_failsNamingPath_whenItIsMissing() {
    Path missing = dir.resolve("nope");

    assertLoadFails(() -> TrustSource.pemDirectory(missing).loader().load(), missing,
        "directory does not exist");
  }

  @Test
  void pkcs12_failsNamingFile_whenPasswordIsWrong() throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setCertificateEntry("one", ONE.certificate());
    Path file = writeStore(store, "trust.p12");

    assertLoadFails(() -> TrustSource.pkcs12(file, "wrong".toCharArray()).loader().load(), file,
        "wrong password for the PKCS#12 file");
  }

  @Test
  void pkcs12_failsListingEntries_whenItHoldsNoTrustedCertificate() throws Exception {
    Path file = dir.resolve("identity.p12");
    ONE.leaf("server").issue().writePkcs12(file, PASSWORD);

    assertLoadFails(() -> TrustSource.pkcs12(file, PASSWORD).loader().load(), file,
        "no trusted-certificate entry in the PKCS#12 file (entries: identity (private key))");
  }

  @Test
  void pkcs12_failsNamingFile_whenFileIsNotPkcs12() {
    Path file = write(dir.resolve("trust.p12"), ONE.certificatePem());

    assertLoadFails(() -> TrustSource.pkcs12(file, PASSWORD).loader().load(), file,
        "not a readable PKCS#12 file");
  }

  @Test
  void pemFile_failsNamingSizeAndLimit_whenBundleIsLargerThanTheLimit() throws Exception {
    Path file = write(dir.resolve("bundle.pem"), ONE.certificatePem() + TWO.certificatePem());
    long size = Files.size(file);
    MaterialLimits limits = MaterialLimits.builder().maxFileSize(size - 1).build();

    assertLoadFails(() -> TrustSource.pemFile(file).withLimits(limits).loader().load(), file,
        String.format(java.util.Locale.ROOT, "file is %,d bytes, more than the limit of %,d bytes"
            + " for one material file (MaterialLimits.maxFileSize); nothing was read", size, size - 1));
  }

  @Test
  void withLimits_letsALargerBundleLoad_andKeepsTheFile() throws Exception {
    Path file = write(dir.resolve("bundle.pem"), ONE.certificatePem()
        + "#".repeat(80).concat("\n").repeat(20_000) + TWO.certificatePem());
    MaterialLimits twoMebibytes = MaterialLimits.builder().maxFileSize(2 * 1024 * 1024).build();
    assertLoadFails(() -> TrustSource.pemFile(file).loader().load(), file,
        "more than the limit of 1,048,576 bytes (1 MiB)");

    TrustSource source = TrustSource.pemFile(file).withLimits(twoMebibytes);

    assertThat(source.loader().load().anchors()).containsExactly(ONE.certificate(), TWO.certificate());
    assertThat(source.limits()).isEqualTo(twoMebibytes);
    assertThat(source.files()).containsExactly(file);
    assertThat(TrustSource.pemFile(file).limits()).isEqualTo(MaterialLimits.defaults());
  }

  @Test
  void pemDirectory_failsNamingTheLimit_whenItHoldsMoreCertificateFilesThanAllowed() {
    write(dir.resolve("one.pem"), ONE.certificatePem());
    write(dir.resolve("two.pem"), TWO.certificatePem());
    write(dir.resolve("three.pem"), THREE.certificatePem());
    MaterialLimits two = MaterialLimits.builder().maxDirectoryFiles(2).build();

    assertLoadFails(() -> TrustSource.pemDirectory(dir).withLimits(two).loader().load(), dir,
        "more than 2 certificate files (*.pem, *.crt, *.cer) in directory, the limit"
            + " (MaterialLimits.maxDirectoryFiles); nothing was read");
  }

  @Test
  void pemDirectory_failsNamingTheFileAndTheDirectoryLimit_whenFilesTogetherAreTooLarge()
      throws Exception {
    Path first = write(dir.resolve("a.pem"), ONE.certificatePem());
    Path second = write(dir.resolve("b.pem"), TWO.certificatePem());
    long limit = Files.size(first) + Files.size(second) - 1;
    MaterialLimits small = MaterialLimits.builder().maxDirectorySize(limit).build();

    assertLoadFails(() -> TrustSource.pemDirectory(dir).withLimits(small).loader().load(), second,
        "left of the limit of " + String.format(java.util.Locale.ROOT, "%,d", limit)
            + " bytes for all certificate files of " + dir + " together (MaterialLimits.maxDirectorySize)");
  }

  @Test
  void pemDirectory_failsNamingPath_whenItIsAFile() {
    Path file = write(dir.resolve("ca.pem"), ONE.certificatePem());

    assertLoadFails(() -> TrustSource.pemDirectory(file).loader().load(), file,
        "is a file, not a directory");
  }

  @Test
  void pkcs12_withLimits_appliesToTheFile() throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setCertificateEntry("one", ONE.certificate());
    Path file = writeStore(store, "trust.p12");
    MaterialLimits tiny = MaterialLimits.builder().maxFileSize(100).build();

    assertLoadFails(() -> TrustSource.pkcs12(file, PASSWORD).withLimits(tiny).loader().load(), file,
        "more than the limit of 100 bytes for one material file");
    assertThat(TrustSource.of(List.of(ONE.certificate())).withLimits(tiny).loader().load().anchors())
        .as("in-memory anchors read no file").containsExactly(ONE.certificate());
  }

  @Test
  void of_failsAtOnce_whenNoAnchorIsGiven() {
    assertLoadFails(() -> TrustSource.of(List.of()), null,
        "cannot load in-memory trust anchors: no certificate given");
  }

  private Path writeStore(KeyStore store, String name) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    store.store(out, PASSWORD);
    return write(dir.resolve(name), out.toByteArray());
  }
}
