package dev.mtls.cli.probe;

import dev.mtls.cli.CliException;
import dev.mtls.cli.describe.CertificateDetails;
import dev.mtls.cli.text.PlainText;
import dev.mtls.client.MtlsConnectException;
import dev.mtls.client.MtlsHttpClients;
import dev.mtls.core.MtlsContext;
import dev.mtls.core.PeerIdentity;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mtls probe URL}: connects to an HTTPS server as an mTLS client of the library would,
 * sends one {@code GET}, and says what was negotiated and who the server is; or, when the
 * connection fails, what went wrong in plain words and what to do (the client module's
 * {@link MtlsConnectException} messages), with an exit code per kind of failure for scripts.
 */
@Command(
    name = "probe",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Connects to an HTTPS server as an mTLS client, sends one GET, and prints the negotiated protocol,"
            + " cipher suite and key-exchange group, the server's chain and identity; on failure, what went"
            + " wrong in plain words and what to do.",
        "The server is checked by host name (its certificate must name the host of the URL), or by"
            + " SPIFFE ID with --expect-spiffe. Without --ca, the JDK's default CAs are trusted. TLS 1.3 and"
            + " 1.2 are offered (the library's COMPATIBLE policy)."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        " 0:connected, and the server is the one expected",
        " 2:TLS or trust failure: the server's certificate refused (unknown CA, expired, revoked), this"
            + " client's certificate refused or missing, no common protocol, not TLS on that port",
        " 3:unreachable: connection refused, unknown host, or no answer within --timeout",
        " 4:identity mismatch: a trusted server that is not the one expected (host name or SPIFFE ID)",
        " 5:this probe's own --cert, --key or --ca could not be used",
        "64:wrong arguments"})
public final class ProbeCommand implements Callable<Integer> {
  /** Exit code: a TLS or trust failure (either side refused the other, or no TLS at all). */
  public static final int TLS_FAILURE = 2;
  /** Exit code: nothing reachable at the address within the timeout. */
  public static final int UNREACHABLE = 3;
  /** Exit code: the server is trusted but not the one expected. */
  public static final int IDENTITY_MISMATCH = 4;
  /** Exit code: the probe's own certificate, key or CA file could not be used. */
  public static final int LOCAL_MATERIAL = 5;

  /** What the JDK's TLS (SunJSSE, JDK 17 to 25) exposes of the key exchange: nothing. */
  static final String GROUP_NOT_REPORTED = "not reported by this JDK (SunJSSE has no API for the negotiated group)";

  /** The most characters of an explained failure printed. */
  private static final int MAX_MESSAGE = 4000;

  @Spec
  @Nullable CommandSpec spec;

  @Parameters(index = "0", paramLabel = "URL", description = "The server, such as https://localhost:8443/health.")
  @Nullable URI url;

  @Option(names = "--cert", paramLabel = "FILE", description = "This client's certificate chain (PEM).")
  @Nullable Path cert;

  @Option(names = "--key", paramLabel = "FILE", description = "This client's private key (PEM, unencrypted).")
  @Nullable Path key;

  @Option(names = "--ca", paramLabel = "FILE", description = "The CA certificates the server's chain must lead to"
      + " (PEM); default: the JDK's default CAs.")
  @Nullable Path ca;

  @Option(names = "--expect-spiffe", paramLabel = "ID", description = "The server's SPIFFE ID, such as"
      + " spiffe://prod.example/payments; checked in place of the host name.")
  @Nullable String expectSpiffe;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s", converter = TimeoutConverter.class,
      description = "Bounds the TCP connect and TLS handshake, and again the wait for the answer (500ms, 10s, 2m;"
          + " default ${DEFAULT-VALUE}).")
  Duration timeout = Duration.ofSeconds(10);

  @Override
  public Integer call() throws InterruptedException {
    URI target = ProbeTarget.check(url);
    PrintWriter out = spec().commandLine().getOut();
    ProbeClient probe = ProbeClient.open(cert, key, ca, expectSpiffe, timeout);
    try (MtlsContext client = probe.context()) {
      HttpClient http = MtlsHttpClients.explainFailures(client, MtlsHttpClients.newBuilder(client)
          .version(HttpClient.Version.HTTP_1_1)
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(timeout)
          .build());
      HttpRequest request = HttpRequest.newBuilder(target).timeout(timeout).GET()
          .header("User-Agent", "mtls-probe").build();
      HttpResponse<InputStream> response;
      try {
        response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      } catch (MtlsConnectException e) {
        return failed(out, target, e, probe);
      } catch (IOException e) {
        return unexplained(out, target, e);
      }
      try (InputStream body = response.body()) {
        // the body is not read: closing it ends the connection
      } catch (IOException e) {
        // the answer is in; a failure to close changes nothing
      }
      SSLSession session = response.sslSession().orElseThrow(() -> new CliException(
          "connected to " + target + " without TLS", TLS_FAILURE));
      connected(out, target, response.statusCode(), session, probe);
      return 0;
    }
  }

  private void connected(PrintWriter out, URI target, int status, SSLSession session, ProbeClient probe) {
    List<X509Certificate> chain = peerChain(session);
    out.println("connected to " + PlainText.printable(target) + " (HTTP " + status + ")");
    field(out, "protocol", session.getProtocol());
    field(out, "cipher suite", session.getCipherSuite());
    field(out, "key exchange", GROUP_NOT_REPORTED);
    field(out, "client certificate", probe.sentCertificate());
    if (!chain.isEmpty()) {
      field(out, "server", PeerIdentity.of(chain).describe());
    }
    field(out, "server check", probe.checkDescription(target.getHost()) + ": passed");
    chain(out, "server chain", chain);
  }

  private int failed(PrintWriter out, URI target, MtlsConnectException e, ProbeClient probe) {
    out.println("FAILED " + e.problem() + ": " + PlainText.printable(String.valueOf(e.getMessage()), MAX_MESSAGE));
    field(out, "what to do", whatToDo(e.problem()));
    int code = exitCode(e.problem());
    if (code == TLS_FAILURE || code == IDENTITY_MISMATCH) {
      List<X509Certificate> presented = ServerChain.fetch(target.getHost(), port(target), timeout);
      if (!presented.isEmpty()) {
        field(out, "server", PeerIdentity.of(presented).describe());
        chain(out, "server chain (as presented, not trusted)", presented);
      }
    }
    field(out, "client certificate", probe.sentCertificate());
    return code;
  }

  private static int unexplained(PrintWriter out, URI target, IOException e) {
    out.println("FAILED: the connection to " + PlainText.printable(target) + " failed: "
        + PlainText.printable(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
        + ". This is none of the cases the library can explain; run with -Djavax.net.debug=ssl:handshake for"
        + " the handshake's details.");
    return TLS_FAILURE;
  }

  /** What a probe's user does about a failure, in the probe's own options. */
  static String whatToDo(MtlsConnectException.Problem problem) {
    return switch (problem) {
      case CONNECTION_REFUSED, UNKNOWN_HOST -> "check the host and port in the URL, and that the server runs";
      case TIMED_OUT -> "check the host and port, that no firewall drops the packets, and that the port speaks TLS;"
          + " a slow server needs a longer --timeout";
      case SERVER_NOT_TLS -> "use the server's TLS port, or have the server serve TLS on this one";
      case CLIENT_NOT_TLS -> "use https:// in the URL";
      case UNTRUSTED_SERVER_CERTIFICATE -> "give the CA that issued the server's certificate with --ca FILE (the"
          + " chain below says which), or have the server present a certificate of a CA you trust";
      case SERVER_CERTIFICATE_EXPIRED -> "renew the server's certificate (mtls pki renew, or your CA), and check the"
          + " server reloaded it; if its dates look right, check this machine's clock";
      case SERVER_CERTIFICATE_NOT_YET_VALID -> "check the clocks of this machine and of the CA";
      case WRONG_SERVER_IDENTITY -> "connect by a name the server's certificate holds (below), reissue the"
          + " certificate for the name you connect to, or check --expect-spiffe";
      case SERVER_CERTIFICATE_REFUSED -> "read the reason above: a revoked or unfit server certificate is the"
          + " server's to replace";
      case HANDSHAKE_CLOSED_BY_SERVER, NO_COMMON_PROTOCOL -> "read the server's log: it says whether it refused"
          + " this client's certificate or shares no TLS version or cipher suite with it";
      case CLIENT_CERTIFICATE_REFUSED -> "give this client's certificate and key with --cert FILE --key FILE, of a"
          + " CA the server trusts and a name it allows";
    };
  }

  /**
   * The exit code of a failed connection.
   *
   * @param problem the case
   * @return the code, as {@code --help} lists them
   */
  static int exitCode(MtlsConnectException.Problem problem) {
    return switch (problem) {
      case CONNECTION_REFUSED, UNKNOWN_HOST, TIMED_OUT -> UNREACHABLE;
      case WRONG_SERVER_IDENTITY -> IDENTITY_MISMATCH;
      default -> TLS_FAILURE;
    };
  }

  private static void chain(PrintWriter out, String heading, List<X509Certificate> chain) {
    out.println(heading + ":");
    Instant now = Instant.now();
    for (int i = 0; i < chain.size(); i++) {
      String prefix = "  [" + i + "] ";
      for (Map.Entry<String, Object> entry : CertificateDetails.of(chain.get(i), now).entrySet()) {
        out.println(prefix + entry.getKey() + ": " + PlainText.printable(entry.getValue()));
        prefix = "      ";
      }
    }
  }

  private static void field(PrintWriter out, String name, String value) {
    out.println(String.format(Locale.ROOT, "%-19s %s", name + ":", value));
  }

  static int port(URI target) {
    return target.getPort() >= 0 ? target.getPort() : 443;
  }

  private static List<X509Certificate> peerChain(SSLSession session) {
    List<X509Certificate> chain = new ArrayList<>();
    try {
      for (Certificate certificate : session.getPeerCertificates()) {
        if (certificate instanceof X509Certificate x509) {
          chain.add(x509);
        }
      }
    } catch (SSLPeerUnverifiedException e) {
      return List.of();
    }
    return chain;
  }

  private CommandSpec spec() {
    if (spec == null) {
      throw new IllegalStateException("picocli did not inject the command spec");
    }
    return spec;
  }
}
