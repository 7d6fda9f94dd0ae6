package dev.mtls.cli.pki;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.cli.ExitCode;
import dev.mtls.cli.Cli;
import dev.mtls.cli.OpenSsl;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PkiCommandTest {

  @TempDir
  Path work;

  @Test
  void init_writesCaCertificatesChainsCrlAndInventory_thatOpensslVerifies() throws Exception {
    Path pki = work.resolve("pki");

    Cli init = Cli.run("pki", "init", pki.toString(), "--server", "orders", "--client", "billing",
        "--san", "orders.internal", "--san", "10.0.0.7");

    assertThat(init.exitCode()).as(init.toString()).isZero();
    assertThat(init.out()).contains("ca-key.pem", "PROTECT IT", "orders.pem", "billing.pem");
    for (String file : List.of("ca.pem", "ca-key.pem", "orders.pem", "orders-key.pem", "orders-fullchain.pem",
        "billing.pem", "billing-key.pem", "billing-fullchain.pem", "crl.pem", "inventory.json")) {
      assertThat(pki.resolve(file)).isRegularFile();
    }
    for (String key : List.of("ca-key.pem", "orders-key.pem", "billing-key.pem")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pki.resolve(key))))
          .as(key).isEqualTo("rw-------");
    }
    X509Certificate orders = certificate(pki.resolve("orders.pem"));
    assertThat(PkiDirectory.subjectAltNames(orders))
        .containsExactly("DNS:orders", "DNS:localhost", "DNS:orders.internal", "IP:127.0.0.1", "IP:10.0.0.7");
    assertThat(orders.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    assertThat(certificate(pki.resolve("billing.pem")).getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
    assertThat(java.time.Duration.between(orders.getNotBefore().toInstant(), orders.getNotAfter().toInstant()).toDays())
        .isEqualTo(365);
    for (String file : List.of("orders.pem", "orders-fullchain.pem", "billing.pem")) {
      OpenSsl.Result verify = OpenSsl.run(pki, "verify", "-CAfile", "ca.pem", "-crl_check", "-CRLfile", "crl.pem", file);
      assertThat(verify.exitCode()).as(verify.output()).isZero();
    }
    assertThat(OpenSsl.run(pki, "crl", "-in", "crl.pem", "-noout", "-text").output())
        .contains("X509v3 CRL Number", "No Revoked Certificates");
    assertThat(Files.readString(pki.resolve("inventory.json")))
        .contains("\"name\":\"orders\",\"role\":\"server\",\"serial\":\"" + orders.getSerialNumber().toString(16) + "\"",
            "\"sans\":[\"DNS:orders\"", "\"name\":\"billing\",\"role\":\"client\"", "\"notAfter\":\"");
  }

  @Test
  void init_refusesToOverwriteAnExistingPki() throws Exception {
    Path pki = work.resolve("pki");
    assertThat(Cli.run("pki", "init", pki.toString(), "--server", "orders").exitCode()).isZero();
    String caBefore = Files.readString(pki.resolve("ca.pem"));

    Cli again = Cli.run("pki", "init", pki.toString(), "--client", "other");

    assertThat(again.exitCode()).isEqualTo(3);
    assertThat(again.err()).contains("already holds a PKI", "ca.pem", "refusing to overwrite");
    assertThat(Files.readString(pki.resolve("ca.pem"))).isEqualTo(caBefore);
    assertThat(pki.resolve("other.pem")).doesNotExist();
  }

  @Test
  void init_encryptKeys_writesKeysOpensslReadsWithThePassword_andLaterCommandsNeedIt() throws Exception {
    Path pki = work.resolve("pki");
    Path password = work.resolve("password.txt");
    Files.writeString(password, "correct horse\n");
    Path wrong = work.resolve("wrong.txt");
    Files.writeString(wrong, "battery staple\n");

    Cli init = Cli.run("pki", "init", pki.toString(), "--server", "orders", "--encrypt-keys",
        "--password-file", password.toString(), "--profile", "prod");

    assertThat(init.exitCode()).as(init.toString()).isZero();
    assertThat(Files.readString(pki.resolve("orders-key.pem"))).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
    for (String key : List.of("ca-key.pem", "orders-key.pem")) {
      OpenSsl.Result read = OpenSsl.run(pki, "pkey", "-in", key, "-passin", "file:" + password, "-noout");
      assertThat(read.exitCode()).as(read.output()).isZero();
      assertThat(OpenSsl.run(pki, "pkey", "-in", key, "-passin", "file:" + wrong, "-noout").exitCode()).isNotZero();
    }
    X509Certificate orders = certificate(pki.resolve("orders.pem"));
    assertThat(java.time.Duration.between(orders.getNotBefore().toInstant(), orders.getNotAfter().toInstant()).toDays())
        .isEqualTo(90);
    Cli withoutPassword = Cli.run("pki", "issue", pki.toString(), "--client", "billing");
    assertThat(withoutPassword.exitCode()).isEqualTo(3);
    assertThat(withoutPassword.err()).contains("encrypted", "--password-file");
    Cli wrongPassword = Cli.run("pki", "issue", pki.toString(), "--client", "billing", "--password-file", wrong.toString());
    assertThat(wrongPassword.exitCode()).isEqualTo(3);
    assertThat(wrongPassword.err()).contains("ca-key.pem");
    Cli issue = Cli.run("pki", "issue", pki.toString(), "--client", "billing", "--password-file", password.toString());
    assertThat(issue.exitCode()).as(issue.toString()).isZero();
    assertThat(OpenSsl.run(pki, "pkey", "-in", "billing-key.pem", "-passin", "file:" + password, "-noout").exitCode())
        .isZero();
  }

  @Test
  void init_withEncryptKeys_butNoPasswordFileNorTerminal_failsWithoutWritingAnything() {
    Path pki = work.resolve("pki");

    Cli init = Cli.run("pki", "init", pki.toString(), "--server", "orders", "--encrypt-keys");

    assertThat(init.exitCode()).isEqualTo(3);
    assertThat(init.err()).contains("no terminal", "--password-file");
    assertThat(pki.resolve("ca-key.pem")).doesNotExist();
  }

  @Test
  void init_refusesNamesThatLeaveTheDirectoryOrClashWithItsFiles() {
    for (String name : List.of("../escape", "ca", "orders-key", ".hidden", "a/b")) {
      Cli init = Cli.run("pki", "init", work.resolve("pki-" + name.hashCode()).toString(), "--server", name);
      assertThat(init.exitCode()).as(name).isEqualTo(3);
    }
  }

  @Test
  void revoke_reSignsCrlWithTheSerialAndAHigherNumber_andOpensslThenRefusesTheCertificate() throws Exception {
    Path pki = work.resolve("pki");
    Cli.run("pki", "init", pki.toString(), "--server", "orders", "--client", "billing");
    X509Certificate billing = certificate(pki.resolve("billing.pem"));

    Cli revoke = Cli.run("pki", "revoke", pki.toString(), "billing", "--reason", "key_compromise");

    assertThat(revoke.exitCode()).as(revoke.toString()).isZero();
    assertThat(revoke.out()).contains("Revoked billing", billing.getSerialNumber().toString(16), "CRL number 2");
    String crl = OpenSsl.run(pki, "crl", "-in", "crl.pem", "-noout", "-text").output();
    assertThat(crl).containsIgnoringCase(billing.getSerialNumber().toString(16)).contains("Key Compromise");
    OpenSsl.Result refused = OpenSsl.run(pki, "verify", "-CAfile", "ca.pem", "-crl_check", "-CRLfile", "crl.pem", "billing.pem");
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.output()).contains("revoked");
    assertThat(OpenSsl.run(pki, "verify", "-CAfile", "ca.pem", "-crl_check", "-CRLfile", "crl.pem", "orders.pem")
        .exitCode()).isZero();
    assertThat(Files.readString(pki.resolve("inventory.json"))).contains("\"name\":\"billing\"", "\"revoked\":true");

    Cli.run("pki", "init", work.resolve("other").toString(), "--client", "x");
    Cli second = Cli.run("pki", "revoke", pki.toString(), "orders");
    assertThat(second.out()).contains("CRL number 3");
    assertThat(OpenSsl.run(pki, "crl", "-in", "crl.pem", "-noout", "-text").output())
        .containsIgnoringCase(billing.getSerialNumber().toString(16));
  }

  @Test
  void revoke_ofAnUnknownName_fails() {
    Path pki = work.resolve("pki");
    Cli.run("pki", "init", pki.toString(), "--server", "orders");

    Cli revoke = Cli.run("pki", "revoke", pki.toString(), "nobody");

    assertThat(revoke.exitCode()).isEqualTo(3);
    assertThat(revoke.err()).contains("no certificate named nobody");
  }

  @Test
  void issue_addsCertificateUnderTheSameCa_andRefusesToReplaceOneThatIsNotRevoked() throws Exception {
    Path pki = work.resolve("pki");
    Cli.run("pki", "init", pki.toString(), "--server", "orders");

    Cli issue = Cli.run("pki", "issue", pki.toString(), "--client", "billing", "--days", "7");

    assertThat(issue.exitCode()).as(issue.toString()).isZero();
    assertThat(OpenSsl.run(pki, "verify", "-CAfile", "ca.pem", "billing-fullchain.pem").exitCode()).isZero();
    assertThat(Files.readString(pki.resolve("inventory.json"))).contains("\"name\":\"billing\"", "\"name\":\"orders\"");
    Cli again = Cli.run("pki", "issue", pki.toString(), "--server", "orders");
    assertThat(again.exitCode()).isEqualTo(3);
    assertThat(again.err()).contains("exists and is not revoked");
  }

  @Test
  void renew_reissuesWhatExpiresWithinTheWindow_inPlace_forTheSameKey() throws Exception {
    Path pki = work.resolve("pki");
    Cli.run("pki", "init", pki.toString(), "--server", "orders", "--client", "billing", "--days", "10");
    X509Certificate before = certificate(pki.resolve("orders.pem"));
    String keyBefore = Files.readString(pki.resolve("orders-key.pem"));

    Cli notDue = Cli.run("pki", "renew", pki.toString(), "--within", "5d");
    assertThat(notDue.out()).contains("nothing renewed");
    assertThat(certificate(pki.resolve("orders.pem"))).isEqualTo(before);

    Cli renew = Cli.run("pki", "renew", pki.toString(), "--within", "30d");

    assertThat(renew.exitCode()).as(renew.toString()).isZero();
    X509Certificate after = certificate(pki.resolve("orders.pem"));
    assertThat(after.getSerialNumber()).isNotEqualTo(before.getSerialNumber());
    assertThat(renew.out()).contains("orders", "renewed (server)", before.getSerialNumber().toString(16),
        after.getSerialNumber().toString(16), "same key", "Renewed 2 certificates");
    assertThat(after.getPublicKey()).isEqualTo(before.getPublicKey());
    assertThat(Files.readString(pki.resolve("orders-key.pem"))).isEqualTo(keyBefore);
    assertThat(PkiDirectory.subjectAltNames(after)).isEqualTo(PkiDirectory.subjectAltNames(before));
    assertThat(after.getSubjectX500Principal()).isEqualTo(before.getSubjectX500Principal());
    assertThat(after.getExtendedKeyUsage()).isEqualTo(before.getExtendedKeyUsage());
    assertThat(OpenSsl.run(pki, "verify", "-CAfile", "ca.pem", "orders-fullchain.pem").exitCode()).isZero();
    assertThat(certificate(pki.resolve("orders-fullchain.pem"))).isEqualTo(after);
    assertThat(Files.readString(pki.resolve("inventory.json"))).contains(after.getSerialNumber().toString(16));
    try (var listing = Files.list(pki)) {
      assertThat(listing.map(p -> p.getFileName().toString())).noneMatch(name -> name.endsWith(".tmp"));
    }
  }

  @Test
  void renew_withNewKey_replacesKeyAndCertificateAsAMatchingPair_andLeavesRevokedAlone() throws Exception {
    Path pki = work.resolve("pki");
    Cli.run("pki", "init", pki.toString(), "--server", "orders", "--client", "billing", "--days", "10");
    Cli.run("pki", "revoke", pki.toString(), "billing");
    X509Certificate billing = certificate(pki.resolve("billing.pem"));
    String keyBefore = Files.readString(pki.resolve("orders-key.pem"));

    Cli renew = Cli.run("pki", "renew", pki.toString(), "--new-key");

    assertThat(renew.exitCode()).as(renew.toString()).isZero();
    assertThat(renew.out()).contains("billing", "revoked: not renewed", "new key");
    assertThat(certificate(pki.resolve("billing.pem"))).isEqualTo(billing);
    assertThat(Files.readString(pki.resolve("orders-key.pem"))).isNotEqualTo(keyBefore);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pki.resolve("orders-key.pem"))))
        .isEqualTo("rw-------");
    String certKey = OpenSsl.run(pki, "x509", "-in", "orders.pem", "-noout", "-pubkey").output();
    String keyKey = OpenSsl.run(pki, "pkey", "-in", "orders-key.pem", "-pubout").output();
    assertThat(certKey).isEqualTo(keyKey);
  }

  @Test
  void csrThenSign_makesKeyAndRequest_andSignsACertificateOpensslVerifies() throws Exception {
    Path pki = work.resolve("pki");
    Path holder = work.resolve("holder");
    Cli.run("pki", "init", pki.toString(), "--server", "orders");

    Cli csr = Cli.run("pki", "csr", "--name", "api", "--san", "api.internal", "--san", "10.1.2.3", "--out", holder.toString());
    assertThat(csr.exitCode()).as(csr.toString()).isZero();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(holder.resolve("api-key.pem"))))
        .isEqualTo("rw-------");
    assertThat(OpenSsl.run(holder, "req", "-in", "api.csr", "-noout", "-verify").output()).contains("verify OK");

    Cli sign = Cli.run("pki", "sign", pki.toString(), holder.resolve("api.csr").toString(), "--server");

    assertThat(sign.exitCode()).as(sign.toString()).isZero();
    assertThat(OpenSsl.run(pki, "verify", "-CAfile", "ca.pem", "api.pem").exitCode()).isZero();
    X509Certificate api = certificate(pki.resolve("api.pem"));
    assertThat(PkiDirectory.subjectAltNames(api)).containsExactly("DNS:api.internal", "IP:10.1.2.3");
    assertThat(api.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    assertThat(pki.resolve("api-key.pem")).doesNotExist();
    assertThat(OpenSsl.run(holder, "x509", "-in", pki.resolve("api.pem").toString(), "-noout", "-pubkey").output())
        .isEqualTo(OpenSsl.run(holder, "pkey", "-in", "api-key.pem", "-pubout").output());
  }

  @Test
  void sign_signsARequestMadeByOpenssl() throws Exception {
    Path pki = work.resolve("pki");
    Cli.run("pki", "init", pki.toString(), "--server", "orders");
    OpenSsl.Result req = OpenSsl.run(work, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
        "-nodes", "-keyout", "ext-key.pem", "-subj", "/CN=ext", "-addext", "subjectAltName=URI:spiffe://example.org/ext",
        "-out", "ext.csr");
    assertThat(req.exitCode()).as(req.output()).isZero();

    Cli sign = Cli.run("pki", "sign", pki.toString(), work.resolve("ext.csr").toString(), "--client", "--days", "30");

    assertThat(sign.exitCode()).as(sign.toString()).isZero();
    OpenSsl.Result verify = OpenSsl.run(pki, "verify", "-CAfile", "ca.pem", "-purpose", "sslclient", "ext-fullchain.pem");
    assertThat(verify.exitCode()).as(verify.output()).isZero();
    assertThat(PkiDirectory.subjectAltNames(certificate(pki.resolve("ext.pem")))).containsExactly("URI:spiffe://example.org/ext");
  }

  @Test
  void sign_refusesCaRequestsWeakKeysForgedSignaturesAndOddNames() throws Exception {
    Path pki = work.resolve("pki");
    Cli.run("pki", "init", pki.toString(), "--server", "orders");
    OpenSsl.run(work, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", "ca-req-key.pem", "-subj", "/CN=sub-ca", "-addext", "basicConstraints=critical,CA:TRUE", "-out", "ca.csr");
    OpenSsl.run(work, "req", "-new", "-newkey", "rsa:1024", "-nodes", "-keyout", "weak-key.pem", "-subj", "/CN=weak",
        "-out", "weak.csr");
    OpenSsl.run(work, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", "odd-key.pem", "-subj", "/CN=..\\/etc", "-out", "odd.csr");
    Cli.run("pki", "csr", "--name", "forged", "--out", work.toString());
    Path forged = work.resolve("forged.csr");
    byte[] der = java.util.Base64.getMimeDecoder().decode(
        Files.readString(forged).replaceAll("-----[A-Z ]+-----", ""));
    der[der.length - 1] ^= 0x01;
    Files.writeString(forged, PkiDirectory.pem("CERTIFICATE REQUEST", der));

    assertRefused(pki, "ca.csr", "asks to be a CA");
    assertRefused(pki, "weak.csr", "1024 bits");
    assertRefused(pki, "odd.csr", "not a usable certificate name");
    assertRefused(pki, "forged.csr", "signature");
    try (var listing = Files.list(pki)) {
      assertThat(listing.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("ca.pem", "ca-key.pem", "crl.pem", "inventory.json", "orders.pem", "orders-key.pem",
              "orders-fullchain.pem");
    }
  }

  @Test
  void help_onPkiAndEachSubcommand_describesIt() {
    Cli pki = Cli.run("pki", "--help");
    assertThat(pki.exitCode()).isZero();
    assertThat(pki.out()).contains("init", "issue", "revoke", "renew", "csr", "sign");
    for (String command : List.of("init", "issue", "revoke", "renew", "csr", "sign")) {
      Cli help = Cli.run("pki", command, "--help");
      assertThat(help.exitCode()).as(command).isZero();
      assertThat(help.out()).as(command).contains("Usage: mtls pki " + command);
    }
    assertThat(Cli.run("pki", "init", "--help").out()).contains("--encrypt-keys", "--password-file", "--profile");
    Cli badWindow = Cli.run("pki", "renew", work.toString(), "--within", "soon");
    assertThat(badWindow.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(badWindow.err()).contains("not a window");
  }

  private void assertRefused(Path pki, String csr, String why) {
    Cli sign = Cli.run("pki", "sign", pki.toString(), work.resolve(csr).toString(), "--server");
    assertThat(sign.exitCode()).as(sign.toString()).isEqualTo(3);
    assertThat(sign.err()).contains("refusing to sign", why);
  }

  static X509Certificate certificate(Path file) throws Exception {
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(file)));
  }
}
