package dev.mtls.core.internal.tls;

import dev.mtls.core.internal.material.IdentityMaterial;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.util.Locale;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.jspecify.annotations.Nullable;

/**
 * Presents the context's one identity, read from an {@link IdentityHolder} on every
 * handshake, so a reloaded certificate is served by the next handshake without a restart.
 * Offers its alias only for the key type the provider asks for; ignores the issuer hints,
 * since there is one identity to offer.
 */
public final class IdentityKeyManager extends X509ExtendedKeyManager {
  private final IdentityHolder holder;

  /**
   * Creates the key manager.
   *
   * @param holder where the current identity is
   */
  public IdentityKeyManager(IdentityHolder holder) {
    this.holder = holder;
  }

  @Override
  public String @Nullable [] getClientAliases(String keyType, Principal @Nullable [] issuers) {
    String alias = aliasFor(keyType);
    return alias == null ? null : new String[] {alias};
  }

  @Override
  public @Nullable String chooseClientAlias(String[] keyTypes, Principal @Nullable [] issuers, @Nullable Socket socket) {
    return aliasFor(keyTypes);
  }

  @Override
  public @Nullable String chooseEngineClientAlias(
      String[] keyTypes, Principal @Nullable [] issuers, @Nullable SSLEngine engine) {
    return aliasFor(keyTypes);
  }

  @Override
  public String @Nullable [] getServerAliases(String keyType, Principal @Nullable [] issuers) {
    return getClientAliases(keyType, issuers);
  }

  @Override
  public @Nullable String chooseServerAlias(String keyType, Principal @Nullable [] issuers, @Nullable Socket socket) {
    return aliasFor(keyType);
  }

  @Override
  public @Nullable String chooseEngineServerAlias(
      String keyType, Principal @Nullable [] issuers, @Nullable SSLEngine engine) {
    return aliasFor(keyType);
  }

  @Override
  public X509Certificate @Nullable [] getCertificateChain(String alias) {
    IdentityMaterial material = holder.forAlias(alias);
    return material == null ? null : material.chain().toArray(new X509Certificate[0]);
  }

  @Override
  public @Nullable PrivateKey getPrivateKey(String alias) {
    IdentityMaterial material = holder.forAlias(alias);
    return material == null ? null : material.privateKey();
  }

  private @Nullable String aliasFor(String... keyTypes) {
    // Read the alias and the material from one snapshot read, so both belong together.
    String alias = holder.currentAlias();
    IdentityMaterial material = holder.forAlias(alias);
    if (material == null || keyTypes == null) {
      return null;
    }
    PrivateKey key = material.privateKey();
    String algorithm = normalise(key.getAlgorithm());
    for (String keyType : keyTypes) {
      if (keyType != null && matches(keyType, algorithm, key)) {
        return alias;
      }
    }
    return null;
  }

  /**
   * Whether a key type the provider asks for fits the key. Bouncy Castle asks for TLS 1.3
   * keys as {@code EC/secp256r1} (key type, then the named group the signature scheme binds):
   * an EC key must then be on that curve.
   */
  private static boolean matches(String keyType, String algorithm, PrivateKey key) {
    int slash = keyType.indexOf('/');
    String type = slash < 0 ? keyType : keyType.substring(0, slash);
    if (!normalise(type).equals(algorithm)) {
      return false;
    }
    if (slash < 0 || !(key instanceof ECPrivateKey ec)) {
      return true;
    }
    String curve = switch (ec.getParams().getCurve().getField().getFieldSize()) {
      case 256 -> "secp256r1";
      case 384 -> "secp384r1";
      case 521 -> "secp521r1";
      default -> "";
    };
    return keyType.substring(slash + 1).equalsIgnoreCase(curve);
  }

  /**
   * Brings key algorithm names and the key types providers ask for to one spelling. In
   * TLS 1.2 the JDK asks a client for {@code EC_EC} or {@code EC_RSA} (key type, then the
   * issuer's) and Bouncy Castle asks a server for the key exchange ({@code ECDHE_ECDSA},
   * {@code ECDHE_RSA}); TLS 1.3 asks for {@code EC}, {@code RSA}, {@code RSASSA-PSS} or
   * {@code EdDSA}/{@code Ed25519}.
   */
  private static String normalise(String name) {
    String upper = name.toUpperCase(Locale.ROOT);
    if (upper.startsWith("ECDHE_") || upper.startsWith("DHE_")) {
      upper = upper.substring(upper.indexOf('_') + 1);
    }
    int underscore = upper.indexOf('_');
    String base = underscore > 0 ? upper.substring(0, underscore) : upper;
    switch (base) {
      case "ECDSA":
        return "EC";
      case "ED25519":
      case "ED448":
        return "EDDSA";
      default:
        return base;
    }
  }
}
