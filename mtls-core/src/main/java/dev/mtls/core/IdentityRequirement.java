package dev.mtls.core;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * A condition an adapter puts on every identity a context reloads, for what its TLS library
 * cannot use (mtls-netty's OpenSSL provider cannot sign with Ed25519, say): registered with
 * {@link MtlsContext#requireOfIdentity(IdentityRequirement)}, asked before a reloaded identity
 * replaces the one in use, and a refusal makes the reload fail, naming the file, while the
 * previous identity keeps serving.
 *
 * <pre>{@code
 * context.requireOfIdentity(chain -> chain.get(0).getPublicKey() instanceof EdECKey
 *     ? Optional.of("my TLS library cannot use an Ed25519 key")
 *     : Optional.empty());
 * }</pre>
 */
@FunctionalInterface
public interface IdentityRequirement {
  /**
   * Why a chain cannot be used, if it cannot. Called on the reloading thread; keep it quick,
   * and do not block.
   *
   * @param chain the new identity's certificate chain, leaf first (never empty)
   * @return empty when the chain can be used; otherwise the problem in one sentence, which
   *     becomes the reload error's message
   */
  Optional<String> problem(List<X509Certificate> chain);
}
