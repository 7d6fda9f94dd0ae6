package dev.mtls.core;

import dev.mtls.core.internal.IdentityMaterial;
import dev.mtls.core.internal.MaterialLoader;

/**
 * Where a context's own certificate chain and private key come from.
 * (SKELETON: implemented by the loading work.)
 */
public final class IdentitySource {
  private IdentitySource() {}

  /**
   * The loader behind this source, for the context and the reloading key manager.
   *
   * @return the loader
   */
  MaterialLoader<IdentityMaterial> loader() {
    throw new UnsupportedOperationException("skeleton");
  }
}
