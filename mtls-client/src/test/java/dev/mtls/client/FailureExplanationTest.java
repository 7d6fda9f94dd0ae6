package dev.mtls.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.client.MtlsConnectException.Problem;
import dev.mtls.core.MtlsContext;
import dev.mtls.core.TlsPolicy;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * Every failed connection the issue lists comes back from {@link MtlsHttpClients#create} as an
 * {@link MtlsConnectException} saying what happened and what to do, with the JDK's exception as
 * its cause; each against a real server over loopback.
 */
class FailureExplanationTest {
  private final TestCa ca = TestCa.builder().commonName("Services CA").build();
  private final IssuedCertificate caller = ca.client("caller");

  @Test
  void tlsToAPlainHttpPort_saysTheServerDoesNotSpeakTls() throws Exception {
    try (MtlsContext client = Tls.client(caller, ca).build();
        SocketServer http = SocketServer.strictPlainHttp()) {
      MtlsConnectException e = failure(client, URI.create("https://localhost:" + http.port() + "/"));

      assertThat(e.problem()).isEqualTo(Problem.SERVER_NOT_TLS);
      assertThat(e).hasMessage("cannot connect to https://localhost:" + http.port() + ": the server did not answer"
          + " the TLS handshake in TLS: it speaks another protocol on this port, most likely plain HTTP. Use the port"
          + " where it serves TLS, or have the server serve TLS here (with a server context's sslContext()).");
      assertThat(e.getCause()).isInstanceOf(SSLException.class);
    }
  }

  @Test
  void tlsToAPlainHttpPortThatWaitsForARequestLine_timesOut_sayingTheServerMaySpeakAnotherProtocol()
      throws Exception {
    try (MtlsContext client = Tls.client(caller, ca).handshakeTimeout(Duration.ofMillis(500)).build();
        TestHttpsServer http = TestHttpsServer.plainHttp()) {
      MtlsConnectException e = failure(client, http.uri("https", "localhost", "/"));

      assertThat(e.problem()).isEqualTo(Problem.TIMED_OUT);
      assertThat(e.getMessage()).contains("or the server accepted the connection and did not answer the TLS handshake"
          + " (a port that speaks another protocol and waits for the client, such as plain HTTP)");
    }
  }

  @Test
  void plainHttpToATlsPort_saysToUseHttps() throws Exception {
    try (MtlsContext server = Tls.server(ca.server("localhost"), ca).build();
        MtlsContext client = Tls.client(caller, ca).build();
        TestHttpsServer https = TestHttpsServer.https(server)) {
      MtlsConnectException e = failure(client, https.uri("http", "localhost", "/"));

      assertThat(e.problem()).isEqualTo(Problem.CLIENT_NOT_TLS);
      assertThat(e.getMessage()).startsWith("request to http://localhost:" + https.port() + " failed: it was sent in"
          + " plain HTTP and the server closed the connection without an HTTP answer, as a TLS port does (")
          .endsWith("). Use https://localhost:" + https.port() + ": this client presents its certificate only over TLS.");
      assertThat(e.getCause()).isInstanceOf(IOException.class);
    }
  }

  @Test
  void serverOfAnotherCa_namesTheIssuerSeen_andTheCaConfigured() throws Exception {
    TestCa other = TestCa.builder().commonName("Other CA").build();
    try (MtlsContext server = Tls.server(other.server("localhost"), ca).build();
        MtlsContext client = Tls.client(caller, ca).build();
        TestHttpsServer https = TestHttpsServer.https(server)) {
      MtlsConnectException e = failure(client, https.uri("/"));

      assertThat(e.problem()).isEqualTo(Problem.UNTRUSTED_SERVER_CERTIFICATE);
      assertThat(e.getMessage()).startsWith("cannot connect to https://localhost:" + https.port() + ": the server's"
          + " certificate is not signed by a CA this client trusts: its chain ends at CN=Other CA, and this client"
          + " trusts only CN=Services CA (CN=localhost")
          .endsWith("). Add the CA that issued the server's certificate to this client's trust"
          + " (ClientContextBuilder.trust), or have the server present a certificate from a CA this client trusts.");
      assertThat(e.getCause()).isInstanceOf(SSLHandshakeException.class);
    }
  }

  @Test
  void hostNotInTheCertificate_listsTheCertificatesNames() throws Exception {
    IssuedCertificate elsewhere = ca.leaf("orders").serverAuth().dnsNames("orders.internal", "orders.example")
        .ipAddresses("10.0.0.7").issue();
    try (MtlsContext server = Tls.server(elsewhere, ca).build();
        MtlsContext client = Tls.client(caller, ca).build();
        TestHttpsServer https = TestHttpsServer.https(server)) {
      MtlsConnectException e = failure(client, https.uri("/"));

      assertThat(e.problem()).isEqualTo(Problem.WRONG_SERVER_IDENTITY);
      assertThat(e).hasMessage("cannot connect to https://localhost:" + https.port() + ": the server's certificate"
          + " does not name the host connected to: server presented CN=orders (DNS: orders.internal, orders.example;"
          + " IP: 10.0.0.7), expected a certificate naming host localhost. Its certificate names DNS: orders.internal,"
          + " orders.example; IP: 10.0.0.7; URI: none. Connect by one of these names, have the server's certificate"
          + " issued for the name connected to, or name the server another way (ClientContextBuilder.serverIdentity).");
      assertThat(e.getCause()).isInstanceOf(SSLHandshakeException.class);
    }
  }

  @Test
  void expiredServerCertificate_givesTheDatesAndTheClockSkew() throws Exception {
    IssuedCertificate expired = ca.leaf("localhost").serverAuth().dnsNames("localhost").expired().issue();
    try (MtlsContext client = Tls.client(caller, ca).clockSkew(Duration.ofMinutes(5)).build();
        TestHttpsServer https = TestHttpsServer.https(Tls.jdkServer(expired))) {
      MtlsConnectException e = failure(client, https.uri("/"));

      assertThat(e.problem()).isEqualTo(Problem.SERVER_CERTIFICATE_EXPIRED);
      assertThat(e.getMessage())
          .startsWith("cannot connect to https://localhost:" + https.port() + ": the server's certificate is expired:")
          .contains("expired at " + expired.certificate().getNotAfter().toInstant() + " (now ")
          .contains("The server's certificate is valid from " + expired.certificate().getNotBefore().toInstant()
              + " until " + expired.certificate().getNotAfter().toInstant() + ".")
          .contains("This client tolerates a clock skew of 5m.")
          .contains("Have the server's certificate renewed");
    }
  }

  @Test
  void notYetValidServerCertificate_givesTheDatesAndTheClockSkew() throws Exception {
    IssuedCertificate early = ca.leaf("localhost").serverAuth().dnsNames("localhost").notYetValid().issue();
    try (MtlsContext client = Tls.client(caller, ca).build();
        TestHttpsServer https = TestHttpsServer.https(Tls.jdkServer(early))) {
      MtlsConnectException e = failure(client, https.uri("/"));

      assertThat(e.problem()).isEqualTo(Problem.SERVER_CERTIFICATE_NOT_YET_VALID);
      assertThat(e.getMessage())
          .contains("the server's certificate is not valid yet:")
          .contains("valid from " + early.certificate().getNotBefore().toInstant() + " (now ")
          .contains("This client tolerates a clock skew of none.")
          .contains("Check the clocks of this machine and of the CA that issued the certificate.");
    }
  }

  @Test
  void serverRefusingTheClientsCertificate_saysWhichWasSent_withOrWithoutAnAlert()
      throws Exception {
    TestCa stranger = TestCa.builder().commonName("Stranger CA").build();
    IssuedCertificate unknown = stranger.client("caller");
    try (MtlsContext server = Tls.server(ca.server("localhost"), ca).build();
        MtlsContext client = Tls.client(unknown, ca).build();
        TestHttpsServer https = TestHttpsServer.https(server)) {
      MtlsConnectException e = failure(client, https.uri("/"));

      assertThat(e.problem()).isEqualTo(Problem.CLIENT_CERTIFICATE_REFUSED);
      assertThat(e.getMessage())
          // The JDK's HttpsServer may close before its alert reaches the client (always on JDK 17).
          .containsAnyOf("the server closed the connection right after the TLS handshake, without an answer or an"
              + " alert (HTTP/1.1 header parser received no bytes). Most likely it refused this client's certificate,"
              + " which a TLS 1.3 server checks after the client has finished its side of the handshake: ",
              "the server refused this client's certificate (it answered with the alert certificate_unknown): ")
          .contains("this client sent CN=caller, serial " + unknown.serialNumber().toString(16)
              + ", issuer CN=Stranger CA, valid until ")
          .endsWith("Ask the server's operators whether the server trusts CN=Stranger CA and allows this client's"
              + " name; check that this is the certificate meant for this client.");
    }
  }

  @Test
  void serverAlertingThatItRefusesTheClientsCertificate_saysWhichOneWasSent() throws Exception {
    TestCa stranger = TestCa.builder().commonName("Stranger CA").build();
    IssuedCertificate unknown = stranger.client("caller");
    try (MtlsContext server = Tls.server(ca.server("localhost"), ca).build();
        MtlsContext client = Tls.client(unknown, ca).build();
        SocketServer tls = SocketServer.tls(server)) {
      MtlsConnectException e = failure(client, URI.create("https://localhost:" + tls.port() + "/"));

      assertThat(e.problem()).isEqualTo(Problem.CLIENT_CERTIFICATE_REFUSED);
      assertThat(e.getMessage())
          .startsWith("cannot connect to https://localhost:" + tls.port() + ": the server refused this client's"
              + " certificate (it answered with the alert ")
          .contains("this client sent CN=caller, serial " + unknown.serialNumber().toString(16))
          .endsWith("Ask the server's operators whether the server trusts CN=Stranger CA and allows this client's"
              + " name; check that this is the certificate meant for this client.");
      assertThat(e.getCause()).isInstanceOf(SSLHandshakeException.class);
    }
  }

  @Test
  void noCommonProtocol_withAServerThatSaysSo_namesTheClientsProtocolsAndSuites() throws Exception {
    TlsPolicy tls12Only = TlsPolicy.of(List.of("TLSv1.2"), List.of("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"));
    try (MtlsContext server = Tls.server(ca.server("localhost"), ca).tlsPolicy(tls12Only).build();
        MtlsContext client = Tls.client(caller, ca).build();
        SocketServer tls = SocketServer.tls(server)) {
      MtlsConnectException e = failure(client, URI.create("https://localhost:" + tls.port() + "/"));

      assertThat(e.problem()).isEqualTo(Problem.NO_COMMON_PROTOCOL);
      assertThat(e).hasMessage("cannot connect to https://localhost:" + tls.port() + ": the server and this client"
          + " share no TLS protocol version or cipher suite (the server answered with the alert protocol_version;"
          + " it does not say what it speaks). This client offers protocols [TLSv1.3] with cipher suites "
          + TlsPolicy.MODERN.cipherSuites() + ". Give this client a TlsPolicy that includes what the server speaks"
          + " (TlsPolicy.COMPATIBLE adds TLS 1.2), or the server one that includes this client's.");
      assertThat(e.getCause()).isInstanceOf(SSLHandshakeException.class);
    }
  }

  @Test
  void serverRefusingAClientWithoutCertificate_saysNoneWasSent() throws Exception {
    try (MtlsContext server = Tls.server(ca.server("localhost"), ca).build();
        MtlsContext client = Tls.client(null, ca).build();
        TestHttpsServer https = TestHttpsServer.https(server)) {
      MtlsConnectException e = failure(client, https.uri("/"));

      assertThat(e.problem()).isEqualTo(Problem.CLIENT_CERTIFICATE_REFUSED);
      // JDK 17's HttpsServer closes after the handshake without an alert; JDK 25's sends certificate_required.
      assertThat(e.getMessage())
          .containsAnyOf("Most likely it refused this client's certificate",
              "the server refused this client's certificate (it answered with the alert certificate_required)")
          .endsWith("this client sent no certificate: its context has no identity. Give this client the identity"
              + " the server expects (ClientContextBuilder.identity).");
    }
  }

  @Test
  void serverClosingDuringTheHandshake_namesTheClientsProtocolsSuitesAndCertificate() throws Exception {
    TlsPolicy tls12Only = TlsPolicy.of(List.of("TLSv1.2"), List.of("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"));
    try (MtlsContext server = Tls.server(ca.server("localhost"), ca).tlsPolicy(tls12Only).build();
        MtlsContext client = Tls.client(caller, ca).build();
        TestHttpsServer https = TestHttpsServer.https(server)) {
      MtlsConnectException e = failure(client, https.uri("/"));

      // JDK 17's HttpsServer closes without an alert; JDK 25's sends protocol_version first.
      if (e.problem() == Problem.NO_COMMON_PROTOCOL) {
        assertThat(e.getMessage()).contains("(the server answered with the alert protocol_version;");
        return;
      }
      assertThat(e.problem()).isEqualTo(Problem.HANDSHAKE_CLOSED_BY_SERVER);
      assertThat(e).hasMessage("cannot connect to https://localhost:" + https.port() + ": the server closed the"
          + " connection during the TLS handshake without saying why (no alert). Most often it shares no TLS protocol"
          + " version or cipher suite with this client, or it refused this client's certificate; its log says which."
          + " This client offers protocols [TLSv1.3] with cipher suites " + TlsPolicy.MODERN.cipherSuites()
          + ", and this client sent " + dev.mtls.core.PeerIdentity.of(caller.chain()).describe() + ", valid until "
          + caller.certificate().getNotAfter().toInstant() + ".");
    }
  }

  @Test
  void connectionRefused_saysItIsNotATlsProblem() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    try (MtlsContext client = Tls.client(caller, ca).build()) {
      MtlsConnectException e = failure(client, URI.create("https://localhost:" + closedPort + "/"));

      assertThat(e.problem()).isEqualTo(Problem.CONNECTION_REFUSED);
      assertThat(e.getMessage()).startsWith("cannot connect to https://localhost:" + closedPort + ": connection refused")
          .endsWith(": nothing listens on that port. This is not a TLS problem: check the host and port, and that the"
              + " server is running.");
      assertThat(e.getCause()).isInstanceOf(java.net.ConnectException.class);
    }
  }

  @Test
  void serverThatNeverAnswersTheHandshake_timesOutWithinTheHandshakeTimeout() throws Exception {
    List<Socket> accepted = new ArrayList<>();
    try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        MtlsContext client = Tls.client(caller, ca).handshakeTimeout(Duration.ofMillis(500)).build()) {
      Thread acceptor = new Thread(() -> {
        try {
          accepted.add(silent.accept()); // and say nothing
        } catch (IOException e) {
          // closed at the end of the test
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      long start = System.nanoTime();

      MtlsConnectException e = failure(client, URI.create("https://localhost:" + silent.getLocalPort() + "/"));

      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      assertThat(e.problem()).isEqualTo(Problem.TIMED_OUT);
      assertThat(e.getMessage()).startsWith("cannot connect to https://localhost:" + silent.getLocalPort()
          + ": no connection within 0.5s (TCP connect and TLS handshake).")
          .contains("This is not a certificate problem");
      assertThat(e.getCause()).isInstanceOf(HttpConnectTimeoutException.class);
    } finally {
      for (Socket socket : accepted) {
        socket.close();
      }
    }
  }

  private static MtlsConnectException failure(MtlsContext client, URI uri) {
    HttpClient http = MtlsHttpClients.create(client);
    return thrown(() -> MtlsHttpClientsTest.get(http, uri));
  }

  /** What the call threw, which must be an explained failure. */
  static MtlsConnectException thrown(ThrowingCallable call) {
    List<MtlsConnectException> caught = new ArrayList<>();
    assertThatThrownBy(call).isInstanceOfSatisfying(MtlsConnectException.class, caught::add);
    return caught.get(0);
  }
}
