package dev.mtls.core;

import dev.mtls.core.internal.MaterialLoader;
import dev.mtls.core.internal.TrustMaterial;

/**
 * Where a context's trust anchors come from. (SKELETON: implemented by the loading work.)
 */
public final class TrustSource {
  private TrustSource() {}

  /**
   * The loader behind this source.
   *
   * @return the loader
   */
  MaterialLoader<TrustMaterial> loader() {
    throw new UnsupportedOperationException("skeleton");
  }
}
