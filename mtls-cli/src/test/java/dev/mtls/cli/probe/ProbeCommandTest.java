package dev.mtls.cli.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.cli.Main;
import dev.mtls.core.ClientAuth;
import dev.mtls.core.IdentitySource;
import dev.mtls.core.MtlsContext;
import dev.mtls.core.PeerPolicy;
import dev.mtls.core.TrustSource;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.PemFiles;
import dev.mtls.testkit.TestCa;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mtls probe} through {@link Main#run} against real servers over loopback, with
 * certificates the testkit issues at run time: what it prints and the exit code scripts read.
 */
class ProbeCommandTest {
  @TempDir Path dir;

  private final TestCa ca = TestCa.builder().commonName("Probe CA").build();
  private final IssuedCertificate caller = ca.client("caller");

  @Test
  void probe_printsProtocolCipherChainAndIdentity_andEndsWithZero_whenTheServerIsTheOneExpected() throws Exception {
    try (MtlsContext server = server(localhostAnd127(ca), ClientAuth.REQUIRED);
        ProbeServer https = ProbeServer.https(server)) {
      Result result = probe(https.url("localhost"), "--cert", files(caller).chain().toString(),
          "--key", files(caller).privateKey().toString(), "--ca", caFile().toString());

      assertThat(result.code).as(result.out).isZero();
      assertThat(result.out)
          .startsWith("connected to " + https.url("localhost") + " (HTTP 200)")
          .contains("protocol:           TLSv1.3")
          .containsPattern("cipher suite:       TLS_(AES|CHACHA20)_\\S+")
          .contains("key exchange:       " + ProbeCommand.GROUP_NOT_REPORTED)
          .contains("client certificate: CN=caller")
          .contains("server:             CN=localhost")
          .contains("server check:       certificate names the host localhost: passed")
          .contains("server chain:", "  [0] subject: CN=localhost", "issuer: CN=Probe CA", "daysLeft: ");
    }
  }

  @Test
  void serverOfAnotherCa_isATrustFailure_namingBothCas_andShowingTheChainPresented() throws Exception {
    TestCa other = TestCa.builder().commonName("Other CA").build();
    try (MtlsContext server = server(localhostAnd127(other), ClientAuth.OPTIONAL);
        ProbeServer https = ProbeServer.https(server)) {
      Result result = probe(https.url("localhost"), "--ca", caFile().toString());

      assertThat(result.code).as(result.out).isEqualTo(ProbeCommand.TLS_FAILURE);
      assertThat(result.out)
          .contains("what to do:         give the CA that issued the server's certificate with --ca FILE")
          .startsWith("FAILED UNTRUSTED_SERVER_CERTIFICATE: cannot connect to https://localhost:" + https.port()
              + ": the server's certificate is not signed by a CA this client trusts: its chain ends at CN=Other CA,"
              + " and this client trusts only CN=Probe CA")
          .contains("Add the CA that issued the server's certificate to this client's trust")
          .contains("server chain (as presented, not trusted):", "  [0] subject: CN=localhost",
              "issuer: CN=Other CA");
    }
  }

  @Test
  void plainHttpPort_saysTheServerDoesNotSpeakTls() throws Exception {
    try (ProbeServer http = ProbeServer.strictPlainHttp()) {
      Result result = probe(http.url("localhost"), "--ca", caFile().toString());

      assertThat(result.code).as(result.out).isEqualTo(ProbeCommand.TLS_FAILURE);
      assertThat(result.out).startsWith("FAILED SERVER_NOT_TLS: cannot connect to https://localhost:" + http.port()
          + ": the server did not answer the TLS handshake in TLS: it speaks another protocol on this port, most"
          + " likely plain HTTP. Use the port where it serves TLS");
    }
  }

  @Test
  void expiredServerCertificate_givesItsDates_andSaysToRenewIt() throws Exception {
    IssuedCertificate expired = ca.leaf("localhost").serverAuth().dnsNames("localhost").expired().issue();
    try (ProbeServer https = ProbeServer.jdkHttps(expired)) {
      Result result = probe(https.url("localhost"), "--ca", caFile().toString());

      assertThat(result.code).as(result.out).isEqualTo(ProbeCommand.TLS_FAILURE);
      assertThat(result.out)
          .startsWith("FAILED SERVER_CERTIFICATE_EXPIRED: cannot connect to https://localhost:" + https.port()
              + ": the server's certificate is expired: ")
          .contains("The server's certificate is valid from ", "Have the server's certificate renewed")
          .contains("ClientContextBuilder.clockSkew.\n")
          .containsPattern("daysLeft: -\\d+");
    }
  }

  @Test
  void hostNotNamedInTheServerCertificate_isAnIdentityMismatch_listingTheNamesItHas() throws Exception {
    IssuedCertificate orders = ca.leaf("orders").serverAuth().dnsNames("orders.internal").issue();
    try (MtlsContext server = server(orders, ClientAuth.OPTIONAL);
        ProbeServer https = ProbeServer.https(server)) {
      Result result = probe(https.url("localhost"), "--ca", caFile().toString());

      assertThat(result.code).as(result.out).isEqualTo(ProbeCommand.IDENTITY_MISMATCH);
      assertThat(result.out)
          .startsWith("FAILED WRONG_SERVER_IDENTITY: cannot connect to https://localhost:" + https.port()
              + ": the server's certificate does not name the host connected to: server presented CN=orders"
              + " (DNS: orders.internal), expected a certificate naming host localhost.")
          .contains("Connect by one of these names")
          .contains("server:             CN=orders");
    }
  }

  @Test
  void serverRequiringACertificate_whenNoneWasGiven_saysTheServerRefusedThisClient_andToGiveOne()
      throws Exception {
    try (MtlsContext server = server(localhostAnd127(ca), ClientAuth.REQUIRED);
        ProbeServer https = ProbeServer.https(server)) {
      Result result = probe(https.url("localhost"), "--ca", caFile().toString());

      assertThat(result.code).as(result.out).isEqualTo(ProbeCommand.TLS_FAILURE);
      assertThat(result.out)
          .startsWith("FAILED CLIENT_CERTIFICATE_REFUSED: cannot connect to https://localhost:" + https.port()
              + ": ")
          .contains("this client sent no certificate: its context has no identity")
          .contains("what to do:         give this client's certificate and key with --cert FILE --key FILE")
          .contains("client certificate: none (no --cert and --key given)");
    }
  }

  @Test
  void spiffeIdOtherThanExpected_isAnIdentityMismatch_namingBoth() throws Exception {
    IssuedCertificate orders = ca.leaf("orders").serverAuth().dnsNames("localhost")
        .spiffeId("spiffe://prod.example/orders").issue();
    try (MtlsContext server = server(orders, ClientAuth.OPTIONAL);
        ProbeServer https = ProbeServer.https(server)) {
      Result result = probe(https.url("localhost"), "--ca", caFile().toString(),
          "--expect-spiffe", "spiffe://prod.example/payments");

      assertThat(result.code).as(result.out).isEqualTo(ProbeCommand.IDENTITY_MISMATCH);
      assertThat(result.out)
          .startsWith("FAILED WRONG_SERVER_IDENTITY: cannot connect to https://localhost:" + https.port()
              + ": the server is not the one this client expects: ")
          .contains("spiffe://prod.example/orders", "spiffe://prod.example/payments");
    }
  }

  @Test
  void spiffeIdAsExpected_connects_withoutTheHostName() throws Exception {
    IssuedCertificate payments = ca.leaf("payments").serverAuth().spiffeId("spiffe://prod.example/payments").issue();
    try (MtlsContext server = server(payments, ClientAuth.OPTIONAL);
        ProbeServer https = ProbeServer.https(server)) {
      Result result = probe(https.url("127.0.0.1"), "--ca", caFile().toString(),
          "--expect-spiffe", "spiffe://prod.example/payments");

      assertThat(result.code).as(result.out).isZero();
      assertThat(result.out).contains("server check:       SPIFFE ID is spiffe://prod.example/payments: passed",
          "spiffeId: spiffe://prod.example/payments");
    }
  }

  @Test
  void portWhereNothingListens_isUnreachable() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    Result result = probe("https://127.0.0.1:" + port + "/", "--ca", caFile().toString(), "--timeout", "5s");

    assertThat(result.code).as(result.out).isEqualTo(ProbeCommand.UNREACHABLE);
    assertThat(result.out).startsWith("FAILED CONNECTION_REFUSED: cannot connect to https://127.0.0.1:" + port
        + ": connection refused");
  }

  @Test
  void plainHttpUrl_isAUsageError_suggestingHttps() {
    Result result = probe("http://localhost:8080/health");

    assertThat(result.code).isEqualTo(64);
    assertThat(result.err).contains("probe speaks TLS only; write https://localhost:8080/health");
  }

  @Test
  void certificateWithoutKey_isAUsageError() throws Exception {
    Result result = probe("https://localhost:8443/", "--cert", files(caller).chain().toString());

    assertThat(result.code).isEqualTo(64);
    assertThat(result.err).contains("give --cert and --key together");
  }

  @Test
  void missingCaFile_namesTheFile_andEndsWithTheLocalMaterialCode() {
    Path missing = dir.resolve("no-such-ca.pem");
    Result result = probe("https://localhost:8443/", "--ca", missing.toString());

    assertThat(result.code).isEqualTo(ProbeCommand.LOCAL_MATERIAL);
    assertThat(result.err).contains("cannot use this probe's own files: ", missing.toString());
  }

  @Test
  void timeoutOutOfBounds_isAUsageError() {
    Result result = probe("https://localhost:8443/", "--timeout", "1h");

    assertThat(result.code).isEqualTo(64);
    assertThat(result.err).contains("'1h' is not between 1ms and 10m");
  }

  @Test
  void help_listsTheExitCodes() {
    Result result = probe("--help");

    assertThat(result.code).isZero();
    assertThat(result.out).contains("Exit codes:", "0   connected", "2   TLS or trust failure", "3   unreachable",
        "4   identity mismatch", "5   this probe's own");
  }

  private MtlsContext server(IssuedCertificate certificate, ClientAuth clientAuth) {
    return MtlsContext.forServer()
        .identity(IdentitySource.of(certificate.privateKey(), certificate.chain()))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .clientAuth(clientAuth)
        .peerPolicy(PeerPolicy.anyTrustedPeer())
        .logging(false)
        .build();
  }

  private static IssuedCertificate localhostAnd127(TestCa issuer) {
    return issuer.leaf("localhost").serverAuth().dnsNames("localhost").ipAddresses("127.0.0.1").issue();
  }

  private PemFiles files(IssuedCertificate certificate) {
    return certificate.writePem(dir.resolve(certificate.serialNumber().toString(16)));
  }

  private Path caFile() {
    return ca.writeCertificatePem(dir.resolve("ca.pem"));
  }

  private static Result probe(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(List.of("probe"));
    all.addAll(List.of(args));
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
    return new Result(code, out.toString(), err.toString());
  }

  private record Result(int code, String out, String err) {}
}
