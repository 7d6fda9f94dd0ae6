package dev.mtls.core.internal.reload;

import dev.mtls.core.internal.crl.CrlRevocationChecker;
import dev.mtls.core.internal.crl.RevocationChecker;
import dev.mtls.core.internal.material.IdentityMaterial;
import dev.mtls.core.internal.material.MaterialLoader;
import dev.mtls.core.internal.material.TrustMaterial;
import dev.mtls.core.internal.tls.IdentityHolder;
import dev.mtls.core.internal.validation.TrustHolder;

import dev.mtls.core.ContextChange;
import dev.mtls.core.MtlsListener;
import dev.mtls.core.ReloadResult;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
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
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a context's material in step with its files: polls every interval and, where the
 * platform delivers them, reacts to file-system events within a fraction of a second. One
 * reload runs at a time (handshakes never wait for it: they read the holders' snapshots).
 * Also reports certificates nearing expiry, daily, and tells the context when its identity
 * or trust anchors changed, so that it renews its sessions.
 *
 * <p>Its threads are daemons named {@code mtls-reload-N} and {@code mtls-watch-N}, stopped by
 * {@link #close()}.
 */
public final class Reloader implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Reloader.class);
  private static final AtomicInteger IDS = new AtomicInteger();
  /** Lets a writer finish a burst of writes before the files are read. */
  private static final long SETTLE_MILLIS = 100;
  private static final Duration REPEAT_WARNING = Duration.ofDays(1);

  private final List<ReloadUnit<?>> units;
  private final Supplier<List<X509Certificate>> ownCertificates;
  private final Supplier<List<X509Certificate>> anchors;
  private final Consumer<List<ContextChange>> afterChange;
  private final Clock clock;
  private final Duration expiryWarning;
  private final MtlsListener listener;
  private final Map<String, Instant> warned = new HashMap<>();
  private final AtomicBoolean eventPending = new AtomicBoolean();
  private @Nullable ScheduledExecutorService executor;
  private @Nullable WatchService watchService;
  private @Nullable Thread watcher;

  private Reloader(Builder builder) {
    this.units = List.copyOf(builder.units);
    this.ownCertificates = builder.ownCertificates;
    this.anchors = builder.anchors;
    this.afterChange = builder.afterChange;
    this.clock = builder.clock;
    this.expiryWarning = builder.expiryWarning;
    this.listener = builder.listener;
  }

  /**
   * Starts building a reloader.
   *
   * @param clock the context's clock
   * @param listener where events go
   * @return a builder
   */
  public static Builder builder(Clock clock, MtlsListener listener) {
    return new Builder(clock, listener);
  }

  /**
   * Reloads whatever changed, now, on the caller's thread.
   *
   * @return what happened to each material
   */
  public synchronized ReloadResult reloadNow() {
    List<ReloadResult.Outcome> outcomes = new ArrayList<>(units.size());
    List<ContextChange> changes = new ArrayList<>(2);
    for (ReloadUnit<?> unit : units) {
      ReloadResult.Outcome outcome = unit.reloadIfChanged();
      outcomes.add(outcome);
      if (outcome.status() == ReloadResult.Status.RELOADED) {
        // Revocation changes, from here or from the CRL refresh thread, reach the context
        // through the checker's own change callback.
        if (unit instanceof TrustReloadUnit) {
          changes.add(ContextChange.TRUST);
        } else if (unit instanceof IdentityReloadUnit) {
          changes.add(ContextChange.IDENTITY);
        }
      }
    }
    if (!changes.isEmpty()) {
      afterChange.accept(List.copyOf(changes));
    }
    warnIfExpiring();
    return new ReloadResult(outcomes);
  }

  /**
   * Starts polling, and watching for file events when asked and possible.
   *
   * @param interval the polling interval
   * @param fileEvents whether to watch for file-system events too
   */
  public synchronized void start(Duration interval, boolean fileEvents) {
    int id = IDS.incrementAndGet();
    ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread thread = new Thread(runnable, "mtls-reload-" + id);
      thread.setDaemon(true);
      return thread;
    });
    scheduler.setRemoveOnCancelPolicy(true);
    executor = scheduler;
    long millis = interval.toMillis();
    scheduler.scheduleWithFixedDelay(this::tick, millis, millis, TimeUnit.MILLISECONDS);
    if (fileEvents) {
      startWatching(id);
    }
  }

  private void tick() {
    try {
      reloadNow();
    } catch (RuntimeException e) {
      // A bug must not end reloading for good.
      log.error("unexpected failure while reloading TLS material", e);
    }
  }

  private void startWatching(int id) {
    Set<Path> directories = new LinkedHashSet<>();
    for (ReloadUnit<?> unit : units) {
      for (Path file : unit.files()) {
        Path absolute = file.toAbsolutePath();
        if (java.nio.file.Files.isDirectory(absolute)) {
          directories.add(absolute);
        }
        if (absolute.getParent() != null) {
          directories.add(absolute.getParent());
        }
      }
    }
    try {
      WatchService service = FileSystems.getDefault().newWatchService();
      for (Path directory : directories) {
        directory.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
            StandardWatchEventKinds.ENTRY_DELETE);
      }
      watchService = service;
      Thread thread = new Thread(() -> watch(service), "mtls-watch-" + id);
      thread.setDaemon(true);
      thread.start();
      watcher = thread;
    } catch (IOException | UnsupportedOperationException e) {
      log.info("file events unavailable for {} ({}); polling only", directories, e.toString());
    }
  }

  private void watch(WatchService service) {
    try {
      while (true) {
        WatchKey key = service.take();
        key.pollEvents();
        key.reset();
        ScheduledExecutorService scheduler = executor;
        // Coalesce a burst of events into one reload once the writer has settled.
        if (scheduler != null && eventPending.compareAndSet(false, true)) {
          scheduler.schedule(() -> {
            eventPending.set(false);
            tick();
          }, SETTLE_MILLIS, TimeUnit.MILLISECONDS);
        }
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closed
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closing
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

  /** Stops polling and watching. Idempotent. */
  @Override
  public synchronized void close() {
    if (executor != null) {
      executor.shutdownNow();
      executor = null;
    }
    if (watchService != null) {
      try {
        watchService.close();
      } catch (IOException e) {
        log.debug("closing the file watcher failed", e);
      }
      watchService = null;
    }
    if (watcher != null) {
      watcher.interrupt();
      watcher = null;
    }
  }

  /** Collects what a reloader looks after. */
  public static final class Builder {
    private final Clock clock;
    private final MtlsListener listener;
    private final List<ReloadUnit<?>> units = new ArrayList<>();
    private Supplier<List<X509Certificate>> ownCertificates = List::of;
    private Supplier<List<X509Certificate>> anchors = List::of;
    private Consumer<List<ContextChange>> afterChange = changes -> {};
    private Duration expiryWarning = Duration.ofDays(30);

    private Builder(Clock clock, MtlsListener listener) {
      this.clock = clock;
      this.listener = listener;
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
