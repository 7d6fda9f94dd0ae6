package dev.mtls.core.internal.reload;

import dev.mtls.core.Material;
import dev.mtls.core.MtlsException;
import dev.mtls.core.MtlsListener;
import dev.mtls.core.MtlsListener.CrlRefreshFailed;
import dev.mtls.core.internal.crl.CrlRevocationChecker;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Re-reads CRL files as soon as they change on disk, rather than at the CRL refresh
 * interval. Only the files: the CRL URLs of the same context keep their own schedule, so a
 * refused file, tried again at every tick, never causes a fetch. The CRL machinery swaps in
 * what it read (keeping the last good CRL of a file it refuses) and reports what it loaded as
 * {@link MtlsListener#crlRefreshed}; a refusal is reported here, as {@link
 * MtlsListener#crlRefreshFailed}, once per file content.
 */
final class CrlReloadUnit extends ReloadUnit<String> {
  private final CrlRevocationChecker checker;

  CrlReloadUnit(List<Path> files, FileDigest inUse, CrlRevocationChecker checker, MtlsListener listener) {
    super(Material.CRL, files, inUse, listener);
    this.checker = checker;
  }

  /** The CRL machinery reads, checks and swaps in one step, keeping the last good CRL. */
  @Override
  String read() {
    long before = checker.generation();
    List<CrlRefreshFailed> failures = checker.refreshFiles();
    if (!failures.isEmpty()) {
      throw new Refused(failures);
    }
    return checker.generation() == before ? "CRL files re-read, revocation data unchanged" : "CRL files refreshed";
  }

  @Override
  Swapped swap(String refreshed) {
    return new Swapped(refreshed, null); // reported by the CRL machinery, as crlRefreshed
  }

  @Override
  void reportFailure(MtlsException failure) {
    if (failure instanceof Refused refused) {
      // through the CRL machinery, which does not report again what its own schedule reported
      checker.reportFileFailures(refused.failures);
    } else {
      super.reportFailure(failure);
    }
  }

  /** CRL files the CRL machinery refused, each with its problem. */
  private static final class Refused extends MtlsException {
    private static final long serialVersionUID = 1L;

    private final transient List<CrlRefreshFailed> failures;

    Refused(List<CrlRefreshFailed> failures) {
      super(failures.stream().map(f -> "cannot load CRL from " + f.source() + ": " + f.problem())
          .collect(Collectors.joining("; ")));
      this.failures = List.copyOf(failures);
    }
  }
}
