package dev.mtls.cli.demo;

import dev.mtls.cli.text.PlainText;
import dev.mtls.client.MtlsConnectException;
import dev.mtls.client.MtlsConnectException.Problem;
import dev.mtls.client.MtlsHttpClients;
import dev.mtls.core.ClientContextBuilder;
import dev.mtls.core.IdentitySource;
import dev.mtls.core.MtlsContext;
import dev.mtls.core.RejectionReason;
import dev.mtls.core.ReloadPolicy;
import dev.mtls.core.ReloadResult;
import dev.mtls.core.TlsPolicy;
import dev.mtls.core.TrustSource;
import dev.mtls.core.Verdict;
import dev.mtls.testkit.IssuedCertificate;
import java.io.IOException;
import java.math.BigInteger;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;

/**
 * The demo's scripted tour: one client after another calls the demo server, and each outcome
 * is set beside the one expected, with the reason the library gives: the server context's
 * verdict (from its listener) and the client's explanation ({@link MtlsConnectException}).
 * Every call is bounded: the handshake by the contexts' handshake timeout, the answer by the
 * request timeout, the server's verdict by {@link #VERDICT_WAIT}.
 */
final class Tour {
  /** How long a request may wait for its answer, after the handshake. */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
  /** How long the tour waits for the server's verdict once the client has its outcome. */
  static final Duration VERDICT_WAIT = Duration.ofSeconds(2);

  private final DemoPki pki;
  private final DemoServer server;

  Tour(DemoPki pki, DemoServer server) {
    this.pki = pki;
    this.server = server;
  }

  /** Every row of the tour, in order. */
  List<Row> run() throws InterruptedException {
    List<Row> rows = new ArrayList<>();
    rows.add(visit("allowed (CN=orders)", Expected.allowed(), mtlsClient(pki.allowed, TlsPolicy.MODERN)));
    rows.add(visit("no certificate", Expected.status(401, RejectionReason.NO_CERTIFICATE),
        mtlsClient(null, TlsPolicy.MODERN)));
    rows.add(visit("name not allowed (CN=intruder)", Expected.status(403, RejectionReason.IDENTITY_NOT_ALLOWED),
        mtlsClient(pki.notAllowed, TlsPolicy.MODERN)));
    rows.add(visit("other CA", Expected.refused(RejectionReason.UNTRUSTED_ISSUER),
        mtlsClient(pki.ofOtherCa, TlsPolicy.MODERN)));
    rows.add(visit("expired certificate", Expected.refused(RejectionReason.EXPIRED), jdkClient(pki.expired)));
    rows.add(visit("revoked certificate", Expected.refused(RejectionReason.REVOKED),
        mtlsClient(pki.revoked, TlsPolicy.MODERN)));
    rows.add(visit("TLS 1.2 only", Expected.noCommonProtocol(), mtlsClient(pki.allowed, tls12Only())));
    rows.add(rotation());
    return rows;
  }

  private Row visit(String name, Expected expected, Caller caller) throws InterruptedException {
    server.verdicts.clear();
    Attempt attempt = caller.call();
    Verdict.@Nullable Rejected rejected = expected.serverReason() == null
        ? firstRejection(server.verdicts.drain())
        : server.verdicts.awaitRejection(VERDICT_WAIT);
    List<String> reasons = new ArrayList<>();
    List<String> details = new ArrayList<>();
    if (rejected != null) {
      reasons.add("server: " + rejected.reason());
      details.add("server: " + PlainText.printable(rejected.detail(), 1_000));
    } else if (attempt.status() == 200) {
      reasons.add("server: allowed");
    }
    Problem problem = attempt.problem();
    if (problem != null) {
      reasons.add("client: " + problem);
    }
    if (attempt.message() != null) {
      details.add("client: " + PlainText.printable(attempt.message(), 2_000));
    }
    boolean asExpected = expected.matches(attempt, rejected == null ? null : rejected.reason());
    return new Row(name, expected.text(), attempt.outcome(), String.join("; ", reasons), asExpected, details);
  }

  /** The served certificate is replaced on disk and reloaded; a new connection must see it. */
  private Row rotation() throws InterruptedException {
    String name = "server certificate rotated";
    String expected = "new serial, no restart";
    Attempt before = mtlsClient(pki.allowed, TlsPolicy.MODERN).call();
    BigInteger next = pki.rotateServerCertificate();
    ReloadResult reloaded = server.reload();
    Attempt after = mtlsClient(pki.allowed, TlsPolicy.MODERN).call();
    BigInteger was = before.servedSerial();
    BigInteger now = after.servedSerial();
    String outcome = after.outcome() + ", serial " + hex(was) + " -> " + hex(now);
    boolean asExpected = before.status() == 200 && after.status() == 200 && reloaded.reloaded()
        && next.equals(now) && !next.equals(was);
    List<String> details = new ArrayList<>();
    reloaded.outcomes().forEach(o -> details.add("server: " + o.material() + " " + o.status() + ": "
        + PlainText.printable(o.detail(), 1_000)));
    if (after.message() != null) {
      details.add("client: " + PlainText.printable(after.message(), 2_000));
    }
    String reason = reloaded.reloaded() ? "server: identity reloaded" : "server: identity not reloaded";
    return new Row(name, expected, outcome, reason, asExpected, details);
  }

  private static Verdict.@Nullable Rejected firstRejection(List<Verdict> verdicts) {
    for (Verdict verdict : verdicts) {
      if (verdict instanceof Verdict.Rejected rejected) {
        return rejected;
      }
    }
    return null;
  }

  private static String hex(@Nullable BigInteger serial) {
    return serial == null ? "none" : serial.toString(16);
  }

  private static TlsPolicy tls12Only() {
    return TlsPolicy.of(List.of("TLSv1.2"), TlsPolicy.COMPATIBLE.cipherSuites().stream()
        .filter(suite -> suite.startsWith("TLS_ECDHE_"))
        .toList());
  }

  /** A client of the library: a client context, and the JDK client made from it with explained failures. */
  private Caller mtlsClient(@Nullable IssuedCertificate certificate, TlsPolicy tls) {
    return () -> {
      ClientContextBuilder builder = MtlsContext.forClient()
          .trust(TrustSource.of(List.of(pki.ca.certificate())))
          .tlsPolicy(tls)
          .handshakeTimeout(DemoServer.HANDSHAKE_TIMEOUT)
          .reload(ReloadPolicy.disabled())
          .logging(false);
      if (certificate != null) {
        builder.identity(IdentitySource.of(certificate.privateKey(), certificate.chain()));
      }
      try (MtlsContext client = builder.build()) {
        HttpClient http = MtlsHttpClients.explainFailures(client,
            MtlsHttpClients.newBuilder(client).version(HttpClient.Version.HTTP_1_1).build());
        return get(http);
      }
    };
  }

  /**
   * A client of the JDK alone, for a certificate the library will not present: an expired one,
   * which a client context refuses to load. Its failures are the JDK's, unexplained.
   */
  private Caller jdkClient(IssuedCertificate certificate) {
    return () -> {
      try {
        char[] password = "demo".toCharArray();
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(certificate.keyStore(password), password);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(pki.ca.trustStore());
        SSLContext tls = SSLContext.getInstance("TLSv1.3");
        tls.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
        SSLParameters parameters = tls.getDefaultSSLParameters();
        parameters.setProtocols(new String[] {"TLSv1.3"});
        return get(HttpClient.newBuilder().sslContext(tls).sslParameters(parameters)
            .connectTimeout(DemoServer.HANDSHAKE_TIMEOUT).version(HttpClient.Version.HTTP_1_1).build());
      } catch (GeneralSecurityException e) {
        return Attempt.failed(null, "cannot set up the plain JDK client: " + e.getMessage());
      }
    };
  }

  private Attempt get(HttpClient http) throws InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(server.hello()).timeout(REQUEST_TIMEOUT).GET().build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return new Attempt(response.statusCode(), servedSerial(response), null, null);
    } catch (MtlsConnectException e) {
      return Attempt.failed(e.problem(), e.getMessage());
    } catch (IOException e) {
      return Attempt.failed(null, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
  }

  private static @Nullable BigInteger servedSerial(HttpResponse<?> response) {
    try {
      Certificate[] chain = response.sslSession().orElseThrow().getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof X509Certificate leaf ? leaf.getSerialNumber() : null;
    } catch (SSLPeerUnverifiedException | java.util.NoSuchElementException e) {
      return null;
    }
  }

  /** One client's call. */
  @FunctionalInterface
  private interface Caller {
    Attempt call() throws InterruptedException;
  }

  /**
   * What a call came to.
   *
   * @param status the HTTP status, or 0 when there was no answer
   * @param servedSerial the serial of the server's certificate on the connection, when connected
   * @param problem the client's explanation of a failed connection, when it had one
   * @param message the failure's message, when it failed
   */
  record Attempt(int status, @Nullable BigInteger servedSerial, @Nullable Problem problem, @Nullable String message) {
    static Attempt failed(@Nullable Problem problem, String message) {
      return new Attempt(0, null, problem, message);
    }

    String outcome() {
      if (status != 0) {
        return "HTTP " + status;
      }
      return problem == null ? "no connection" : "no connection (TLS)";
    }
  }

  /**
   * What a visit should come to.
   *
   * @param status the HTTP status expected, or 0 for no connection
   * @param serverReason the server's rejection expected, or {@code null} for none
   * @param clientProblem the client's explanation expected, or {@code null} when any will do
   * @param text the expectation in a few words
   */
  record Expected(int status, @Nullable RejectionReason serverReason, @Nullable Problem clientProblem, String text) {
    static Expected allowed() {
      return new Expected(200, null, null, "allowed (200)");
    }

    static Expected status(int status, RejectionReason reason) {
      return new Expected(status, reason, null, "refused " + status + " " + reason);
    }

    static Expected refused(RejectionReason reason) {
      return new Expected(0, reason, null, "refused in TLS " + reason);
    }

    static Expected noCommonProtocol() {
      return new Expected(0, null, Problem.NO_COMMON_PROTOCOL, "refused in TLS " + Problem.NO_COMMON_PROTOCOL);
    }

    boolean matches(Attempt attempt, @Nullable RejectionReason seen) {
      return attempt.status() == status
          && (serverReason == null ? seen == null : serverReason == seen)
          && (clientProblem == null || clientProblem == attempt.problem());
    }
  }

  /**
   * One line of the table.
   *
   * @param client which client
   * @param expected what should happen
   * @param outcome what happened
   * @param reason the library's typed reasons, server's and client's
   * @param asExpected whether the outcome is the expected one
   * @param details the full texts behind the reasons, for {@code --verbose}
   */
  record Row(String client, String expected, String outcome, String reason, boolean asExpected, List<String> details) {}
}
