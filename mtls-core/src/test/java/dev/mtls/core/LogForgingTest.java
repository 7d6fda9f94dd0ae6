package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.PemFiles;
import dev.mtls.testkit.TestCa;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names from certificates and CRLs are outside text: a CA whose name carries a line break and
 * a forged log line, or a 10,000-character organisation name, must reach neither the log nor a listener as
 * it is. The CA signs the server's own certificate (expiring soon, so it is warned about), is
 * the trust anchor (expiring soon too) and issues the CRL, so every event that prints a name
 * sees the hostile one.
 */
class LogForgingTest {
  private static final String FORGED = "ERROR dev.mtls - forged";
  /** At most 64 characters, as RFC 5280 bounds a CN; the long name is the leaf's O below. */
  private static final String HOSTILE_CA = "Evil CA\n" + FORGED + "\r\u001b[31m";
  private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}&&[^\\n\\r\\t]]");

  @TempDir Path directory;

  @Test
  void hostileNamesInCertificatesAndCrls_areEscapedAndCut_inTheLogAndInEveryEvent() throws Exception {
    TestCa ca = TestCa.builder().commonName(HOSTILE_CA).validity(Duration.ofDays(5)).build();
    IssuedCertificate server = ca.leaf("server")
        .subject("CN=server\\0A" + FORGED + ",O=" + "x".repeat(10_000)).serverAuth().dnsNames("localhost")
        .validFor(Duration.ofDays(2)).issue();
    PemFiles files = server.writePem(directory);
    Path crl = ca.writeCrl(directory.resolve("ca.crl"));
    RecordingListener events = new RecordingListener();

    String logged;
    try (CapturedLog log = new CapturedLog();
        MtlsContext context = MtlsContext.forServer()
            .identity(IdentitySource.pemFiles(files.chain(), files.privateKey()))
            .trust(TrustSource.pemFile(files.caCertificate()))
            .peerPolicy(PeerPolicy.anyTrustedPeer())
            .revocation(Revocation.crls().file(crl).build())
            .listener(events)
            .build()) {
      // A changed CRL and a refused identity file: a Reloaded and a ReloadFailed event too.
      ca.revoke(ca.client("someone"));
      ca.writeCrl(crl);
      Files.writeString(files.chain(), "-----BEGIN CERTIFICATE-----\n" + FORGED + "\n");
      context.reloadNow();
      logged = log.text();
    }

    List<String> texts = new ArrayList<>();
    events.expiring.forEach(e -> texts.add(e.subject()));
    events.refreshed.forEach(e -> texts.add(e.issuer()));
    events.reloaded.forEach(e -> {
      texts.add(e.source());
      e.before().forEach(c -> texts.add(c.subject()));
      e.after().forEach(c -> texts.add(c.subject()));
    });
    events.reloadFailed.forEach(e -> texts.add(e.problem()));
    assertThat(events.expiring).isNotEmpty();
    assertThat(events.refreshed).isNotEmpty();
    assertThat(events.reloadFailed).isNotEmpty();
    for (String text : texts) {
      assertThat(text).doesNotContain("\n", "\r").hasSizeLessThan(5_000);
      assertThat(CONTROL.matcher(text).find()).as("control character in %s", text).isFalse();
    }
    assertThat(logged).contains("Evil CA");
    for (String line : logged.split("\n")) {
      assertThat(line).doesNotStartWith(FORGED).hasSizeLessThan(10_000);
      assertThat(CONTROL.matcher(line).find()).as("control character in log line %s", line).isFalse();
    }
  }
}
