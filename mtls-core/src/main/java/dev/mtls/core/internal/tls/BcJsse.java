package dev.mtls.core.internal.tls;

import dev.mtls.core.internal.BouncyCastle;

import java.security.NoSuchAlgorithmException;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.bouncycastle.jsse.BCSSLEngine;
import org.bouncycastle.jsse.BCSSLParameters;
import org.bouncycastle.jsse.BCSSLSocket;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;

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

  private BcJsse() {}

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
    String[] allowed = schemes.toArray(new String[0]);
    if (engineOrSocket instanceof BCSSLEngine engine) {
      BCSSLParameters parameters = engine.getParameters();
      parameters.setSignatureSchemes(allowed);
      engine.setParameters(parameters);
    } else if (engineOrSocket instanceof BCSSLSocket socket) {
      BCSSLParameters parameters = socket.getParameters();
      parameters.setSignatureSchemes(allowed);
      socket.setParameters(parameters);
    }
  }
}
