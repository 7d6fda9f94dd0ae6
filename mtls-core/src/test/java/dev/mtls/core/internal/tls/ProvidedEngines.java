package dev.mtls.core.internal.tls;

import javax.net.ssl.SSLEngine;

/** For tests that read what only the provider's own engine exposes (Bouncy Castle's parameters). */
public final class ProvidedEngines {
  private ProvidedEngines() {}

  /** The provider's engine behind a context's engine. */
  public static SSLEngine of(SSLEngine engine) {
    return engine instanceof PolicyEngine policy ? policy.provided() : engine;
  }
}
