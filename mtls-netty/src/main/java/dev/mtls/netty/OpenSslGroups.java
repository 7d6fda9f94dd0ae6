package dev.mtls.netty;

import dev.mtls.core.TlsPolicy;
import io.netty.handler.ssl.OpenSsl;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The key-exchange groups an OpenSSL context offers and accepts: the TLS policy's, in its
 * order, as {@code OpenSslContextOption.GROUPS} (without it, netty-tcnative offers its own
 * list, {@code secp521r1} included). The post-quantum hybrid {@code X25519MLKEM768} is in
 * BoringSSL (netty-tcnative-boringssl-static) and AWS-LC; elsewhere a built-in policy leaves it
 * out, as core does for a provider without it, and a policy that requires it
 * ({@link TlsPolicy#groupsRequired()}) cannot be built.
 */
final class OpenSslGroups {
  private static final String HYBRID = "X25519MLKEM768";

  private OpenSslGroups() {}

  /**
   * The groups to set for a policy.
   *
   * @throws IllegalArgumentException when the policy requires a hybrid this library lacks
   */
  static String[] of(TlsPolicy policy) {
    boolean hasHybrid = hasHybrid(OpenSsl.versionString());
    List<String> offered = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (String group : policy.namedGroups()) {
      boolean hybrid = group.toUpperCase(Locale.ROOT).contains("MLKEM");
      (!hybrid || (hasHybrid && group.equals(HYBRID)) ? offered : missing).add(group);
    }
    if (!missing.isEmpty() && (policy.groupsRequired() || offered.isEmpty())) {
      throw new IllegalArgumentException("the OpenSSL provider (" + OpenSsl.versionString() + ") has no key-exchange"
          + " group " + String.join(", ", missing) + ", which " + policy + " requires"
          + (hasHybrid ? "" : "; netty-tcnative-boringssl-static has X25519MLKEM768"));
    }
    return offered.toArray(new String[0]);
  }

  /** Whether a native TLS library, by its version string, has {@code X25519MLKEM768}. */
  private static boolean hasHybrid(String versionString) {
    return versionString != null && (versionString.equals("BoringSSL") || versionString.startsWith("AWS-LC"));
  }
}
