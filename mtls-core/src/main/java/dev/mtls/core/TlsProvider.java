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
   * {@code org.bouncycastle:bctls-jdk18on} on the class path or module path, an optional
   * dependency of mtls-core, at a release no newer than the {@code bcprov-jdk18on} beside it
   * (mtls-core is built with bctls 1.84 on bcprov 1.87).
   *
   * <p>BCJSSE logs through {@code java.util.logging}, several lines with stack traces for every
   * failed handshake, past the rate limit of the context's {@link MtlsListener}, which reports
   * refused peers itself. So the first time a context is built with this provider, the library
   * sets the level of logger {@code org.bouncycastle.jsse} (the parent of all of BCJSSE's
   * loggers) to {@code SEVERE}, and says so at DEBUG through SLF4J. It leaves the logger alone
   * when the application has configured it or a parent: a level, a handler or
   * {@code useParentHandlers} set in code or in {@code logging.properties}
   * ({@code org.bouncycastle.jsse.level = INFO}). To keep BCJSSE's logging, configure that logger
   * before building a context, set its level at any time afterwards
   * ({@code Logger.getLogger("org.bouncycastle.jsse").setLevel(Level.INFO)}), or run with
   * {@code -Ddev.mtls.bcjsse.logging=keep}. No other logger and no security property is touched.
   */
  BOUNCY_CASTLE;

  /**
   * Whether this provider can be used here.
   *
   * @return {@code true} when its classes are present, in releases that can run together
   */
  public boolean isAvailable() {
    return unavailabilityCause() == null;
  }

  /**
   * Why this provider cannot be used, in the manner of Netty's {@code OpenSsl}. For
   * {@link #BOUNCY_CASTLE} the message names the bctls and bcprov releases found: bctls
   * missing, or a bctls newer than the bcprov it would run on.
   *
   * @return the cause, or {@code null} when it is available
   */
  public @Nullable Throwable unavailabilityCause() {
    if (this == JDK) {
      return null;
    }
    return BouncyCastleVersions.found().unavailabilityCause();
  }

  /**
   * What this provider is here, with the releases found, for logs and diagnostics: for
   * example {@code "Bouncy Castle JSSE bctls 1.84 with bcprov 1.87"}, {@code "Bouncy Castle
   * JSSE (bctls not found; bcprov 1.87)"}, or {@code "JDK SunJSSE (Java 17.0.12+7)"}. A release
   * that cannot be read from its jar's manifest (a shaded jar, say) shows as {@code "(release
   * unknown)"}. The text is for people; its form may change.
   *
   * @return a one-line description
   */
  public String description() {
    if (this == JDK) {
      return "JDK SunJSSE (Java " + Runtime.version() + ")";
    }
    BouncyCastleVersions versions = BouncyCastleVersions.found();
    return versions.jsseMissing()
        ? "Bouncy Castle JSSE (" + versions.describe() + ")"
        : "Bouncy Castle JSSE " + versions.describe();
  }
}
