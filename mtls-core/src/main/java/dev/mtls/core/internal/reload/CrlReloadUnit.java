package dev.mtls.core.internal.reload;

import dev.mtls.core.internal.crl.CrlRevocationChecker;

import dev.mtls.core.MtlsException;
import dev.mtls.core.Material;
import dev.mtls.core.MtlsListener;
import java.nio.file.Path;
import java.util.List;

/**
 * Refreshes CRL files as soon as they change on disk, rather than at the CRL refresh
 * interval. The CRL machinery reports its own refreshes and failures (and keeps the last
 * good CRL on a failure).
 */
final class CrlReloadUnit extends ReloadUnit<String> {
  private final CrlRevocationChecker checker;

  CrlReloadUnit(List<Path> files, FileDigest inUse, CrlRevocationChecker checker, MtlsListener listener) {
    super(Material.CRL, files, inUse, listener);
    this.checker = checker;
  }

  @Override
  void reportFailure(MtlsException failure) {
    // reported as crlRefreshFailed, by the CRL machinery
  }

  /** The CRL machinery reads, checks and swaps in one step, keeping the last good CRL. */
  @Override
  String read() {
    long before = checker.generation();
    List<String> problems;
    try {
      problems = checker.refreshNow();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MtlsException("interrupted while refreshing CRLs", e);
    }
    if (!problems.isEmpty()) {
      throw new MtlsException(String.join("; ", problems));
    }
    return checker.generation() == before ? "CRLs re-read, revocation data unchanged" : "CRLs refreshed";
  }

  @Override
  Swapped swap(String refreshed) {
    return new Swapped(refreshed, null); // reported by the CRL machinery, as crlRefreshed
  }
}
