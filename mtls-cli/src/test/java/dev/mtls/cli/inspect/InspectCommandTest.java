package dev.mtls.cli.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.cli.Cli;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectCommandTest {

  @TempDir
  Path work;

  @Test
  void inspect_showsChainKeyAndCrl_withTheKeysMatch_andNeverTheKeyMaterial() throws Exception {
    Path pki = work.resolve("pki");
    Cli.run("pki", "init", pki.toString(), "--server", "orders", "--client", "billing");
    Cli.run("pki", "revoke", pki.toString(), "billing", "--reason", "superseded");
    String keyPem = Files.readString(pki.resolve("orders-key.pem"));
    String keyBody = keyPem.split("\n")[1];

    Cli inspect = Cli.run("inspect", pki.resolve("orders-fullchain.pem").toString(),
        pki.resolve("orders-key.pem").toString(), pki.resolve("crl.pem").toString());

    assertThat(inspect.exitCode()).as(inspect.toString()).isZero();
    assertThat(inspect.out()).contains("certificate 1 of 2 (chain)", "subject              CN=orders",
        "dnsNames             orders, localhost", "ipAddresses          127.0.0.1",
        "extendedKeyUsage     serverAuth", "daysLeft             364", "keyType              EC", "keySize              256",
        "sha256Fingerprint", "certificate 2 of 2 (chain)", "ca                   true",
        "private key", "matches              CN=orders", "CRL", "crlNumber            2",
        "revoked              ", "superseded", "signature            verified with CN=mtls development CA");
    assertThat(inspect.out()).doesNotContain(keyBody).doesNotContain("WARNING");
  }

  @Test
  void inspect_warnsAboutExpiringCertificatesMissingEkuAndKeysMatchingNothing() throws Exception {
    TestCa ca = TestCa.create();
    IssuedCertificate soon = ca.leaf("soon").validFor(Duration.ofDays(3)).issue();
    Path certificate = Files.writeString(work.resolve("soon.pem"), soon.certificatePem());
    Path otherKey = Files.writeString(work.resolve("other-key.pem"), ca.client("other").privateKeyPem());

    Cli inspect = Cli.run("inspect", certificate.toString(), otherKey.toString());

    assertThat(inspect.exitCode()).isZero();
    assertThat(inspect.out()).contains("WARNING              expires in 2 days",
        "WARNING              no extended key usage", "WARNING              it matches none of the certificates given");
  }

  @Test
  void inspect_json_givesTheSameFieldsForTools() throws Exception {
    Path pki = work.resolve("pki");
    Cli.run("pki", "init", pki.toString(), "--server", "orders");

    Cli inspect = Cli.run("inspect", "--json", pki.resolve("orders.pem").toString(), pki.resolve("crl.pem").toString());

    assertThat(inspect.exitCode()).isZero();
    assertThat(inspect.out().trim()).startsWith("{\"files\":[{\"file\":").endsWith("]}")
        .contains("\"kind\":\"certificate\",\"subject\":\"CN=orders\"", "\"dnsNames\":[\"orders\",\"localhost\"]",
            "\"sha256Fingerprint\":\"", "\"warnings\":[]", "\"kind\":\"CRL\"", "\"crlNumber\":\"1\"", "\"revokedCount\":0");
  }

  @Test
  void inspect_reportsUnreadableFiles_andStillShowsTheOthers() throws Exception {
    Path pki = work.resolve("pki");
    Cli.run("pki", "init", pki.toString(), "--server", "orders");
    Path truncated = work.resolve("truncated.pem");
    String pem = Files.readString(pki.resolve("orders.pem"));
    Files.writeString(truncated, pem.substring(0, pem.length() / 2));

    Cli inspect = Cli.run("inspect", truncated.toString(), pki.resolve("orders.pem").toString(),
        work.resolve("missing.pem").toString());

    assertThat(inspect.exitCode()).isEqualTo(3);
    assertThat(inspect.out()).contains("CN=orders", "ERROR");
    assertThat(inspect.err()).contains("truncated.pem", "missing.pem");
  }
}
