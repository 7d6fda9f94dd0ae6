package dev.mtls.cli.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.cli.Cli;
import dev.mtls.testkit.TestCa;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckCommandTest {

  @TempDir
  Path work;

  @Test
  void check_freshPki_isAllOk_exit0() {
    Path pki = work.resolve("pki");
    Cli.run("pki", "init", pki.toString(), "--server", "orders", "--client", "billing");

    Cli check = Cli.run("check", pki.toString());

    assertThat(check.exitCode()).as(check.toString()).isZero();
    assertThat(check.out()).contains("OK       ", "orders.pem: CN=orders", "chain leads to the CA",
        "orders-key.pem: private key (PRIVATE KEY): matches the certificate in orders.pem",
        "crl.pem: CRL of CN=mtls development CA").doesNotContain("BROKEN", "EXPIRING", "EXPIRED");
  }

  @Test
  void check_certificateExpiringWithinWarnDays_saysExpiring_exit1() {
    Path pki = work.resolve("pki");
    Cli.run("pki", "init", pki.toString(), "--server", "orders", "--days", "10");

    Cli check = Cli.run("check", pki.toString(), "--warn-days", "14");

    assertThat(check.exitCode()).as(check.toString()).isEqualTo(1);
    assertThat(check.out()).containsPattern("EXPIRING .*orders.pem: CN=orders \\(serial [0-9a-f]+\\): expires in 9 days");
    assertThat(Cli.run("check", pki.toString(), "--warn-days", "5").exitCode()).isZero();
  }

  @Test
  void check_expiredCertificate_saysExpired_exit2() throws Exception {
    TestCa ca = TestCa.create();
    Files.writeString(work.resolve("ca.pem"), ca.certificatePem());
    Files.writeString(work.resolve("old.pem"), ca.leaf("old").serverAuth().expired().issue().certificatePem());

    Cli check = Cli.run("check", work.toString());

    assertThat(check.exitCode()).isEqualTo(2);
    assertThat(check.out()).containsPattern("EXPIRED .*old.pem: CN=old .*expired 1 days ago");
  }

  @Test
  void check_keyThatDoesNotMatchItsCertificate_chainToAnotherCa_revokedCertificate_areBroken() throws Exception {
    Path pki = work.resolve("pki");
    Path other = work.resolve("other");
    Cli.run("pki", "init", pki.toString(), "--server", "orders", "--client", "billing", "--client", "audit");
    Cli.run("pki", "init", other.toString(), "--server", "stranger");
    Files.copy(pki.resolve("billing-key.pem"), pki.resolve("orders-key.pem"), StandardCopyOption.REPLACE_EXISTING);
    Files.copy(other.resolve("stranger.pem"), pki.resolve("stranger.pem"));
    Cli.run("pki", "revoke", pki.toString(), "audit");

    Cli check = Cli.run("check", pki.toString());

    assertThat(check.exitCode()).as(check.toString()).isEqualTo(2);
    assertThat(check.out())
        .containsPattern("BROKEN .*orders-key.pem: private key \\(PRIVATE KEY\\): does not match the certificate in orders.pem")
        .containsPattern("BROKEN .*stranger.pem: CN=stranger .*does not lead to the CA")
        .containsPattern("BROKEN .*audit.pem: CN=audit .*revoked .*CRL number 2")
        .containsPattern("OK .*billing.pem: CN=billing");
  }

  @Test
  void check_staleOrForeignCrl_isBroken() throws Exception {
    TestCa ca = TestCa.create();
    Files.writeString(work.resolve("ca.pem"), ca.certificatePem());
    Files.writeString(work.resolve("server.pem"), ca.server("localhost").certificatePem());
    Files.writeString(work.resolve("crl.pem"), ca.crlBuilder().stale().buildPem());
    Files.writeString(work.resolve("forged.crl"),
        ca.crlBuilder().signedWith(TestCa.create().keyPair()).buildPem());

    Cli check = Cli.run("check", work.toString(), "--json");

    assertThat(check.exitCode()).isEqualTo(2);
    assertThat(check.out()).startsWith("{\"exitCode\":2,\"findings\":[")
        .contains("\"level\":\"BROKEN\",\"file\":\"" + work.resolve("crl.pem") + "\"", "stale: its next update was due")
        .contains("its signature does not verify with the CA certificate");
  }

  @Test
  void check_withCaOption_andMissingPaths() throws Exception {
    Path pki = work.resolve("pki");
    Cli.run("pki", "init", pki.toString(), "--server", "orders");

    Cli good = Cli.run("check", pki.resolve("orders-fullchain.pem").toString(), "--ca", pki.resolve("ca.pem").toString());
    Cli missing = Cli.run("check", work.resolve("nowhere").toString());

    assertThat(good.exitCode()).as(good.toString()).isZero();
    assertThat(good.out()).contains("chain leads to the CA");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.out()).contains("BROKEN", "no such file or directory");
  }

  @Test
  void check_searchesDirectoriesOnlySoDeep_andSkipsHiddenCopies() throws Exception {
    TestCa ca = TestCa.create();
    Path deep = Files.createDirectories(work.resolve("a/b/c/d/e"));
    Files.writeString(deep.resolve("expired.pem"), ca.leaf("deep").expired().issue().certificatePem());
    Path hidden = Files.createDirectories(work.resolve("secret/..data"));
    Files.writeString(hidden.resolve("tls.crt"), ca.leaf("hidden").expired().issue().certificatePem());
    Files.writeString(work.resolve("ok.pem"),
        ca.leaf("localhost").serverAuth().validFor(java.time.Duration.ofDays(90)).issue().certificatePem());

    Cli check = Cli.run("check", work.toString());

    assertThat(check.exitCode()).as(check.toString()).isZero();
    assertThat(check.out()).contains("ok.pem").doesNotContain("deep", "hidden");
  }
}
