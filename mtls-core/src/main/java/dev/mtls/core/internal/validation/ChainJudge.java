package dev.mtls.core.internal.validation;

import dev.mtls.core.Verdict;
import java.security.cert.X509Certificate;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The one decision about a peer, as the trust manager needs it: the verifier behind it
 * applies trust, validity, revocation and, when asked, the peer policy.
 */
@FunctionalInterface
public interface ChainJudge {
  /**
   * Judges a peer chain.
   *
   * @param chain the chain as the peer sent it, leaf first
   * @param applyPolicy whether the peer policy (names, issuer, key usage) is applied too
   * @param expectedHost for a client checking its server: the host name or IP literal the
   *     certificate must name (RFC 6125); {@code null} for no host name check
   * @return the verdict
   */
  Verdict judge(List<X509Certificate> chain, boolean applyPolicy, @Nullable String expectedHost);
}
