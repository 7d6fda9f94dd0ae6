package dev.mtls.core.internal;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The library's own Bouncy Castle provider instance. It is passed explicitly wherever Bouncy
 * Castle crypto is wanted and is never registered with {@code Security.addProvider}, so the
 * library changes nothing JVM-wide.
 */
public final class BouncyCastle {
  /** The private provider instance; never registered globally. */
  public static final Provider PROVIDER = new BouncyCastleProvider();

  private BouncyCastle() {}
}
