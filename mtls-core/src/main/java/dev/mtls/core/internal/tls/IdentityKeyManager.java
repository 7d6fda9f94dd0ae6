package dev.mtls.core.internal.tls;

import dev.mtls.core.internal.material.IdentityMaterial;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.util.Locale;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;
import org.jspecify.annotations.Nullable;

/**
 * Presents the context's one identity, read from an {@link IdentityHolder} on every
 * handshake, so a reloaded certificate is served by the next handshake without a restart.
 * Offers its alias only for the key type the provider asks for, and only when the key can
 * sign with a signature scheme both sides accept (see {@link #canSign}); ignores the issuer
 * hints, since there is one identity to offer. No alias fails the handshake, rather than
 * leaving the provider to fall back on a scheme the peer did not offer or this side refuses.
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
    String alias = aliasFor(null, keyType);
    return alias == null ? null : new String[] {alias};
  }

  @Override
  public @Nullable String chooseClientAlias(String[] keyTypes, Principal @Nullable [] issuers, @Nullable Socket socket) {
    return aliasFor(handshakeSession(socket), keyTypes);
  }

  @Override
  public @Nullable String chooseEngineClientAlias(
      String[] keyTypes, Principal @Nullable [] issuers, @Nullable SSLEngine engine) {
    return aliasFor(handshakeSession(engine), keyTypes);
  }

  @Override
  public String @Nullable [] getServerAliases(String keyType, Principal @Nullable [] issuers) {
    return getClientAliases(keyType, issuers);
  }

  @Override
  public @Nullable String chooseServerAlias(String keyType, Principal @Nullable [] issuers, @Nullable Socket socket) {
    return aliasFor(handshakeSession(socket), keyType);
  }

  @Override
  public @Nullable String chooseEngineServerAlias(
      String keyType, Principal @Nullable [] issuers, @Nullable SSLEngine engine) {
    return aliasFor(handshakeSession(engine), keyType);
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

  private @Nullable String aliasFor(@Nullable SSLSession handshake, String... keyTypes) {
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
        return canSign(key, handshake) ? alias : null;
      }
    }
    return null;
  }

  /**
   * Whether the key can sign with a signature scheme the peer accepts, that this side accepts
   * too, and that {@link HandshakeSignatures} allows. Decided on what the handshake session
   * says (both providers fill it in before they ask for a key); a provider that says nothing
   * (a TLS 1.2 peer without the {@code signature_algorithms} extension) leaves the decision
   * to the provider, whose algorithm constraints refuse the SHA-1 such a peer implies.
   */
  static boolean canSign(PrivateKey key, @Nullable SSLSession handshake) {
    if (!(handshake instanceof ExtendedSSLSession session)) {
      return true;
    }
    String[] peer;
    String[] local;
    try {
      peer = session.getPeerSupportedSignatureAlgorithms();
      local = session.getLocalSupportedSignatureAlgorithms();
    } catch (UnsupportedOperationException e) {
      return true;
    }
    if (peer == null || peer.length == 0) {
      return true;
    }
    String keyAlgorithm = keyFamily(key.getAlgorithm());
    for (String scheme : peer) {
      if (scheme != null && !HandshakeSignatures.refuses(scheme) && accepted(scheme, local)
          && signsWith(scheme, keyAlgorithm)) {
        return true;
      }
    }
    return false;
  }

  private static boolean accepted(String scheme, String @Nullable [] local) {
    if (local == null || local.length == 0) {
      return true;
    }
    for (String name : local) {
      if (scheme.equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a scheme, by its JCA name ({@code SHA256withECDSA}, {@code RSASSA-PSS},
   * {@code SHA256withRSAandMGF1}, {@code Ed25519}) or TLS name, signs with a key of this
   * family; a name not recognised is given the benefit of the doubt (the provider decides).
   */
  private static boolean signsWith(String scheme, String keyFamily) {
    String name = scheme.toUpperCase(Locale.ROOT).replace("-", "");
    if (name.contains("ECDSA")) {
      return keyFamily.equals("EC");
    }
    if (name.startsWith("ED25519") || name.startsWith("ED448") || name.startsWith("EDDSA")) {
      return keyFamily.equals("EDDSA");
    }
    if (name.contains("RSASSAPSS") || name.contains("MGF1") || name.startsWith("RSA_PSS_RSAE")) {
      return keyFamily.equals("RSA") || keyFamily.equals("RSASSAPSS");
    }
    if (name.startsWith("RSA_PSS_PSS")) {
      return keyFamily.equals("RSASSAPSS");
    }
    if (name.contains("WITHRSA") || name.startsWith("RSA_PKCS1")) {
      return keyFamily.equals("RSA");
    }
    return true;
  }

  private static String keyFamily(String keyAlgorithm) {
    String upper = keyAlgorithm.toUpperCase(Locale.ROOT).replace("-", "");
    return switch (upper) {
      case "EC", "ECDSA" -> "EC";
      case "ED25519", "ED448", "EDDSA" -> "EDDSA";
      default -> upper;
    };
  }

  private static @Nullable SSLSession handshakeSession(@Nullable Object engineOrSocket) {
    try {
      if (engineOrSocket instanceof SSLEngine engine) {
        return engine.getHandshakeSession();
      }
      if (engineOrSocket instanceof SSLSocket socket) {
        return socket.getHandshakeSession();
      }
    } catch (UnsupportedOperationException e) {
      // an engine or socket of a provider that does not say
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
