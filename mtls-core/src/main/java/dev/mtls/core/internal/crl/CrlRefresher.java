package dev.mtls.core.internal.crl;

import dev.mtls.core.MtlsListener;
import dev.mtls.core.MtlsListener.CrlRefreshFailed;
import dev.mtls.core.MtlsListener.CrlRefreshed;
import dev.mtls.core.MtlsLoadException;
import dev.mtls.core.internal.Lane;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the CRL sources and keeps them current in the context's {@link Lane}: each source is
 * fetched again every refresh interval and right after its CRL's nextUpdate; a failed fetch
 * keeps the last good CRLs, is reported, and is retried after {@link
 * CrlSettings#retryDelay()}. Every successful fetch replaces the source's CRLs whole (one
 * volatile write) and calls {@code onChange}; it is reported as {@link CrlRefreshed}, saying
 * whether it brought a CRL not held before.
 *
 * <p>File sources can also be re-read at once when their files change ({@link
 * #refreshFiles()}, from the reloader); that never fetches a URL, which keeps its own schedule.
 * A source is refreshed by one thread at a time.
 */
final class CrlRefresher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger("dev.mtls");
  private static final Duration MIN_DELAY = Duration.ofMillis(100);

  private final List<SourceState> sources;
  private final CrlSettings settings;
  private final Clock clock;
  private final MtlsListener listener;
  private final Runnable onChange;
  private final Lane lane;
  private final boolean ownsLane;
  private volatile boolean closed;

  /**
   * Creates the refresher (not started).
   *
   * @param lane where the refreshes run
   * @param ownsLane whether {@link #close()} closes the lane too
   */
  CrlRefresher(List<CrlSource> sources, CrlSettings settings, Clock clock, MtlsListener listener,
      Runnable onChange, Lane lane, boolean ownsLane) {
    List<SourceState> states = new ArrayList<>();
    for (CrlSource source : sources) {
      states.add(new SourceState(Objects.requireNonNull(source, "source")));
    }
    this.sources = List.copyOf(states);
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.onChange = Objects.requireNonNull(onChange, "onChange");
    this.lane = Objects.requireNonNull(lane, "lane");
    this.ownsLane = ownsLane;
  }

  /**
   * Loads every source on the calling thread, then starts refreshing.
   *
   * @throws MtlsLoadException naming the first source that cannot be read or parsed (the
   *     sources are closed then)
   */
  void start() {
    for (SourceState state : sources) {
      try {
        state.crls = fetch(state.source);
      } catch (CrlException e) {
        close();
        String problem = state.source.file() == null
            ? state.source.describe() + ": " + e.getMessage()
            : e.getMessage();
        throw new MtlsLoadException("CRL", state.source.file(), problem, e.getCause());
      }
    }
    for (SourceState state : sources) {
      synchronized (state) {
        reportLoaded(state, state.crls, List.of());
        schedule(state, delayAfterSuccess(state.crls));
      }
    }
  }

  /**
   * The CRLs of all sources as they are now.
   *
   * @return every current CRL
   */
  List<IndexedCrl> current() {
    List<IndexedCrl> all = new ArrayList<>();
    for (SourceState state : sources) {
      all.addAll(state.crls);
    }
    return all;
  }

  /**
   * Fetches every source now, files and URLs, on the calling thread.
   *
   * @return the problems of the sources that failed (each already reported to the
   *     listener); empty when all succeeded
   */
  List<String> refreshNow() {
    List<String> problems = new ArrayList<>();
    for (SourceState state : sources) {
      for (CrlRefreshFailed failure : refresh(state, true)) {
        problems.add(failure.problem());
      }
    }
    return problems;
  }

  /**
   * Re-reads the file sources now, on the calling thread, and reports nothing that failed:
   * the caller does, once per file content. URLs are not fetched.
   *
   * @return what failed, one event per problem; empty when every file was read
   */
  List<CrlRefreshFailed> refreshFiles() {
    List<CrlRefreshFailed> failures = new ArrayList<>();
    for (SourceState state : sources) {
      if (state.source.file() != null) {
        failures.addAll(refresh(state, false));
      }
    }
    return failures;
  }

  private List<CrlRefreshFailed> refresh(SourceState state, boolean report) {
    synchronized (state) {
      if (closed) {
        return List.of();
      }
      state.next.cancel();
      List<CrlRefreshFailed> failures = new ArrayList<>();
      Duration delay;
      try {
        List<IndexedCrl> held = state.crls;
        List<IndexedCrl> fetched = fetch(state.source);
        List<String> older = new ArrayList<>();
        state.crls = keepNewer(held, fetched, older);
        onChange.run();
        reportLoaded(state, fetched, held);
        delay = delayAfterSuccess(state.crls);
        if (!older.isEmpty()) {
          failures.add(new CrlRefreshFailed(state.source.describe(), String.join("; ", older), null));
        }
      } catch (CrlException e) {
        if (closed || Thread.currentThread().isInterrupted()) {
          return List.of(); // interrupted by the context's close(): nothing to report
        }
        failures.add(new CrlRefreshFailed(state.source.describe(), e.getMessage() + "; keeping the"
            + " CRL loaded before", e.getCause()));
        delay = settings.retryDelay();
      } catch (Throwable t) {
        // A bug, or an Error (a parser's StackOverflowError on a hostile CRL, say), must not end
        // refreshing for good: reported, and tried again later like a failed fetch.
        log.error("unexpected failure refreshing CRL from {}", state.source.describe(), t);
        failures.add(new CrlRefreshFailed(state.source.describe(), "unexpected failure: " + t
            + "; keeping the CRL loaded before", t));
        delay = settings.retryDelay();
      }
      if (report) {
        failures.forEach(this::notifyFailed);
      }
      schedule(state, delay);
      return failures;
    }
  }

  /**
   * The fetched CRLs, plus each CRL held before whose replacement for the same issuer is
   * older (a lower CRL number, or an earlier thisUpdate): a replayed or restored old CRL must
   * not bring revoked serials back. Both stay indexed, and the lookup uses the newest one
   * whose signature verifies, so a forged CRL with a high number cannot hold back genuine
   * updates either.
   */
  private static List<IndexedCrl> keepNewer(List<IndexedCrl> held, List<IndexedCrl> fetched, List<String> older) {
    List<IndexedCrl> result = new ArrayList<>(fetched);
    for (IndexedCrl before : held) {
      for (IndexedCrl after : fetched) {
        if (after.issuer().equals(before.issuer())
            && CrlRevocationChecker.NEWEST_FIRST.compare(after, before) > 0) {
          result.add(before);
          older.add("the CRL fetched from " + after.source() + " for " + after.issuer().getName()
              + " (number " + after.crlNumber() + ", thisUpdate " + after.thisUpdate()
              + ") is older than the one in use (number " + before.crlNumber() + ", thisUpdate "
              + before.thisUpdate() + "); keeping the newer one");
          break;
        }
      }
    }
    return List.copyOf(result);
  }

  private List<IndexedCrl> fetch(CrlSource source) throws CrlException {
    byte[] bytes;
    try {
      bytes = source.read();
    } catch (IOException e) {
      throw new CrlException("cannot read: " + e.getMessage(), e);
    }
    return CrlParser.parse(bytes, source.describe(), clock.instant(),
        settings.validityWithoutNextUpdate());
  }

  private Duration delayAfterSuccess(List<IndexedCrl> crls) {
    Instant now = clock.instant();
    Duration delay = settings.refreshInterval();
    for (IndexedCrl crl : crls) {
      Instant nextUpdate = crl.nextUpdate();
      if (nextUpdate == null) {
        continue;
      }
      // a source still serving a CRL past its nextUpdate is asked again like a failed one
      Duration untilNext = nextUpdate.isAfter(now)
          ? Duration.between(now, nextUpdate) : settings.retryDelay();
      if (untilNext.compareTo(delay) < 0) {
        delay = untilNext;
      }
    }
    return delay.compareTo(MIN_DELAY) < 0 ? MIN_DELAY : delay;
  }

  private void schedule(SourceState state, Duration delay) {
    state.next = lane.schedule(() -> refresh(state, true), delay);
  }

  /** Reports the CRLs just fetched, saying which were not held before, and any that is stale. */
  private void reportLoaded(SourceState state, List<IndexedCrl> fetched, List<IndexedCrl> held) {
    Instant now = clock.instant();
    for (IndexedCrl crl : fetched) {
      boolean changed = held.stream().noneMatch(before -> sameCrl(before, crl));
      notifyRefreshed(new CrlRefreshed(crl.source(), crl.issuer().getName(), crl.crlNumber(),
          crl.size(), crl.thisUpdate(), crl.nextUpdate(), changed));
      if (now.isAfter(crl.staleAt())) {
        notifyFailed(new CrlRefreshFailed(crl.source(), "the source serves a stale CRL for "
            + crl.issuer().getName() + ": nextUpdate was " + crl.nextUpdate(), null));
      }
    }
  }

  /** Whether two CRLs are the same one, fetched twice. */
  private static boolean sameCrl(IndexedCrl a, IndexedCrl b) {
    return a.issuer().equals(b.issuer()) && Objects.equals(a.crlNumber(), b.crlNumber())
        && a.thisUpdate().equals(b.thisUpdate()) && Objects.equals(a.nextUpdate(), b.nextUpdate())
        && a.size() == b.size() && a.sameSignature(b);
  }

  private void notifyRefreshed(CrlRefreshed event) {
    try {
      listener.crlRefreshed(event);
    } catch (Throwable t) {
      log.warn("MtlsListener.crlRefreshed threw", t);
    }
  }

  void notifyFailed(CrlRefreshFailed event) {
    try {
      listener.crlRefreshFailed(event);
    } catch (Throwable t) {
      log.warn("MtlsListener.crlRefreshFailed threw", t);
    }
  }

  /**
   * Stops refreshing and closes the sources (a URL source's HTTP client and its threads).
   * When this refresher owns its lane, a fetch in progress is interrupted and waited for (at
   * most the fetch timeout and a second); otherwise the lane's owner does that. Idempotent.
   */
  @Override
  public void close() {
    closed = true;
    for (SourceState state : sources) {
      state.next.cancel();
    }
    if (ownsLane) {
      lane.close();
    }
    for (SourceState state : sources) {
      try {
        state.source.close();
      } catch (RuntimeException e) {
        log.debug("closing CRL source {} failed", state.source.describe(), e);
      }
    }
  }

  /** One source and its last good CRLs. */
  private static final class SourceState {
    final CrlSource source;
    volatile List<IndexedCrl> crls = List.of();
    // written holding this
    volatile Lane.Timer next = () -> {};

    SourceState(CrlSource source) {
      this.source = source;
    }
  }
}
