package dev.mtls.client;

import dev.mtls.client.MtlsConnectException.Problem;
import dev.mtls.core.MtlsContext;
import dev.mtls.core.PeerIdentity;
import dev.mtls.core.PeerRejectedException;
import dev.mtls.core.Verdict;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;

/**
 * Reads why a connection failed from what the JDK, the TLS provider and the context's trust
 * manager threw, and says it in words: the one place the client module turns a failure into an
 * {@link MtlsConnectException}. The decision about the server was the core's (its {@link
 * PeerRejectedException} carries the verdict); this only explains it and adds what the client
 * knows of itself: its trust anchors, its certificate, its TLS policy, its clock skew.
 *
 * <p>What the JDK raises, JDK 17 and 25 (SunJSSE): a refused server certificate is an
 * {@code SSLHandshakeException} caused by the trust manager's exception; an alert from the
 * server reads {@code "Received fatal alert: bad_certificate"} (JDK 25 prefixes
 * {@code "(bad_certificate) "}); a server that answers in plain text gives {@code "Unsupported
 * or unrecognized SSL message"}. Bouncy Castle's JSSE raises {@code TlsFatalAlertReceived},
 * whose message starts with the alert's name.
 */
final class FailureExplainer {
  private static final int MAX_CAUSES = 10;
  private static final int MAX_NAMES = 8;
  private static final int MAX_TEXT = 200;
  private static final String BC_ALERT_RECEIVED = "org.bouncycastle.tls.TlsFatalAlertReceived";
  private static final Pattern JDK_ALERT = Pattern.compile("Received fatal alert: ([a-z_]+)");
  private static final Pattern BC_ALERT = Pattern.compile("^([a-z_]+)\\(\\d+\\)");
  /** Alerts a server sends when it refuses the client's certificate or its absence (RFC 8446, 6.2). */
  private static final Set<String> CLIENT_CERTIFICATE_ALERTS = Set.of("bad_certificate", "certificate_required",
      "certificate_unknown", "unknown_ca", "access_denied", "certificate_expired", "certificate_revoked",
      "unsupported_certificate", "decrypt_error");
  /** Alerts a server sends when it finds nothing in common with the client's hello. */
  private static final Set<String> NO_COMMON_ALERTS = Set.of("protocol_version", "insufficient_security",
      "handshake_failure");

  private final MtlsContext client;

  FailureExplainer(MtlsContext client) {
    this.client = client;
  }

  /**
   * Explains a failed connection, or says it cannot.
   *
   * @param scheme {@code "https"} or {@code "http"} for a request, {@code null} for a socket
   * @param host the host connected to
   * @param port the port connected to
   * @param connectTimeout the connect timeout in force, when known
   * @param failure what was thrown
   * @return the explained failure, or {@code null} when it is none of the known cases
   */
  @Nullable MtlsConnectException explain(@Nullable String scheme, String host, int port,
      @Nullable Duration connectTimeout, Throwable failure) {
    String target = (scheme == null ? "" : scheme + "://") + printable(host) + ":" + port;
    boolean plainRequest = "http".equalsIgnoreCase(scheme);
    Throwable current = failure;
    for (int depth = 0; current != null && depth < MAX_CAUSES; depth++) {
      String message = current.getMessage() == null ? "" : current.getMessage();
      if (current instanceof PeerRejectedException refused && refused.rejection() != null) {
        return serverRefused(refused.rejection(), target, host, port, failure);
      }
      if (current instanceof ConnectException && !(current instanceof HttpConnectTimeoutException)) {
        return new MtlsConnectException(Problem.CONNECTION_REFUSED, host, port, "cannot connect to " + target
            + ": connection refused" + (message.isEmpty() ? "" : " (" + printable(message) + ")")
            + ": nothing listens on that port. This is not a"
            + " TLS problem: check the host and port, and that the server is running.", failure);
      }
      if (current instanceof UnknownHostException || current instanceof UnresolvedAddressException) {
        return new MtlsConnectException(Problem.UNKNOWN_HOST, host, port, "cannot connect to " + target
            + ": the host name " + printable(host) + " does not resolve. This is not a TLS problem: check"
            + " the name and this machine's DNS.", failure);
      }
      if (current instanceof HttpConnectTimeoutException
          || current instanceof SocketTimeoutException && message.startsWith("Connect timed out")) {
        return timedOut(target, host, port, connectTimeout, failure);
      }
      String alert = receivedAlert(current, message);
      if (alert != null) {
        return alert(alert, target, host, port, failure);
      }
      if (current instanceof SSLException && (message.contains("Unsupported or unrecognized SSL message")
          || message.contains("plaintext connection?"))) {
        return new MtlsConnectException(Problem.SERVER_NOT_TLS, host, port, "cannot connect to " + target
            + ": the server did not answer the TLS handshake in TLS: it speaks another protocol on this"
            + " port, most likely plain HTTP. Use the port where it serves TLS, or have the server serve TLS"
            + " here (with a server context's sslContext()).", failure);
      }
      if (current instanceof SSLException && noCommonProtocol(message)) {
        return noCommonProtocol(target, host, port, "this client found nothing it accepts: "
            + printable(message), failure);
      }
      if (current instanceof SSLException && message.contains("Remote host terminated the handshake")) {
        return new MtlsConnectException(Problem.HANDSHAKE_CLOSED_BY_SERVER, host, port, "cannot connect to "
            + target + ": the server closed the connection during the TLS handshake without saying why (no"
            + " alert). Most often it shares no TLS protocol version or cipher suite with this client, or it"
            + " refused this client's certificate; its log says which. This client offers protocols "
            + client.tlsPolicy().protocols() + " with cipher suites " + client.tlsPolicy().cipherSuites()
            + ", and " + sentIdentity() + ".", failure);
      }
      current = current.getCause();
    }
    if (!plainRequest && scheme != null && closedWithoutAnswer(failure)) {
      return new MtlsConnectException(Problem.CLIENT_CERTIFICATE_REFUSED, host, port, "cannot connect to " + target
          + ": the server closed the connection right after the TLS handshake, without an answer or an alert ("
          + printable(String.valueOf(failure.getMessage())) + "). Most likely it refused this client's certificate,"
          + " which a TLS 1.3 server checks after the client has finished its side of the handshake: "
          + sentIdentity() + "." + identityAdvice(), failure);
    }
    if (plainRequest && closedWithoutAnswer(failure)) {
      return new MtlsConnectException(Problem.CLIENT_NOT_TLS, host, port, "request to " + target
          + " failed: it was sent in plain HTTP and the server closed the connection without an HTTP"
          + " answer, as a TLS port does (" + printable(String.valueOf(failure.getMessage())) + "). Use https://"
          + printable(host) + ":" + port + ": this client presents its certificate only over TLS.", failure);
    }
    return null;
  }

  private MtlsConnectException serverRefused(Verdict.Rejected rejection, String target, String host, int port,
      Throwable failure) {
    PeerIdentity server = rejection.peer();
    String start = "cannot connect to " + target + ": ";
    switch (rejection.reason()) {
      case UNTRUSTED_ISSUER: {
        String issuer = server == null ? "an unknown issuer" : issuerOf(server);
        return new MtlsConnectException(Problem.UNTRUSTED_SERVER_CERTIFICATE, host, port, start
            + "the server's certificate is not signed by a CA this client trusts: its chain ends at " + issuer
            + ", and this client trusts " + anchors() + " (" + rejection.detail() + "). Add the CA that issued"
            + " the server's certificate to this client's trust (ClientContextBuilder.trust), or have the"
            + " server present a certificate from a CA this client trusts.", failure);
      }
      case EXPIRED:
      case NOT_YET_VALID: {
        boolean expired = rejection.reason() == dev.mtls.core.RejectionReason.EXPIRED;
        String dates = server == null ? "" : " The server's certificate is valid from " + server.notBefore()
            + " until " + server.notAfter() + ".";
        return new MtlsConnectException(expired ? Problem.SERVER_CERTIFICATE_EXPIRED
            : Problem.SERVER_CERTIFICATE_NOT_YET_VALID, host, port, start + "the server's certificate is "
            + (expired ? "expired" : "not valid yet") + ": " + rejection.detail() + "." + dates
            + " This client tolerates a clock skew of " + human(client.clockSkew()) + "." + (expired
                ? " Have the server's certificate renewed; if it was, the server still presents the old one."
                : " Check the clocks of this machine and of the CA that issued the certificate.")
            + " If the certificate's dates look right, check this machine's clock; a skew can be allowed with"
            + " ClientContextBuilder.clockSkew.", failure);
      }
      case IDENTITY_NOT_ALLOWED:
        return wrongServer(rejection, server, start, host, port, failure);
      default:
        return new MtlsConnectException(Problem.SERVER_CERTIFICATE_REFUSED, host, port, start
            + "this client refused the server's certificate (" + rejection.reason() + "): " + rejection.detail()
            + ".", failure);
    }
  }

  private static MtlsConnectException wrongServer(Verdict.Rejected rejection, @Nullable PeerIdentity server,
      String start, String host, int port, Throwable failure) {
    String names = server == null ? "" : " Its certificate names " + altNames(server) + ".";
    boolean hostRule = rejection.detail().contains("expected a certificate naming host");
    String advice = hostRule
        ? " Connect by one of these names, have the server's certificate issued for the name connected to,"
            + " or name the server another way (ClientContextBuilder.serverIdentity)."
        : " If this server is the right one, allow its identity in this client's ServerIdentity rule"
            + " (ClientContextBuilder.serverIdentity); otherwise check which server answers at this address.";
    return new MtlsConnectException(Problem.WRONG_SERVER_IDENTITY, host, port, start
        + (hostRule ? "the server's certificate does not name the host connected to: "
            : "the server is not the one this client expects: ")
        + rejection.detail() + "." + names + advice, failure);
  }

  private MtlsConnectException alert(String alert, String target, String host, int port, Throwable failure) {
    String start = "cannot connect to " + target + ": ";
    List<X509Certificate> identity = client.identityChain();
    if (CLIENT_CERTIFICATE_ALERTS.contains(alert) || "handshake_failure".equals(alert) && identity.isEmpty()) {
      return new MtlsConnectException(Problem.CLIENT_CERTIFICATE_REFUSED, host, port, start
          + "the server refused this client's certificate (it answered with the alert " + alert + "): "
          + sentIdentity() + "." + identityAdvice(), failure);
    }
    if (NO_COMMON_ALERTS.contains(alert)) {
      return noCommonProtocol(target, host, port, "the server answered with the alert " + alert
          + "; it does not say what it speaks", failure);
    }
    return new MtlsConnectException(Problem.SERVER_CERTIFICATE_REFUSED, host, port, start
        + "the server ended the handshake with the alert " + alert + ".", failure);
  }

  /** What this client presents when asked, as a clause: "this client sent ...". */
  private String sentIdentity() {
    List<X509Certificate> identity = client.identityChain();
    if (identity.isEmpty()) {
      return "this client sent no certificate: its context has no identity";
    }
    PeerIdentity own = PeerIdentity.of(identity);
    return "this client sent " + own.describe() + ", valid until " + own.notAfter();
  }

  private String identityAdvice() {
    List<X509Certificate> identity = client.identityChain();
    if (identity.isEmpty()) {
      return " Give this client the identity the server expects (ClientContextBuilder.identity).";
    }
    return " Ask the server's operators whether the server trusts " + issuerOf(PeerIdentity.of(identity))
        + " and allows this client's name; check that this is the certificate meant for this client.";
  }

  private MtlsConnectException noCommonProtocol(String target, String host, int port, String what, Throwable failure) {
    return new MtlsConnectException(Problem.NO_COMMON_PROTOCOL, host, port, "cannot connect to " + target
        + ": the server and this client share no TLS protocol version or cipher suite (" + what + "). This"
        + " client offers protocols " + client.tlsPolicy().protocols() + " with cipher suites "
        + client.tlsPolicy().cipherSuites() + ". Give this client a TlsPolicy"
        + " that includes what the server speaks (TlsPolicy.COMPATIBLE adds TLS 1.2), or the server one that"
        + " includes this client's.", failure);
  }

  private static MtlsConnectException timedOut(String target, String host, int port, @Nullable Duration timeout,
      Throwable failure) {
    return new MtlsConnectException(Problem.TIMED_OUT, host, port, "cannot connect to " + target
        + ": no connection " + (timeout == null ? "within the connect timeout" : "within " + human(timeout))
        + " (TCP connect and TLS handshake). Nothing answered at that address (a firewall that drops packets, a"
        + " wrong host), or the server accepted the connection and did not answer the TLS handshake (a port"
        + " that speaks another protocol and waits for the client, such as plain HTTP). This is not a certificate problem: check"
        + " the host and port, and that the server speaks TLS there.", failure);
  }

  private static @Nullable String receivedAlert(Throwable failure, String message) {
    if (failure.getClass().getName().equals(BC_ALERT_RECEIVED)) {
      Matcher bc = BC_ALERT.matcher(message);
      return bc.find() ? bc.group(1) : "unknown";
    }
    if (!(failure instanceof SSLException)) {
      return null;
    }
    Matcher jdk = JDK_ALERT.matcher(message);
    return jdk.find() ? jdk.group(1) : null;
  }

  private static boolean noCommonProtocol(String message) {
    String text = message.toLowerCase(Locale.ROOT);
    return text.contains("no appropriate protocol") || text.contains("is not accepted by client preferences")
        || text.contains("no negotiable cipher suite") || text.contains("no cipher suites in common");
  }

  /** A plain-HTTP exchange the server ended before any answer, as a TLS server ends one. */
  private static boolean closedWithoutAnswer(Throwable failure) {
    Throwable current = failure;
    for (int depth = 0; current != null && depth < MAX_CAUSES; depth++) {
      String text = String.valueOf(current.getMessage()).toLowerCase(Locale.ROOT);
      if (current instanceof java.io.EOFException || text.contains("header parser received no bytes")
          || text.contains("connection reset") || text.contains("invalid status line")
          || text.contains("unexpected end of file") || text.contains("connection closed")) {
        return true;
      }
      current = current.getCause();
    }
    return false;
  }

  private String anchors() {
    List<X509Certificate> anchors = client.trustAnchors();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < anchors.size() && i < MAX_NAMES; i++) {
      names.add(printable(anchors.get(i).getSubjectX500Principal().getName()));
    }
    String more = anchors.size() > MAX_NAMES ? " and " + (anchors.size() - MAX_NAMES) + " more" : "";
    return (anchors.size() == 1 ? "only " : "") + String.join("; ", names) + more;
  }

  /** The issuer of the last certificate of a chain: the CA it ends at. */
  private static String issuerOf(PeerIdentity peer) {
    List<X509Certificate> chain = peer.chain();
    return printable(chain.get(chain.size() - 1).getIssuerX500Principal().getName());
  }

  private static String altNames(PeerIdentity server) {
    List<String> uris = new ArrayList<>();
    server.uris().forEach(uri -> uris.add(uri.toString()));
    return "DNS: " + list(server.dnsNames()) + "; IP: " + list(server.ipAddresses()) + "; URI: " + list(uris);
  }

  private static String list(List<String> names) {
    if (names.isEmpty()) {
      return "none";
    }
    List<String> shown = new ArrayList<>();
    for (int i = 0; i < names.size() && i < MAX_NAMES; i++) {
      shown.add(printable(names.get(i)));
    }
    return String.join(", ", shown) + (names.size() > MAX_NAMES ? " and " + (names.size() - MAX_NAMES) + " more" : "");
  }

  private static String human(Duration duration) {
    return duration.isZero() ? "none" : duration.toString().substring(2).toLowerCase(Locale.ROOT);
  }

  /**
   * Text from certificates, the network or the JDK, made one printable line: control
   * characters escaped (they could forge a log line), cut at {@value #MAX_TEXT} characters.
   */
  static String printable(String text) {
    StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_TEXT) + 8);
    int i = 0;
    for (; i < text.length() && out.length() < MAX_TEXT; i++) {
      char c = text.charAt(i);
      int type = Character.getType(c);
      if (Character.isISOControl(c) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
          || type == Character.PARAGRAPH_SEPARATOR) {
        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return i < text.length() ? out.append("...").toString() : out.toString();
  }
}
