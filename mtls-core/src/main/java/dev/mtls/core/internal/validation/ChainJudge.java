package dev.mtls.core.internal.validation;

import dev.mtls.core.Verdict;
import java.security.cert.X509Certificate;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The one decision about a peer, as the trust manager needs it: the verifier behind it
 * applies trust, validity, revocation and, when asked, the rule for who the peer must be.
 */
@FunctionalInterface
public interface ChainJudge {
  /**
   * Judges a peer chain.
   *
   * @param chain the chain as the peer sent it, leaf first
   * @param applyPolicy whether the rule for who the peer is (a server's peer policy, a
   *     client's server-identity rule) is applied too
   * @param peerHost for a client checking its server in the handshake: the host the engine or
   *     socket was made for, {@code null} when it has none; ignored on a server
   * @param endpointIdentification whether the engine or socket asks for endpoint
   *     identification ({@code HTTPS}, {@code LDAPS}): the server-identity rule says what that
   *     adds, and it never removes a host name check
   * @return the verdict
   */
  Verdict judge(List<X509Certificate> chain, boolean applyPolicy, @Nullable String peerHost,
      boolean endpointIdentification);
}
