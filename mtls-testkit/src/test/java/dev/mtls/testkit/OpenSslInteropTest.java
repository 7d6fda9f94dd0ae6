package dev.mtls.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What the testkit makes is accepted by OpenSSL, the tool other stacks judge it with. */
class OpenSslInteropTest {
  private static final char[] PASSWORD = "s3cret pass".toCharArray();

  @TempDir Path directory;

  @Test
  void verify_acceptsALeafDirectlyUnderTheRoot() throws Exception {
    TestCa ca = TestCa.create();
    PemFiles files = ca.server("localhost").writePem(directory);

    OpenSsl.run(directory, "verify", "-purpose", "sslserver", "-CAfile",
            files.caCertificate().toString(), files.certificate().toString())
        .assertSuccess();
  }

  @Test
  void verify_acceptsChainsThroughTwoIntermediates_ofMixedKeyTypes() throws Exception {
    TestCa root = TestCa.builder().keyType(KeyType.EC_P384).build();
    TestCa issuing = root.newIntermediate("Policy CA", KeyType.ED25519)
        .newIntermediate("Issuing CA");
    IssuedCertificate client = issuing.client("alice");
    PemFiles files = client.writePem(directory);
    Path intermediates = write("intermediates.pem",
        Pem.certificates(client.chain().subList(1, client.chain().size())));

    OpenSsl.Result result = OpenSsl.run(directory, "verify", "-purpose", "sslclient",
            "-CAfile", files.caCertificate().toString(), "-untrusted", intermediates.toString(),
            files.certificate().toString())
        .assertSuccess();
    assertThat(result.stdout()).contains("cert.pem: OK");
  }

  @Test
  void verify_withoutTheIntermediates_fails() throws Exception {
    PemFiles files = TestCa.create().newIntermediate("Issuing CA").server("x").writePem(directory);

    OpenSsl.Result result = OpenSsl.run(directory, "verify", "-CAfile",
        files.caCertificate().toString(), files.certificate().toString()).assertFailure();
    assertThat(result.output()).contains("unable to get local issuer certificate");
  }

  @Test
  void crlCheck_failsARevokedLeaf_andPassesAnUnrevokedOne() throws Exception {
    TestCa root = TestCa.create();
    TestCa issuing = root.newIntermediate("Issuing CA");
    IssuedCertificate revoked = issuing.client("revoked");
    IssuedCertificate good = issuing.client("good");
    issuing.revoke(revoked, RevocationReason.KEY_COMPROMISE, issuing.clock().instant());
    Path rootPem = root.writeCertificatePem(directory.resolve("root.pem"));
    Path intermediatePem = issuing.writeCertificatePem(directory.resolve("intermediate.pem"));
    Path crls = write("crls.pem", issuing.crlPem() + root.crlPem());
    Path revokedPem = write("revoked.pem", revoked.certificatePem());
    Path goodPem = write("good.pem", good.certificatePem());

    for (String check : List.of("-crl_check", "-crl_check_all")) {
      OpenSsl.Result rejected = OpenSsl.run(directory, "verify", check, "-CAfile",
          rootPem.toString(), "-untrusted", intermediatePem.toString(),
          "-CRLfile", crls.toString(), revokedPem.toString()).assertFailure();
      assertThat(rejected.output()).contains("certificate revoked");
      OpenSsl.run(directory, "verify", check, "-CAfile", rootPem.toString(),
          "-untrusted", intermediatePem.toString(), "-CRLfile", crls.toString(),
          goodPem.toString()).assertSuccess();
    }
  }

  @Test
  void crlCheck_rejectsAForgedCrl() throws Exception {
    TestCa ca = TestCa.create();
    PemFiles files = ca.client("alice").writePem(directory);
    Path forged = write("forged.pem", ca.crlBuilder().signedWith(TestCa.create().keyPair())
        .buildPem());

    OpenSsl.Result result = OpenSsl.run(directory, "verify", "-crl_check", "-CAfile",
        files.caCertificate().toString(), "-CRLfile", forged.toString(),
        files.certificate().toString()).assertFailure();
    assertThat(result.output()).contains("CRL signature failure");
  }

  @Test
  void x509Text_showsSansEkuKeyUsageAndIdentifiers() throws Exception {
    TestCa ca = TestCa.create();
    IssuedCertificate leaf = ca.leaf("svc")
        .organization("Example Corp")
        .dnsNames("svc.internal")
        .ipAddresses("127.0.0.1")
        .spiffeId("spiffe://example.org/ns/prod/sa/svc")
        .emails("ops@example.org")
        .serverAuth().clientAuth()
        .crlDistributionPoint("http://127.0.0.1:8080/ca.crl")
        .issue();
    Path cert = write("cert.pem", leaf.certificatePem());

    String text = OpenSsl.run(directory, "x509", "-in", cert.toString(), "-noout", "-text")
        .assertSuccess().stdout();

    assertThat(text)
        .contains("Subject: O = Example Corp, CN = svc")
        .contains("DNS:svc.internal, IP Address:127.0.0.1, URI:spiffe://example.org/ns/prod/sa/svc,"
            + " email:ops@example.org")
        .contains("TLS Web Server Authentication, TLS Web Client Authentication")
        .contains("CA:FALSE")
        .contains("Digital Signature")
        .contains("X509v3 Subject Key Identifier")
        .contains("X509v3 Authority Key Identifier")
        .contains("URI:http://127.0.0.1:8080/ca.crl")
        .contains("ecdsa-with-SHA256");
    String serial = OpenSsl.run(directory, "x509", "-in", cert.toString(), "-noout", "-serial")
        .assertSuccess().stdout().trim();
    assertThat(serial).startsWith("serial=");
    assertThat(new BigInteger(serial.substring("serial=".length()), 16))
        .isEqualTo(leaf.serialNumber());
  }

  @Test
  void crlText_listsEntriesReasonsAndExtensions() throws Exception {
    TestCa ca = TestCa.create();
    IssuedCertificate revoked = ca.client("gone");
    ca.revoke(revoked, RevocationReason.KEY_COMPROMISE, Instant.parse("2026-01-02T03:04:05Z"));
    Path crl = ca.writeCrl(directory.resolve("ca.crl"));

    String text = OpenSsl.run(directory, "crl", "-in", crl.toString(), "-noout", "-text")
        .assertSuccess().stdout();

    Matcher serial = Pattern.compile("Serial Number: ([0-9A-F]+)").matcher(text);
    assertThat(serial.find()).as(text).isTrue();
    assertThat(new BigInteger(serial.group(1), 16)).isEqualTo(revoked.serialNumber());
    assertThat(text)
        .contains("Key Compromise")
        .contains("Jan  2 03:04:05 2026 GMT")
        .contains("X509v3 CRL Number")
        .contains("X509v3 Authority Key Identifier");
  }

  @ParameterizedTest
  @EnumSource(value = KeyType.class, names = {"EC_P256", "EC_P384", "ED25519", "RSA_2048"})
  void pkey_readsEveryKeyFormat_forEveryKeyType(KeyType keyType) throws Exception {
    TestCa ca = TestCa.create();
    CertificateBuilder builder = ca.leaf("key");
    IssuedCertificate leaf = keyType == KeyType.RSA_2048
        ? builder.keyPair(SharedKeys.rsa2048()).issue()
        : builder.keyType(keyType).issue();
    String expectedPublicKey = publicKeyPem(leaf);

    assertPublicKey(write("pkcs8.pem", leaf.privateKeyPem()), expectedPublicKey);
    if (keyType == KeyType.RSA_2048) {
      assertPublicKey(write("pkcs1.pem", leaf.privateKeyPem(KeyFormat.PKCS1)), expectedPublicKey);
    }
    if (keyType.name().startsWith("EC")) {
      assertPublicKey(write("sec1.pem", leaf.privateKeyPem(KeyFormat.SEC1)), expectedPublicKey);
    }
    Path encrypted = write("encrypted.pem", leaf.encryptedPrivateKeyPem(PASSWORD));
    String publicKey = OpenSsl.run(directory, "pkey", "-in", encrypted.toString(),
        "-passin", "pass:" + new String(PASSWORD), "-pubout").assertSuccess().stdout();
    assertThat(publicKey).isEqualTo(expectedPublicKey);
    OpenSsl.run(directory, "pkey", "-in", encrypted.toString(), "-passin", "pass:wrong",
        "-noout").assertFailure();
  }

  @Test
  void pkcs12_isReadableByOpenssl() throws Exception {
    IssuedCertificate leaf = TestCa.create().newIntermediate("Issuing CA").server("localhost");
    Path p12 = leaf.writePkcs12(directory.resolve("server.p12"), PASSWORD);

    String output = OpenSsl.run(directory, "pkcs12", "-in", p12.toString(),
        "-passin", "pass:" + new String(PASSWORD), "-nodes").assertSuccess().stdout();

    assertThat(output).contains("subject=CN = localhost").contains("subject=CN = Issuing CA")
        .contains("-----BEGIN PRIVATE KEY-----");
  }

  private void assertPublicKey(Path keyFile, String expectedPublicKey) {
    String output = OpenSsl.run(directory, "pkey", "-in", keyFile.toString(), "-pubout")
        .assertSuccess().stdout();
    assertThat(output).as(keyFile.getFileName().toString()).isEqualTo(expectedPublicKey);
  }

  private static String publicKeyPem(IssuedCertificate leaf) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(leaf.certificate().getPublicKey().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  private Path write(String name, String content) throws Exception {
    return Files.writeString(directory.resolve(name), content, StandardCharsets.US_ASCII);
  }
}
