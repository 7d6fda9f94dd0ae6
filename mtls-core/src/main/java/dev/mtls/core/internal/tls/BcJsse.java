package dev.mtls.core.internal.tls;

import dev.mtls.core.internal.BouncyCastle;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.bouncycastle.jsse.BCSSLEngine;
import org.bouncycastle.jsse.BCSSLParameters;
import org.bouncycastle.jsse.BCSSLSocket;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;
import org.bouncycastle.tls.NamedGroup;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;
import org.jspecify.annotations.Nullable;

/**
 * Everything that touches Bouncy Castle's JSSE ({@code bctls}, an optional dependency):
 * this class is loaded only when a context asks for {@code TlsProvider.BOUNCY_CASTLE}. Loading
 * it quiets BCJSSE's own {@code java.util.logging} output first (see {@link BcJsseLogging}), so
 * that even the provider's start-up lines stay out of the log.
 */
public final class BcJsse {
  static {
    BcJsseLogging.quietByDefault();
  }

  private static final BouncyCastleJsseProvider PROVIDER = new BouncyCastleJsseProvider(BouncyCastle.PROVIDER);

  /** The groups a policy may name that Bouncy Castle knows, by their TLS code points. */
  private static final int[] KNOWN_GROUPS = {NamedGroup.X25519MLKEM768, NamedGroup.SecP256r1MLKEM768,
      NamedGroup.SecP384r1MLKEM1024, NamedGroup.x25519, NamedGroup.x448, NamedGroup.secp256r1,
      NamedGroup.secp384r1, NamedGroup.secp521r1};

  private BcJsse() {}

  /**
   * The groups of a list that BCJSSE can negotiate here: known to bctls, and with the crypto
   * (Bouncy Castle's, as the provider uses) that the group needs, ML-KEM for the hybrids.
   *
   * @param groups TLS group names, such as {@code X25519MLKEM768}
   * @return those it has, in the order given
   */
  public static List<String> supportedGroups(List<String> groups) {
    TlsCrypto crypto = new JcaTlsCryptoProvider().setProvider(BouncyCastle.PROVIDER).create(new SecureRandom());
    List<String> supported = new ArrayList<>(groups.size());
    for (String group : groups) {
      for (int code : KNOWN_GROUPS) {
        if (group.equals(NamedGroup.getName(code)) && has(crypto, code)) {
          supported.add(group);
        }
      }
    }
    return supported;
  }

  private static boolean has(TlsCrypto crypto, int group) {
    // The crypto answers for the parts of a hybrid, not for the hybrid (bctls 1.84).
    if (NamedGroup.refersToASpecificHybrid(group)) {
      return crypto.hasNamedGroup(NamedGroup.getHybridFirst(group))
          && crypto.hasNamedGroup(NamedGroup.getHybridSecond(group));
    }
    return crypto.hasNamedGroup(group);
  }

  /**
   * The named groups set on a BCJSSE engine or socket.
   *
   * @param engineOrSocket an engine or socket made by a BCJSSE context
   * @return the groups, or {@code null} when it uses the provider's own
   */
  public static String @Nullable [] namedGroups(Object engineOrSocket) {
    BCSSLParameters parameters = parameters(engineOrSocket);
    return parameters == null ? null : parameters.getNamedGroups();
  }

  /**
   * A fresh, uninitialised TLS context from BCJSSE with Bouncy Castle crypto.
   *
   * @return the context
   * @throws NoSuchAlgorithmException never in practice
   */
  public static SSLContext newSslContext() throws NoSuchAlgorithmException {
    return SSLContext.getInstance("TLS", PROVIDER);
  }

  /**
   * Restricts the signature schemes of a BCJSSE engine or socket, which Bouncy Castle lets
   * us do on every Java version.
   *
   * @param engineOrSocket an engine or socket made by a BCJSSE context
   * @param schemes the schemes to allow, by their RFC 8446 names
   */
  public static void restrictSignatureSchemes(Object engineOrSocket, List<String> schemes) {
    restrict(engineOrSocket, schemes, null, false);
  }

  /**
   * Restricts the signature schemes and, when given, the key-exchange groups of a BCJSSE
   * engine or socket, in one change of its parameters.
   *
   * @param engineOrSocket an engine or socket made by a BCJSSE context
   * @param schemes the schemes to allow, by their RFC 8446 names
   * @param groups the groups, most preferred first, or {@code null} to leave them
   * @param serverOrder whether a server picks by its own order of groups rather than the client's
   */
  public static void restrict(Object engineOrSocket, List<String> schemes, @Nullable List<String> groups,
      boolean serverOrder) {
    BCSSLParameters parameters = parameters(engineOrSocket);
    if (parameters == null) {
      return;
    }
    parameters.setSignatureSchemes(schemes.toArray(new String[0]));
    if (groups != null) {
      parameters.setNamedGroups(groups.toArray(new String[0]));
      parameters.setUseNamedGroupsOrder(serverOrder);
    }
    if (engineOrSocket instanceof BCSSLEngine engine) {
      engine.setParameters(parameters);
    } else {
      ((BCSSLSocket) engineOrSocket).setParameters(parameters);
    }
  }

  private static @Nullable BCSSLParameters parameters(Object engineOrSocket) {
    if (engineOrSocket instanceof BCSSLEngine engine) {
      return engine.getParameters();
    }
    if (engineOrSocket instanceof BCSSLSocket socket) {
      return socket.getParameters();
    }
    return null;
  }
}
