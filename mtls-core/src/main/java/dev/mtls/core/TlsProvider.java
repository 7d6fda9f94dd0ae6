package dev.mtls.core;

import org.jspecify.annotations.Nullable;

/**
 * Which JSSE implementation runs the handshakes. Both pass the same handshake tests; neither
 * is installed as a JVM-wide security provider.
 */
public enum TlsProvider {
  /** The JDK's own SunJSSE. The default: nothing to add to the class path. */
  JDK,
  /**
   * Bouncy Castle's JSSE ({@code bctls}) with Bouncy Castle crypto: faster signature checks
   * than the JDK 17 (see the project's performance notes). Needs
   * {@code org.bouncycastle:bctls-jdk18on} on the class path, an optional dependency of
   * mtls-core.
   */
  BOUNCY_CASTLE;

  /**
   * Whether this provider can be used here.
   *
   * @return {@code true} when its classes are on the class path
   */
  public boolean isAvailable() {
    return unavailabilityCause() == null;
  }

  /**
   * Why this provider cannot be used, in the manner of Netty's {@code OpenSsl}.
   *
   * @return the cause, or {@code null} when it is available
   */
  public @Nullable Throwable unavailabilityCause() {
    if (this == JDK) {
      return null;
    }
    try {
      Class.forName("org.bouncycastle.jsse.provider.BouncyCastleJsseProvider", false,
          TlsProvider.class.getClassLoader());
      return null;
    } catch (ClassNotFoundException | LinkageError e) {
      return e;
    }
  }
}
