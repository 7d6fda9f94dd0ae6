package dev.mtls.core;

import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;

/**
 * Turns a peer's certificate chain into a {@link Verdict}: chain to the trust anchors,
 * validity, revocation, then the {@link PeerPolicy}. The same rules run inside the
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
   * Judges the peer of an established TLS session. The verdict is cached per session and
   * recomputed when trust anchors or revocation data change, so a long-lived connection
   * whose certificate has since been revoked is refused, while a request costs a lookup.
   *
   * @param session the established session
   * @return the verdict, never {@code null}
   */
  Verdict verify(SSLSession session);
}
