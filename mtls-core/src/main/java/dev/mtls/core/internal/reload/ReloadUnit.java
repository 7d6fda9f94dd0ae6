package dev.mtls.core.internal.reload;

import dev.mtls.core.Material;
import dev.mtls.core.MtlsException;
import dev.mtls.core.MtlsListener;
import dev.mtls.core.MtlsLoadException;
import dev.mtls.core.ReloadResult;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One kind of material a context reloads from its files: notices that the files changed,
 * loads and checks the new material, swaps it in, and reports. The shared part lives here:
 * comparing what the files hold with what was last used or last refused, reading them
 * consistently, and reporting a refusal once per file content rather than at every tick.
 *
 * <p>Consistent reads: the files are fingerprinted before and after the new material is read,
 * and material counts only when nothing changed in between. A certificate and its key are two
 * reads, and a Kubernetes {@code ..data} swap (or a bundle appended one certificate at a time)
 * can land between them: what was read then mixes two versions, and is neither used nor
 * refused. The files are read again, up to {@value #MAX_READS} times, and when they are still
 * changing, the next tick tries again. So a refusal ("private key does not match", say) is
 * only ever reported for content that stayed the same while it was read.
 *
 * <p>Not thread-safe: the {@link Reloader} calls one unit at a time.
 *
 * @param <T> the checked material, between reading and swapping
 */
abstract class ReloadUnit<T> {
  /** How often one tick reads files that change while they are read, before it gives up. */
  static final int MAX_READS = 3;

  private static final Logger log = LoggerFactory.getLogger(ReloadUnit.class);

  private final Material material;
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
  ReloadUnit(Material material, List<Path> files, FileDigest inUse, MtlsListener listener) {
    this.material = material;
    this.files = List.copyOf(files);
    this.listener = listener;
    this.inUse = inUse;
    this.last = inUse;
  }

  final Material material() {
    return material;
  }

  final List<Path> files() {
    return files;
  }

  final MtlsListener listener() {
    return listener;
  }

  /**
   * Whether the files hold content this unit refused (the material in use stays): the last
   * reload of this material failed, and nothing since put it right.
   */
  final boolean failing() {
    return refused != null;
  }

  /**
   * Reloads when the files hold something other than the material in use.
   *
   * @return what happened
   */
  final ReloadResult.Outcome reloadIfChanged() {
    for (int reads = 1; ; reads++) {
      FileDigest before = FileDigest.of(files, last);
      last = before;
      if (before.equals(inUse)) {
        refused = null;
        return outcome(ReloadResult.Status.UNCHANGED, "files unchanged");
      }
      T next = null;
      MtlsException failure = null;
      try {
        next = read();
      } catch (MtlsException e) {
        failure = e;
      }
      if (Thread.currentThread().isInterrupted()) {
        // The context is closing: what an interrupted read saw says nothing about the files.
        return outcome(ReloadResult.Status.UNCHANGED, "interrupted");
      }
      last = FileDigest.of(files, before);
      if (!last.equals(before)) {
        // What was read may mix two versions of the files: neither use it nor refuse it.
        if (reads < MAX_READS) {
          continue;
        }
        return outcome(ReloadResult.Status.UNCHANGED,
            "files kept changing while being read; trying again at the next tick");
      }
      if (failure != null) {
        return refuse(before, failure);
      }
      Swapped swapped = swap(next);
      inUse = before;
      refused = null;
      if (swapped.event() != null) {
        report(() -> listener.reloaded(swapped.event()));
      }
      return outcome(ReloadResult.Status.RELOADED, swapped.detail());
    }
  }

  private ReloadResult.Outcome refuse(FileDigest content, MtlsException failure) {
    // A half-written file, or one half of a key pair rotated before the other: the next tick
    // tries again. The same refused content is reported once.
    if (!content.equals(refused)) {
      refused = content;
      report(() -> reportFailure(failure));
    }
    return outcome(ReloadResult.Status.FAILED, failure.getMessage());
  }

  private ReloadResult.Outcome outcome(ReloadResult.Status status, String detail) {
    return new ReloadResult.Outcome(material, status, detail);
  }

  /**
   * Tells the listener; whatever it throws, even an {@link Error}, is logged, and the reload
   * (already done) stands and goes on to the next material.
   */
  private void report(Runnable notification) {
    try {
      notification.run();
    } catch (Throwable t) {
      log.error("MtlsListener failed on a {} reload event", material, t);
    }
  }

  /**
   * Reports a refusal of new content (once per content).
   *
   * @param failure why the content was refused
   */
  void reportFailure(MtlsException failure) {
    Path file = failure instanceof MtlsLoadException load ? load.file() : null;
    listener.reloadFailed(new MtlsListener.ReloadFailed(material, file, failure.getMessage(), failure));
  }

  /**
   * Reads and checks the new material from the files, changing nothing.
   *
   * @return the checked material
   * @throws MtlsException when the new material is refused
   */
  abstract T read();

  /**
   * Puts checked material in use.
   *
   * @param next what {@link #read()} returned
   * @return a short description of the change, and the event to report it with
   */
  abstract Swapped swap(T next);

  /**
   * What a swap did.
   *
   * @param detail a short description, for the {@link ReloadResult}
   * @param event what to tell the listener, or {@code null} when the unit reports otherwise
   */
  record Swapped(String detail, MtlsListener.@Nullable Reloaded event) {}
}
