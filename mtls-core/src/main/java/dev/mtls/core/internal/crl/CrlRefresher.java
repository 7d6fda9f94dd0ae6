package dev.mtls.core.internal.crl;

import dev.mtls.core.MtlsListener;
import dev.mtls.core.MtlsListener.CrlRefreshFailed;
import dev.mtls.core.MtlsListener.CrlRefreshed;
import dev.mtls.core.MtlsLoadException;
import dev.mtls.core.internal.Lane;
import dev.mtls.core.internal.SafeText;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;
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
 * <p>A fetched CRL is checked on the loading thread ({@link CrlAcceptance}), before anything uses it: read
 * within {@link CrlSettings#maxBytes()}, parsed and indexed, its signature verified with the
 * keys of the issuer certificates the context knows ({@link KnownIssuers}, and the keys that
 * verified the CRLs held for that issuer), and its dates judged. Refused, as a load error at
 * start and as a refresh failure that keeps the CRLs in use later: a CRL that does not verify
 * with its issuer's trust anchor, a stale one (past nextUpdate, beyond any soft-fail
 * allowance), and one not yet valid (thisUpdate beyond the clock skew). A CRL whose issuer
 * certificate the context does not know is taken and reported: its signature is verified
 * against each peer's path, and it never displaces a verified CRL of its issuer, which stays
 * in use beside it. Neither does a source's new content that lacks the issuer of a verified
 * CRL it served before: that CRL stays, until it goes stale.
 *
 * <p>A CRL that parsed but cannot be used ({@link IndexedCrl#unusable()}: an unknown critical
 * extension, a signature algorithm refused by policy) fails no load: it is taken (answering for
 * nothing, so that the certificates it would cover are {@code UNKNOWN} with its reason), never
 * displaces a usable CRL of its issuer, and is reported as a failure naming the source, at start
 * and at each reload. A CRL signed with an accepted algorithm is still verified first: one that
 * does not verify with its issuer's trust anchor fails the load as before.
 *
 * <p>File sources can also be re-read at once when their files change ({@link
 * #refreshFiles()}, from the reloader); that never fetches a URL, which keeps its own schedule.
 * A source is refreshed by one thread at a time. A file's failure is reported once per content
 * and problem, whether the refresh schedule or the reloader found it; a URL's at each fetch.
 */
final class CrlRefresher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger("dev.mtls");
  private static final Duration MIN_DELAY = Duration.ofMillis(100);

  private final List<SourceState> sources;
  private final CrlSettings settings;
  private final CrlAcceptance acceptance;
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
  CrlRefresher(List<CrlSource> sources, CrlSettings settings, KnownIssuers known, Clock clock,
      MtlsListener listener, Runnable onChange, Lane lane, boolean ownsLane) {
    List<SourceState> states = new ArrayList<>();
    for (CrlSource source : sources) {
      states.add(new SourceState(Objects.requireNonNull(source, "source")));
    }
    this.sources = List.copyOf(states);
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.acceptance = new CrlAcceptance(this.settings, Objects.requireNonNull(known, "known"), this.clock);
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
    List<List<String>> notes = new ArrayList<>();
    for (SourceState state : sources) {
      try {
        CrlAcceptance.Accepted accepted = acceptance.accept(fetch(state).crls(), List.of(), current());
        state.crls = accepted.crls();
        // nothing is kept at start (nothing is held): what is said is about unusable CRLs
        List<String> said = new ArrayList<>(accepted.kept());
        said.addAll(accepted.notes());
        notes.add(List.copyOf(said));
      } catch (CrlException | RuntimeException e) {
        close();
        String problem = state.source.file() == null
            ? state.source.describe() + ": " + problem(e)
            : problem(e);
        throw new MtlsLoadException("CRL", state.source.file(), problem,
            e instanceof CrlException ? e.getCause() : e);
      }
    }
    for (int i = 0; i < sources.size(); i++) {
      SourceState state = sources.get(i);
      synchronized (state) {
        reportLoaded(state.crls, List.of());
        reportNotes(state, notes.get(i), state.lastChecksum);
        schedule(state, delayAfterSuccess(state.crls));
      }
    }
  }

  private static String problem(Exception e) {
    return e instanceof CrlException ? e.getMessage() : "unexpected failure: " + e;
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
   * @return the problems of the sources whose content was refused (each already reported to
   *     the listener); empty when every source's content was taken
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
   * the caller does, through {@link #reportFileFailures}, once it knows the files did not
   * change while they were read. URLs are not fetched.
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

  /**
   * Reports failures that {@link #refreshFiles()} returned, unless the same problem with the
   * same file content was reported already (by the refresh schedule, or an earlier reload).
   *
   * @param failures what {@link #refreshFiles()} returned
   */
  void reportFileFailures(List<CrlRefreshFailed> failures) {
    for (SourceState state : sources) {
      List<CrlRefreshFailed> mine = failures.stream()
          .filter(failure -> failure.source().equals(state.source.describe())).toList();
      if (!mine.isEmpty()) {
        synchronized (state) {
          reportOnce(state, mine);
        }
      }
    }
  }

  private List<CrlRefreshFailed> refresh(SourceState state, boolean report) {
    synchronized (state) {
      if (closed) {
        return List.of();
      }
      state.next.cancel();
      List<CrlRefreshFailed> failures = new ArrayList<>();
      Duration delay;
      long content = 0;
      try {
        List<IndexedCrl> held = state.crls;
        Fetched fetched = fetch(state);
        content = fetched.checksum();
        CrlAcceptance.Accepted accepted = acceptance.accept(fetched.crls(), held, current());
        state.crls = accepted.crls();
        onChange.run();
        reportLoaded(fetched.crls(), held);
        delay = delayAfterSuccess(state.crls);
        reportNotes(state, accepted.notes(), content);
        for (String kept : accepted.kept()) {
          failures.add(new CrlRefreshFailed(state.source.describe(), kept, null));
        }
      } catch (CrlException e) {
        if (closed || Thread.currentThread().isInterrupted()) {
          return List.of(); // interrupted by the context's close(): nothing to report
        }
        content = state.lastChecksum;
        failures.add(new CrlRefreshFailed(state.source.describe(), e.getMessage() + "; keeping the"
            + " CRL loaded before", e.getCause()));
        delay = settings.retryDelay();
      } catch (Throwable t) {
        // A bug, or an Error (a parser's StackOverflowError on a hostile CRL, say), must not end
        // refreshing for good: reported (once, as an event, which the default listener logs),
        // and tried again later like a failed fetch.
        log.debug("unexpected failure refreshing CRL from {}", SafeText.line(state.source.describe()), t);
        content = state.lastChecksum;
        failures.add(new CrlRefreshFailed(state.source.describe(), "unexpected failure: " + t
            + "; keeping the CRL loaded before", t));
        delay = settings.retryDelay();
      }
      state.failureKey = failureKey(state, failures, content);
      if (failures.isEmpty()) {
        state.reportedKey = null;
      } else if (report) {
        reportOnce(state, failures);
      }
      schedule(state, delay);
      return failures;
    }
  }

  /** What identifies a file's failure for reporting it once: the problems and the content. */
  private static @Nullable String failureKey(SourceState state, List<CrlRefreshFailed> failures, long content) {
    if (failures.isEmpty() || state.source.file() == null) {
      return null; // a URL's failure is reported at each fetch: the server may be down still
    }
    StringBuilder key = new StringBuilder(Long.toHexString(content));
    failures.forEach(failure -> key.append('\n').append(failure.problem()));
    return key.toString();
  }

  /**
   * Reports what was said about CRLs taken into use (a CRL not verified yet, one kept beside
   * an older or unverified one, a stale one under soft-fail): once per content of the source,
   * file or URL, not at every fetch of the same bytes. They are not failures: the reloader's
   * outcome does not turn to FAILED for them. Called holding the state's lock.
   */
  private void reportNotes(SourceState state, List<String> notes, long content) {
    if (notes.isEmpty()) {
      state.notedKey = null;
      return;
    }
    String key = Long.toHexString(content) + "\n" + String.join("\n", notes);
    if (key.equals(state.notedKey)) {
      return;
    }
    state.notedKey = key;
    notes.forEach(note -> notifyFailed(new CrlRefreshFailed(state.source.describe(), note, null)));
  }

  /** Called holding the state's lock. */
  private void reportOnce(SourceState state, List<CrlRefreshFailed> failures) {
    String key = state.failureKey;
    if (key != null && key.equals(state.reportedKey)) {
      return;
    }
    state.reportedKey = key;
    failures.forEach(this::notifyFailed);
  }

  private Fetched fetch(SourceState state) throws CrlException {
    CrlSource source = state.source;
    byte[] bytes;
    try {
      bytes = source.read(settings.maxBytes());
    } catch (IOException e) {
      state.lastChecksum = 0;
      throw new CrlException("cannot read: " + e.getMessage(), e);
    }
    CRC32C checksum = new CRC32C();
    checksum.update(bytes);
    state.lastChecksum = checksum.getValue() ^ ((long) bytes.length << 32);
    return new Fetched(CrlParser.parse(bytes, source.describe(), clock.instant(),
        settings.validityWithoutNextUpdate()), state.lastChecksum);
  }

  /** CRLs as parsed, with a checksum of the bytes they came from. */
  private record Fetched(List<IndexedCrl> crls, long checksum) {}


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

  /** Reports the CRLs just fetched, saying which were not held before. */
  private void reportLoaded(List<IndexedCrl> fetched, List<IndexedCrl> held) {
    for (IndexedCrl crl : fetched) {
      boolean changed = held.stream().noneMatch(before -> sameCrl(before, crl));
      notifyRefreshed(new CrlRefreshed(crl.source(), crl.issuer().getName(), crl.crlNumber(),
          crl.size(), crl.thisUpdate(), crl.nextUpdate(), changed));
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
    // for reporting a file's failure once: the checksum of the bytes last read, the key of the
    // last failure, and of the last one reported
    long lastChecksum;
    @Nullable String failureKey;
    @Nullable String reportedKey;
    @Nullable String notedKey;

    SourceState(CrlSource source) {
      this.source = source;
    }
  }
}
