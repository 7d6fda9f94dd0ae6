package dev.mtls.core.internal.reload;

import dev.mtls.core.MtlsException;
import dev.mtls.core.MtlsListener;
import dev.mtls.core.MtlsLoadException;
import dev.mtls.core.ReloadResult;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One kind of material a context reloads from its files: notices that the files changed,
 * loads and checks the new material, swaps it in, and reports. The shared part lives here:
 * comparing what the files hold with what was last used or last refused, and reporting a
 * refusal once per file content rather than at every tick.
 *
 * <p>The files are fingerprinted before and after the new material is read: material read
 * while a writer was still at work (a bundle appended to one certificate at a time, say) is
 * not used, and the next tick tries again.
 *
 * <p>Not thread-safe: the {@link Reloader} calls one unit at a time.
 *
 * @param <T> the checked material, between reading and swapping
 */
abstract class ReloadUnit<T> {
  private final String material;
  private final List<Path> files;
  private final MtlsListener listener;
  private FileDigest inUse;
  private @Nullable FileDigest refused;
  /** The latest fingerprint, whose hashes of files that did not change the next one reuses. */
  private FileDigest last;

  /**
   * Creates the unit.
   *
   * @param inUse the fingerprint of the files taken before the material in use was loaded
   */
  ReloadUnit(String material, List<Path> files, FileDigest inUse, MtlsListener listener) {
    this.material = material;
    this.files = List.copyOf(files);
    this.listener = listener;
    this.inUse = inUse;
    this.last = inUse;
  }

  final String material() {
    return material;
  }

  final List<Path> files() {
    return files;
  }

  final MtlsListener listener() {
    return listener;
  }

  /**
   * Reloads when the files hold something other than the material in use.
   *
   * @return what happened
   */
  final ReloadResult.Outcome reloadIfChanged() {
    FileDigest now = FileDigest.of(files, last);
    last = now;
    if (now.equals(inUse)) {
      refused = null;
      return new ReloadResult.Outcome(material, ReloadResult.Status.UNCHANGED, "files unchanged");
    }
    try {
      T next = read();
      last = FileDigest.of(files, now);
      if (!last.equals(now)) {
        return new ReloadResult.Outcome(material, ReloadResult.Status.UNCHANGED,
            "files changed while being read; trying again at the next tick");
      }
      String what = swap(next);
      inUse = now;
      refused = null;
      return new ReloadResult.Outcome(material, ReloadResult.Status.RELOADED, what);
    } catch (MtlsException e) {
      // A half-written file, or one half of a key pair rotated before the other: the next
      // tick tries again. The same refused content is reported once.
      if (!now.equals(refused)) {
        refused = now;
        if (reportsOwnFailures()) {
          return new ReloadResult.Outcome(material, ReloadResult.Status.FAILED, e.getMessage());
        }
        Path file = e instanceof MtlsLoadException load ? load.file() : null;
        listener.reloadFailed(new MtlsListener.ReloadFailed(material, file, e.getMessage(), e));
      }
      return new ReloadResult.Outcome(material, ReloadResult.Status.FAILED, e.getMessage());
    }
  }

  /**
   * Whether {@link #reload()} reports its failures itself, so this class must not again.
   *
   * @return {@code false} unless overridden
   */
  boolean reportsOwnFailures() {
    return false;
  }

  /**
   * Reads and checks the new material from the files, changing nothing.
   *
   * @return the checked material
   * @throws MtlsException when the new material is refused
   */
  abstract T read();

  /**
   * Puts checked material in use and reports the change.
   *
   * @param next what {@link #read()} returned
   * @return a short description of the change
   */
  abstract String swap(T next);
}
