package dev.mtls.core.internal;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The library's private Bouncy Castle provider instance. It is passed explicitly wherever a
 * provider is needed and never registered with {@code java.security.Security}, so that
 * applications see no JVM-global change.
 */
public final class BouncyCastle {
  /** The provider instance, not registered globally. */
  public static final Provider PROVIDER = new BouncyCastleProvider();

  private BouncyCastle() {}
}
