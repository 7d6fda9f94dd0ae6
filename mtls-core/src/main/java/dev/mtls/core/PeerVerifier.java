package dev.mtls.core;

import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;

/**
 * Turns a peer's certificate chain into a {@link Verdict}: chain to the trust anchors,
 * validity, revocation, then who the peer must be: a server's {@link PeerPolicy} for its
 * clients, a client's {@link ServerIdentity} rule for its servers. The same rules run inside the
 * handshake (the context's trust manager) and after it (the servlet filter, the Netty
 * handler), so there is one model of who is allowed.
 *
 * <p>Thread-safe and lock-free; reads the current trust and revocation data on every call.
 * Obtain one from {@link MtlsContext#verifier()}.
 */
public interface PeerVerifier {

  /**
   * Judges a chain as the peer sent it (leaf first).
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
   * @param host the host the client connected to, or means to (a DNS name or IP literal)
   * @return the verdict, never {@code null}
   * @throws IllegalStateException on a server context, which has no server-identity rule
   */
  Verdict verifyServer(List<X509Certificate> chain, String host);

  /**
   * Judges the peer of an established TLS session. The verdict is cached per session and
   * recomputed when trust anchors or revocation data change, so a long-lived connection
   * whose certificate has since been revoked is refused, while a request costs a lookup.
   *
   * @param session the established session
   * @return the verdict, never {@code null}
   */
  Verdict verify(SSLSession session);
}
