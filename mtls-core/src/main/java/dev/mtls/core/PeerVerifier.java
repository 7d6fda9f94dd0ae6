package dev.mtls.core;

import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;

/**
 * Turns a peer's certificate chain into a {@link Verdict}: chain to the trust anchors,
 * validity, revocation, then who the peer must be: a server's {@link PeerPolicy} for its
 * clients, a client's {@link ServerIdentity} rule for its servers. The same rules run inside the
 * handshake (the context's trust manager) and after it (the servlet filter, the Netty
 * handler), so there is one model of who is allowed.
 *
 * <p>Every refusal is reported to the context's listeners ({@link MtlsListener#peerRejected}).
 * The verdict of a TLS session is remembered, keyed by its session id and checked against the
 * chain presented, until the trust anchors or revocation data change or a certificate of the
 * chain enters or leaves its validity period: a request on a connection judged before costs a
 * lookup, and a session refused again is reported at most once a minute, with a count. The
 * verifier remembers the 10,000 sessions used most recently; the session itself is never
 * written to, so sessions that cannot be (the JDK {@code HttpClient}'s) work the same.
 *
 * <p>Thread-safe; a remembered verdict is answered without taking a lock. Reads the current
 * trust and revocation data on every call. Obtain one from {@link MtlsContext#verifier()}.
 */
public interface PeerVerifier {

  /**
   * Judges a chain as the peer sent it (leaf first). Nothing is remembered between calls: an
   * adapter that knows the TLS session should use {@link #verify(SSLSession)} or {@link
   * #verify(byte[], List)}.
   *
   * @param chain the peer's chain; empty means the peer sent no certificate
   * @return the verdict, never {@code null}
   */
  Verdict verify(List<X509Certificate> chain);

  /**
   * Judges a chain as the TLS and servlet APIs hand it over.
   *
   * @param chain the peer's chain, leaf first; {@code null} or empty means no certificate
   * @return the verdict, never {@code null}
   */
  default Verdict verify(X509Certificate @Nullable [] chain) {
    return verify(chain == null ? List.of() : Arrays.asList(chain.clone()));
  }

  /**
   * Judges a server's chain by a client context's whole {@link ServerIdentity} rule for a
   * host, after the handshake: for a client that checks a connection made elsewhere, or a
   * probe. {@link #verify(List)} and {@link #verify(SSLSession)} on a client context check
   * only what does not depend on the host (chain, validity, revocation, key usage, and the
   * policy of a {@link ServerIdentity#peer(PeerPolicy)} or
   * {@link ServerIdentity#hostNameAnd(PeerPolicy)} rule). A refusal says what the server
   * presented and what was expected, such as {@code server presented spiffe://prod/orders
   * (DNS: a.example), expected spiffe://prod/payments}.
   *
   * @param chain the server's chain, leaf first; empty means no certificate
   * @param host the host the client connected to, or means to: a DNS name (case and a
   *     trailing dot ignored) or an IP literal (IPv6 with or without brackets; compared by
   *     value, an IPv4-mapped IPv6 address as the IPv4 address it maps; never resolved)
   * @return the verdict, never {@code null}
   * @throws IllegalArgumentException when the host is blank
   * @throws IllegalStateException on a server context, which has no server-identity rule
   */
  Verdict verifyServer(List<X509Certificate> chain, String host);

  /**
   * Judges the server of an established TLS session by a client context's whole
   * {@link ServerIdentity} rule for a host, as {@link #verifyServer(List, String)} does: for a
   * client whose connection was made with another TLS stack or without the host (an engine
   * made with {@code newEngine()}), or that wants the verdict for the host its application
   * meant to reach. Only reads the session; nothing is remembered, as the verdict depends on
   * the host.
   *
   * <pre>{@code
   * SSLSocket socket = (SSLSocket) client.socketFactory().createSocket("10.0.0.5", 8443);
   * socket.startHandshake();
   * Verdict verdict = client.verifier().verifyServer(socket.getSession(), "orders.internal");
   * if (!verdict.isAllowed()) {
   *   socket.close();
   * }
   * }</pre>
   *
   * @param session the established session; a session whose peer is not verified counts as
   *     one without a certificate
   * @param host the host meant: a DNS name (case and a trailing dot ignored) or an IP literal
   *     (IPv6 with or without brackets; compared by value)
   * @return the verdict, never {@code null}
   * @throws IllegalArgumentException when the host is blank
   * @throws IllegalStateException on a server context
   */
  default Verdict verifyServer(SSLSession session, String host) {
    Objects.requireNonNull(session, "session");
    return verifyServer(PresentedChain.x509(Arrays.asList(PresentedChain.of(session))), host);
  }

  /**
   * Judges the peer of an established TLS session, remembering the verdict under the
   * session's id (see {@link #verify(byte[], List)}). Only reads the session: works on
   * read-only sessions such as the JDK {@code HttpClient}'s {@code
   * response.sslSession().get()}.
   *
   * <pre>{@code
   * Verdict verdict = context.verifier().verify(sslSocket.getSession());
   * }</pre>
   *
   * @param session the established session
   * @return the verdict, never {@code null}
   */
  Verdict verify(SSLSession session);

  /**
   * Judges the peer of an established TLS session known only by its id and the peer's
   * chain, as servlet containers expose it: Tomcat and Jetty give the request attributes
   * {@code jakarta.servlet.request.X509Certificate} (the chain) and {@code
   * jakarta.servlet.request.ssl_session_id} (the id, in hexadecimal: {@code
   * HexFormat.of().parseHex(id)}).
   *
   * <p>The verdict is remembered under the id, for this chain only: a later call with the same
   * id and an equal chain returns it without judging again, until the trust anchors or
   * revocation data change or a certificate of the chain enters or leaves its validity period;
   * a call with the same id and another chain is judged afresh, so an id never lends one peer's
   * verdict to another. A remembered refusal is reported again at most once a minute, with the
   * number of refusals since the last report. A session without an id (Bouncy Castle's JSSE
   * gives TLS 1.3 sessions none) is remembered by its chain instead.
   *
   * @param sessionId the TLS session id, empty when the session has none; the verifier keeps
   *     a copy, never the array
   * @param chain the peer's chain, leaf first; empty means the peer sent no certificate; the
   *     verifier keeps a copy, never the list
   * @return the verdict, never {@code null}
   */
  Verdict verify(byte[] sessionId, List<X509Certificate> chain);

  /**
   * Judges the peer of a request on a TLS session known by its id and the peer's chain, as
   * {@link #verify(byte[], List)} does, and reports a refusal with the request ({@link
   * MtlsListener.PeerRejected#request()}): for adapters that judge each request, such as the
   * servlet filter. The verdict is remembered per session as there, whatever the request.
   *
   * @param sessionId the TLS session id, empty when the session has none
   * @param chain the peer's chain, leaf first; empty means the peer sent no certificate
   * @param request where the request came from and what it asked for
   * @return the verdict, never {@code null}
   */
  default Verdict verify(byte[] sessionId, List<X509Certificate> chain, PeerRequest request) {
    Objects.requireNonNull(request, "request");
    return verify(sessionId, chain);
  }

  /**
   * Judges the peer of a request on an established TLS session, as {@link
   * #verify(SSLSession)} does, and reports a refusal with the request ({@link
   * MtlsListener.PeerRejected#request()}).
   *
   * @param session the established session
   * @param request where the request came from and what it asked for
   * @return the verdict, never {@code null}
   */
  default Verdict verify(SSLSession session, PeerRequest request) {
    Objects.requireNonNull(request, "request");
    return verify(session);
  }
}
