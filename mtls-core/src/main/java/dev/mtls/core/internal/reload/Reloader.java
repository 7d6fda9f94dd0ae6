package dev.mtls.core.internal.reload;

import dev.mtls.core.ContextChange;
import dev.mtls.core.ContextStatus;
import dev.mtls.core.MtlsListener;
import dev.mtls.core.ReloadResult;
import dev.mtls.core.internal.Lane;
import dev.mtls.core.internal.crl.CrlRevocationChecker;
import dev.mtls.core.internal.crl.RevocationChecker;
import dev.mtls.core.internal.material.IdentityMaterial;
import dev.mtls.core.internal.material.MaterialLoader;
import dev.mtls.core.internal.material.TrustMaterial;
import dev.mtls.core.internal.tls.IdentityHolder;
import dev.mtls.core.internal.validation.TrustHolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a context's material in step with its files: polls every interval and, where the
 * platform delivers them, reacts to file-system events within a fraction of a second. Also
 * reports certificates nearing expiry, daily, and tells the context when its identity or
 * trust anchors changed, so that it renews its sessions.
 *
 * <p>It runs in the context's {@link Lane}, on the threads every context of the JVM shares
 * (daemons named {@code mtls-background-N}, and {@code mtls-watch} for file events), so its
 * reloads never run at the same time as each other or as the context's CRL refreshes; an
 * operator's {@link #reloadNow()} waits for a reload in progress. Handshakes never wait: they
 * read the holders' snapshots. The reloader owns the lane: {@link #close()} ends all of the
 * context's background work.
 */
public final class Reloader implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Reloader.class);
  /** Lets a writer finish a burst of writes before the files are read. */
  private static final Duration SETTLE = Duration.ofMillis(100);
  private static final Duration REPEAT_WARNING = Duration.ofDays(1);

  private final List<ReloadUnit<?>> units;
  private final Supplier<List<X509Certificate>> ownCertificates;
  private final Supplier<List<X509Certificate>> anchors;
  private final Consumer<List<ContextChange>> afterChange;
  private final Clock clock;
  private final Duration expiryWarning;
  private final MtlsListener listener;
  private final Lane lane;
  private final Map<String, Instant> warned = new HashMap<>();
  /** Per material reloaded from files: when it was last put in use, and whether reloading it fails. */
  private volatile List<ContextStatus.Reload> reloads;
  private final AtomicBoolean eventPending = new AtomicBoolean();

  private Reloader(Builder builder) {
    this.units = List.copyOf(builder.units);
    this.ownCertificates = builder.ownCertificates;
    this.anchors = builder.anchors;
    this.afterChange = builder.afterChange;
    this.clock = builder.clock;
    this.expiryWarning = builder.expiryWarning;
    this.listener = builder.listener;
    this.lane = builder.lane;
    Instant loaded = clock.instant();
    this.reloads = units.stream().map(unit -> new ContextStatus.Reload(unit.material(), loaded, null)).toList();
  }

  /**
   * Starts building a reloader.
   *
   * @param clock the context's clock
   * @param listener where events go
   * @param lane the context's lane, which the reloader then owns (and closes)
   * @return a builder
   */
  public static Builder builder(Clock clock, MtlsListener listener, Lane lane) {
    return new Builder(clock, listener, lane);
  }

  /**
   * Reloads whatever changed, now, on the caller's thread.
   *
   * @return what happened to each material
   */
  public synchronized ReloadResult reloadNow() {
    List<ReloadResult.Outcome> outcomes = new ArrayList<>(units.size());
    List<ContextChange> changes = new ArrayList<>(2);
    List<ContextStatus.Reload> states = new ArrayList<>(units.size());
    for (int i = 0; i < units.size(); i++) {
      ReloadUnit<?> unit = units.get(i);
      ReloadResult.Outcome outcome = unit.reloadIfChanged();
      outcomes.add(outcome);
      states.add(nextState(reloads.get(i), unit, outcome));
      if (outcome.status() == ReloadResult.Status.RELOADED) {
        // Revocation changes, from here or from a background CRL refresh, reach the context
        // through the checker's own change callback.
        if (unit instanceof TrustReloadUnit) {
          changes.add(ContextChange.TRUST);
        } else if (unit instanceof IdentityReloadUnit) {
          changes.add(ContextChange.IDENTITY);
        }
      }
    }
    reloads = List.copyOf(states);
    if (!changes.isEmpty()) {
      afterChange.accept(List.copyOf(changes));
    }
    warnIfExpiring();
    return new ReloadResult(outcomes);
  }

  private ContextStatus.Reload nextState(ContextStatus.Reload last, ReloadUnit<?> unit, ReloadResult.Outcome outcome) {
    Instant lastSuccess = outcome.status() == ReloadResult.Status.RELOADED ? clock.instant() : last.lastSuccess();
    if (!unit.failing()) {
      return new ContextStatus.Reload(unit.material(), lastSuccess, null);
    }
    // A run of failures (the same content, or new bad content) is failing since its first.
    ContextStatus.Failure previous = last.failure();
    String problem = outcome.status() == ReloadResult.Status.FAILED || previous == null
        ? outcome.detail()
        : previous.problem();
    Instant since = previous != null ? previous.since() : clock.instant();
    return new ContextStatus.Reload(unit.material(), lastSuccess, new ContextStatus.Failure(problem, since));
  }

  /**
   * For every material reloaded from files, in reload order: when it was last put in use
   * (loaded at start, or reloaded), and the failure of the content on disk now, if it was
   * refused. Safe to call from any thread.
   *
   * @return one entry per material
   */
  public List<ContextStatus.Reload> reloads() {
    return reloads;
  }

  /**
   * Starts polling, and watching for file events when asked and possible.
   *
   * @param interval the polling interval
   * @param fileEvents whether to watch for file-system events too
   */
  public void start(Duration interval, boolean fileEvents) {
    lane.every(interval, this::tick);
    if (fileEvents) {
      startWatching();
    }
  }

  private void tick() {
    try {
      reloadNow();
    } catch (Throwable t) {
      // Whatever it was (a bug, a listener's Error, even an OutOfMemoryError that may pass),
      // the next poll tries again: a reloader that stops for good is worse.
      try {
        log.error("unexpected failure while reloading TLS material; the next poll tries again", t);
      } catch (Throwable ignored) {
        // nothing left to tell
      }
    }
  }

  private void startWatching() {
    Set<Path> directories = new LinkedHashSet<>();
    for (ReloadUnit<?> unit : units) {
      for (Path file : unit.files()) {
        Path absolute = file.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
          directories.add(absolute);
        }
        if (absolute.getParent() != null) {
          directories.add(absolute.getParent());
        }
      }
    }
    if (directories.isEmpty()) {
      return;
    }
    try {
      lane.watch(directories, this::fileEvent);
    } catch (IOException | UnsupportedOperationException e) {
      log.info("file events unavailable for {} ({}); polling only", directories, e.toString());
    }
  }

  /** On the watcher thread: coalesces a burst of events into one reload once the writer has settled. */
  private void fileEvent() {
    if (eventPending.compareAndSet(false, true)) {
      lane.schedule(() -> {
        eventPending.set(false);
        tick();
      }, SETTLE);
    }
  }

  /**
   * Reports certificates of this context that expire within the warning period: each at
   * most once a day, until it is rotated.
   */
  public synchronized void warnIfExpiring() {
    Instant now = clock.instant();
    List<X509Certificate> identity = ownCertificates.get();
    if (!identity.isEmpty()) {
      warnIfExpiring(identity.get(0), "identity", now);
    }
    for (X509Certificate anchor : anchors.get()) {
      warnIfExpiring(anchor, "trust anchor", now);
    }
  }

  private void warnIfExpiring(X509Certificate certificate, String role, Instant now) {
    Instant notAfter = certificate.getNotAfter().toInstant();
    if (now.plus(expiryWarning).isBefore(notAfter)) {
      return;
    }
    String key = role + "/" + certificate.getIssuerX500Principal() + "/" + certificate.getSerialNumber();
    Instant last = warned.get(key);
    if (last == null || !now.isBefore(last.plus(REPEAT_WARNING))) {
      warned.put(key, now);
      listener.certificateExpiring(new MtlsListener.CertificateExpiring(role,
          certificate.getSubjectX500Principal().getName(), certificate.getSerialNumber(), notAfter));
    }
  }

  /**
   * Stops polling and watching, and the context's CRL refreshes with them (its lane): a
   * reload in progress is interrupted and waited for. Idempotent.
   */
  @Override
  public void close() {
    lane.close();
  }

  /** Collects what a reloader looks after. */
  public static final class Builder {
    private final Clock clock;
    private final MtlsListener listener;
    private final Lane lane;
    private final List<ReloadUnit<?>> units = new ArrayList<>();
    private Supplier<List<X509Certificate>> ownCertificates = List::of;
    private Supplier<List<X509Certificate>> anchors = List::of;
    private Consumer<List<ContextChange>> afterChange = changes -> {};
    private Duration expiryWarning = Duration.ofDays(30);

    private Builder(Clock clock, MtlsListener listener, Lane lane) {
      this.clock = clock;
      this.listener = listener;
      this.lane = lane;
    }

    /**
     * Reloads the identity from its files (when the loader has files).
     *
     * @param loader reads the identity
     * @param holder where the identity in use is
     * @param mustLeadTo anchors the new identity must lead to, or {@code null}
     * @param skew clock skew for the validity check
     * @param refuseSubjectChange whether the subject must stay the same
     * @param loadedFrom the loader's files, fingerprinted before the identity in use was loaded
     * @return this builder
     */
    public Builder identity(MaterialLoader<IdentityMaterial> loader, IdentityHolder holder,
        @Nullable TrustHolder mustLeadTo, Duration skew, boolean refuseSubjectChange, FileDigest loadedFrom) {
      ownCertificates = () -> holder.current().chain();
      if (!loader.files().isEmpty()) {
        units.add(new IdentityReloadUnit(loader, holder, mustLeadTo, loadedFrom, clock, skew, refuseSubjectChange,
            listener));
      }
      return this;
    }

    /**
     * Reloads the trust anchors from their files (when the loader has files).
     *
     * @param loader reads the anchors
     * @param holder where the anchors in use are
     * @param loadedFrom the loader's files, fingerprinted before the anchors in use were loaded
     * @return this builder
     */
    public Builder trust(MaterialLoader<TrustMaterial> loader, TrustHolder holder, FileDigest loadedFrom) {
      anchors = holder::anchors;
      if (!loader.files().isEmpty()) {
        units.add(new TrustReloadUnit(loader, holder, loadedFrom, listener));
      }
      return this;
    }

    /**
     * Refreshes CRL files as soon as they change.
     *
     * @param checker the context's revocation checker
     * @param files the CRL files to watch
     * @param loadedFrom those files, fingerprinted before the checker loaded them
     * @return this builder
     */
    public Builder revocation(RevocationChecker checker, List<Path> files, FileDigest loadedFrom) {
      if (checker instanceof CrlRevocationChecker crls && !files.isEmpty()) {
        units.add(new CrlReloadUnit(files, loadedFrom, crls, listener));
      }
      return this;
    }

    /**
     * What to run after the identity or the trust anchors changed (once per reload, with
     * what changed, trust first).
     *
     * @param afterChange renews the context's sessions and tells its subscribers; must not throw
     * @return this builder
     */
    public Builder afterChange(Consumer<List<ContextChange>> afterChange) {
      this.afterChange = afterChange;
      return this;
    }

    /**
     * How long before notAfter to warn.
     *
     * @param warning the period
     * @return this builder
     */
    public Builder expiryWarning(Duration warning) {
      this.expiryWarning = warning;
      return this;
    }

    /**
     * Builds the reloader (not started).
     *
     * @return the reloader
     */
    public Reloader build() {
      return new Reloader(this);
    }
  }
}
