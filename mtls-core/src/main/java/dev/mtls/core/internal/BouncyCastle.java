package dev.mtls.core.internal;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The library's private Bouncy Castle provider instance, passed explicitly wherever BC does
 * crypto. It is never installed JVM-wide ({@code Security.addProvider}), so applications
 * keep the providers they chose.
 */
public final class BouncyCastle {
  /** The shared instance. */
  public static final Provider PROVIDER = new BouncyCastleProvider();

  private BouncyCastle() {}
}
