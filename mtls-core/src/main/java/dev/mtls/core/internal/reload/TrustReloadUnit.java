package dev.mtls.core.internal.reload;

import dev.mtls.core.internal.material.MaterialLoader;
import dev.mtls.core.internal.material.TrustMaterial;
import dev.mtls.core.internal.validation.TrustHolder;

import dev.mtls.core.Material;
import dev.mtls.core.MtlsListener;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Reloads a context's trust anchors. The new set replaces the old whole (and the
 * {@link Reloader} then has the context drop sessions whose peers it no longer accepts).
 */
final class TrustReloadUnit extends ReloadUnit<TrustMaterial> {
  private final MaterialLoader<TrustMaterial> loader;
  private final TrustHolder holder;

  TrustReloadUnit(MaterialLoader<TrustMaterial> loader, TrustHolder holder, FileDigest inUse,
      MtlsListener listener) {
    super(Material.TRUST_ANCHORS, loader.files(), inUse, listener);
    this.loader = loader;
    this.holder = holder;
  }

  @Override
  TrustMaterial read() {
    return loader.load();
  }

  @Override
  Swapped swap(TrustMaterial next) {
    TrustMaterial before = holder.swap(next);
    List<MtlsListener.CertificateSummary> old = summaries(before.anchors());
    List<MtlsListener.CertificateSummary> now = summaries(next.anchors());
    return new Swapped(old.size() + " anchors -> " + now.size() + " anchors",
        new MtlsListener.Reloaded(material(), loader.describe(), old, now));
  }

  private static List<MtlsListener.CertificateSummary> summaries(List<X509Certificate> anchors) {
    return anchors.stream().map(MtlsListener.CertificateSummary::of).toList();
  }
}
