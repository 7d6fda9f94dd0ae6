package dev.mtls.core.internal.validation;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a context asks of its peers' chains beyond RFC 5280 path validation: the purpose its
 * peers' certificates serve, which every CA certificate of the path that carries an extended
 * key usage must allow (as Go, rustls-webpki and the CA/Browser Forum read such an extension),
 * and whether the CA/Browser Forum's rules for public server certificates apply.
 *
 * @param purpose the dotted OID of the peers' purpose ({@code 1.3.6.1.5.5.7.3.2} for the
 *     clients of a server); {@code null} when no purpose is checked through the chain
 * @param caBrowserForum whether the strict profile for public servers applies
 */
public record ChainProfile(@Nullable String purpose, boolean caBrowserForum) {
  /** No purpose through the chain, no strict profile: what a chain is checked by for loading. */
  public static final ChainProfile ANY_PURPOSE = new ChainProfile(null, false);

  /**
   * The profile of a context.
   *
   * @param purpose the dotted OID of the peers' purpose
   * @param caBrowserForum whether the strict profile for public servers applies
   * @return the profile
   */
  public static ChainProfile of(String purpose, boolean caBrowserForum) {
    return new ChainProfile(Objects.requireNonNull(purpose, "purpose"), caBrowserForum);
  }
}
