package dev.mtls.core.internal.crl;

import dev.mtls.core.ContextStatus;
import dev.mtls.core.MtlsListener;
import dev.mtls.core.MtlsListener.CrlRefreshFailed;
import dev.mtls.core.internal.Lane;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import javax.security.auth.x500.X500Principal;
import org.jspecify.annotations.Nullable;

/**
 * A {@link RevocationChecker} answering from CRLs held in memory: files and URLs loaded at
 * start (a source that fails is an error then), refreshed in the background by a {@link
 * CrlRefresher}, in the context's {@link Lane}. A lookup reads one volatile index, probes two hash maps per certificate and
 * takes no lock.
 *
 * <p>For each certificate of the path but the last, the CRLs of its issuer (matched by
 * {@link X500Principal} equality) are tried newest first (highest CRL number, else latest
 * thisUpdate); the first whose scope covers the certificate and whose signature verifies with
 * the issuer certificate's key answers. The signatures were verified when the CRLs were loaded,
 * with the keys of the issuer certificates the context knows, so a lookup only compares keys;
 * only a CRL whose issuer the context did not know is verified on its first lookup, once per
 * key. A CRL whose signature does not verify is passed over and reported once. Then, failing closed:
 * thisUpdate in the future, or nextUpdate passed (beyond the soft-fail allowance, if any), is
 * {@code UNKNOWN}.
 *
 * <p>The leaf must be covered; intermediates must be covered when {@link
 * CrlSettings#checkIntermediates()}, and are checked anyway wherever a CRL for their issuer is
 * loaded. A path of a single certificate (the peer is itself the trust anchor) has no issuer
 * key to check a CRL with and is {@code UNKNOWN}.
 */
public final class CrlRevocationChecker implements RevocationChecker {
  // newest first: highest CRL number (CRLs without one after those with), then latest thisUpdate
  static final Comparator<IndexedCrl> NEWEST_FIRST =
      Comparator.comparing(IndexedCrl::crlNumber,
              Comparator.nullsFirst(Comparator.<BigInteger>naturalOrder()))
          .thenComparing(IndexedCrl::thisUpdate)
          .reversed();

  private final CrlSettings settings;
  private final Clock clock;
  private final CrlRefresher refresher;
  private volatile Runnable onChange = () -> {};
  private final AtomicLong generation = new AtomicLong();
  private volatile Map<X500Principal, List<IndexedCrl>> byIssuer = Map.of();
  // when the freshness of some CRL flips next (becomes valid, stale, or beyond soft-fail)
  private volatile long nextBoundaryMillis = Long.MAX_VALUE;

  private CrlRevocationChecker(List<CrlSource> sources, CrlSettings settings, KnownIssuers known,
      Clock clock, MtlsListener listener, Lane lane, boolean ownsLane) {
    this.settings = settings;
    this.clock = clock;
    this.refresher = new CrlRefresher(sources, settings, known, clock, listener, this::reindex, lane,
        ownsLane);
  }

  /**
   * Loads every source and starts refreshing them in a lane of its own, closed with the
   * checker.
   *
   * @param sources the CRL files and URLs, at least one
   * @param settings refresh and staleness settings
   * @param known the issuer certificates each CRL is verified against when it is loaded
   * @param clock the clock that judges freshness for {@link #generation()} and refreshing
   * @param listener hears loads, refresh failures and forged CRLs
   * @return the running checker
   * @throws dev.mtls.core.MtlsLoadException naming the first source that cannot be loaded
   */
  public static CrlRevocationChecker start(List<CrlSource> sources, CrlSettings settings,
      KnownIssuers known, Clock clock, MtlsListener listener) {
    Lane lane = Lane.open("CRL refresh", settings.fetchTimeout().plusSeconds(1));
    return start(sources, settings, known, clock, listener, lane, true);
  }

  /**
   * Loads every source and starts refreshing them in a context's lane, whose owner closes it
   * (this checker's {@link #close()} then only cancels its refreshes and closes the sources).
   *
   * @param sources the CRL files and URLs, at least one
   * @param settings refresh and staleness settings
   * @param known the issuer certificates each CRL is verified against when it is loaded
   * @param clock the clock that judges freshness for {@link #generation()} and refreshing
   * @param listener hears loads, refresh failures and forged CRLs
   * @param lane the context's lane
   * @return the running checker
   * @throws dev.mtls.core.MtlsLoadException naming the first source that cannot be loaded
   */
  public static CrlRevocationChecker start(List<CrlSource> sources, CrlSettings settings,
      KnownIssuers known, Clock clock, MtlsListener listener, Lane lane) {
    return start(sources, settings, known, clock, listener, lane, false);
  }

  private static CrlRevocationChecker start(List<CrlSource> sources, CrlSettings settings,
      KnownIssuers known, Clock clock, MtlsListener listener, Lane lane, boolean ownsLane) {
    Objects.requireNonNull(sources, "sources");
    if (sources.isEmpty()) {
      throw new IllegalArgumentException("no CRL source");
    }
    CrlRevocationChecker checker = new CrlRevocationChecker(
        sources, Objects.requireNonNull(settings, "settings"),
        Objects.requireNonNull(known, "known"), Objects.requireNonNull(clock, "clock"), Objects.requireNonNull(listener, "listener"),
        Objects.requireNonNull(lane, "lane"), ownsLane);
    checker.refresher.start();
    checker.reindex();
    return checker;
  }

  @Override
  public RevocationStatus check(List<X509Certificate> path, Instant now) {
    if (path.isEmpty()) {
      throw new IllegalArgumentException("empty certification path");
    }
    if (path.size() == 1) {
      return RevocationStatus.unknown("certificate " + path.get(0).getSubjectX500Principal()
          .getName() + " has no issuer certificate in the path to check a CRL signature with");
    }
    Map<X500Principal, List<IndexedCrl>> index = byIssuer;
    for (int i = 0; i < path.size() - 1; i++) {
      boolean required = i == 0 || settings.checkIntermediates();
      RevocationStatus status = checkOne(index, path.get(i), path.get(i + 1), required, now);
      if (status.state() != RevocationStatus.State.GOOD) {
        return status;
      }
    }
    return RevocationStatus.GOOD;
  }

  private RevocationStatus checkOne(Map<X500Principal, List<IndexedCrl>> index,
      X509Certificate certificate, X509Certificate issuer, boolean required, Instant now) {
    X500Principal issuerName = certificate.getIssuerX500Principal();
    List<IndexedCrl> candidates = index.get(issuerName);
    IndexedCrl chosen = null;
    IndexedCrl forged = null;
    if (candidates != null) {
      for (IndexedCrl crl : candidates) {
        if (!crl.covers(certificate)) {
          continue;
        }
        if (crl.isSignedBy(issuer.getPublicKey(), this::reportForged)) {
          chosen = crl;
          break;
        }
        if (forged == null) {
          forged = crl;
        }
      }
    }
    if (chosen == null) {
      if (forged != null) {
        return RevocationStatus.unknown(forgedProblem(forged));
      }
      return required
          ? RevocationStatus.unknown("no CRL for issuer " + issuerName.getName())
          : RevocationStatus.GOOD;
    }
    boolean[] keyUsage = issuer.getKeyUsage();
    if (keyUsage != null && (keyUsage.length <= 6 || !keyUsage[6])) {
      return RevocationStatus.unknown("the certificate of CRL issuer " + issuerName.getName()
          + " does not allow CRL signing (no cRLSign key usage)");
    }
    RevocationStatus freshness = freshness(chosen, now);
    if (freshness != null) {
      return freshness;
    }
    RevokedEntry entry = chosen.lookup(certificate.getSerialNumber());
    if (entry == null) {
      return RevocationStatus.GOOD;
    }
    return RevocationStatus.revoked("serial " + entry.serial().toString(16) + " revoked at "
        + entry.revocationDate()
        + (entry.reason() == null ? "" : " (reason " + entry.reason() + ")")
        + " by CRL from " + chosen.source());
  }

  private @Nullable RevocationStatus freshness(IndexedCrl crl, Instant now) {
    String name = crl.issuer().getName();
    if (crl.thisUpdate().isAfter(now.plus(settings.clockSkew()))) {
      return RevocationStatus.unknown("CRL for " + name + " from " + crl.source()
          + " is not yet valid: thisUpdate is " + crl.thisUpdate());
    }
    if (!now.isAfter(crl.staleAt())) {
      return null;
    }
    Duration allowance = settings.maxStaleness();
    if (allowance != null && !now.isAfter(crl.staleAt().plus(allowance))) {
      return null;
    }
    String why = crl.nextUpdate() != null
        ? "nextUpdate was " + crl.nextUpdate()
        : "it has no nextUpdate and was not fetched again successfully before " + crl.staleAt();
    return RevocationStatus.unknown("CRL for " + name + " from " + crl.source() + " is stale: "
        + why + (allowance == null ? "" : ", beyond the soft-fail allowance of " + allowance));
  }

  private static String forgedProblem(IndexedCrl crl) {
    return "CRL from " + crl.source() + " for issuer " + crl.issuer().getName()
        + " is not signed by that issuer's key";
  }

  private void reportForged(IndexedCrl crl) {
    refresher.notifyFailed(new CrlRefreshFailed(crl.source(), forgedProblem(crl), null));
  }

  @Override
  public List<ContextStatus.Crl> crls(Instant now) {
    Duration allowance = settings.maxStaleness();
    List<ContextStatus.Crl> crls = new ArrayList<>();
    for (List<IndexedCrl> ofIssuer : byIssuer.values()) {
      for (IndexedCrl crl : ofIssuer) {
        ContextStatus.Freshness freshness = !now.isAfter(crl.staleAt())
            ? ContextStatus.Freshness.FRESH
            : allowance != null && !now.isAfter(crl.staleAt().plus(allowance))
                ? ContextStatus.Freshness.STALE_ALLOWED
                : ContextStatus.Freshness.STALE;
        crls.add(new ContextStatus.Crl(crl.source(), crl.issuer().getName(), crl.thisUpdate(), crl.nextUpdate(),
            freshness));
      }
    }
    crls.sort(Comparator.comparing(ContextStatus.Crl::issuer).thenComparing(ContextStatus.Crl::source));
    return List.copyOf(crls);
  }

  /**
   * Changes whenever the CRLs change: a fetch succeeded, or the clock passed a moment where a
   * CRL becomes valid, stale, or stale beyond the soft-fail allowance.
   */
  @Override
  public long generation() {
    if (clock.millis() >= nextBoundaryMillis) {
      crossBoundary();
    }
    return generation.get();
  }

  private synchronized void crossBoundary() {
    long now = clock.millis();
    if (now >= nextBoundaryMillis) {
      generation.incrementAndGet();
      nextBoundaryMillis = boundaryAfter(byIssuer, now);
      onChange.run();
    }
  }

  /** Rebuilds the issuer index from the refresher's current CRLs. */
  private synchronized void reindex() {
    Map<X500Principal, List<IndexedCrl>> index = new HashMap<>();
    for (IndexedCrl crl : refresher.current()) {
      index.computeIfAbsent(crl.issuer(), issuer -> new ArrayList<>()).add(crl);
    }
    index.replaceAll((issuer, crls) -> {
      crls.sort(NEWEST_FIRST);
      return List.copyOf(crls);
    });
    Map<X500Principal, List<IndexedCrl>> next = Map.copyOf(index);
    boolean same = sameContent(byIssuer, next);
    // The refresher's objects, always: a signature a lookup verifies lands where the next load
    // looks for the keys that verified the CRLs in use (the same CRL fetched again took over the
    // checks of its earlier load).
    byIssuer = next;
    if (same) {
      // The same CRLs fetched again: keep verdicts and sessions, which a new generation would
      // throw away.
      return;
    }
    generation.incrementAndGet();
    nextBoundaryMillis = boundaryAfter(byIssuer, clock.millis());
    onChange.run();
  }

  /** Whether two indexes hold the same CRLs, down to the moments they turn stale. */
  private static boolean sameContent(Map<X500Principal, List<IndexedCrl>> a, Map<X500Principal, List<IndexedCrl>> b) {
    if (!a.keySet().equals(b.keySet())) {
      return false;
    }
    for (Map.Entry<X500Principal, List<IndexedCrl>> entry : a.entrySet()) {
      List<IndexedCrl> left = entry.getValue();
      List<IndexedCrl> right = b.get(entry.getKey());
      if (left.size() != right.size()) {
        return false;
      }
      for (int i = 0; i < left.size(); i++) {
        IndexedCrl x = left.get(i);
        IndexedCrl y = right.get(i);
        if (!x.source().equals(y.source()) || !Objects.equals(x.crlNumber(), y.crlNumber())
            || !x.thisUpdate().equals(y.thisUpdate()) || !Objects.equals(x.nextUpdate(), y.nextUpdate())
            || !x.staleAt().equals(y.staleAt()) || x.size() != y.size() || !x.sameSignature(y)) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Runs {@code action} after every change of the revocation data (a refresh, or a CRL
   * turning stale): on the refresh thread, or on the thread that noticed the staleness.
   */
  @Override
  public void onChange(Runnable action) {
    this.onChange = Objects.requireNonNull(action, "action");
  }

  private long boundaryAfter(Map<X500Principal, List<IndexedCrl>> index, long now) {
    long next = Long.MAX_VALUE;
    Duration allowance = settings.maxStaleness();
    for (List<IndexedCrl> crls : index.values()) {
      for (IndexedCrl crl : crls) {
        // staleness starts strictly after staleAt, hence the extra millisecond
        long staleFrom = crl.staleAt().toEpochMilli() + 1;
        long[] flips = {
          saturatedAdd(crl.thisUpdate().toEpochMilli(), settings.clockSkew().negated()),
          staleFrom,
          allowance == null ? Long.MAX_VALUE : saturatedAdd(staleFrom, allowance)
        };
        for (long flip : flips) {
          if (flip > now && flip < next) {
            next = flip;
          }
        }
      }
    }
    return next;
  }

  private static long saturatedAdd(long millis, Duration duration) {
    try {
      return Math.addExact(millis, duration.toMillis());
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  /**
   * Fetches every source now, files and URLs, on the calling thread; for tests and
   * operators' "refresh now".
   *
   * @return the problems of the sources that failed (each reported to the listener too);
   *     empty when all succeeded
   */
  public List<String> refreshNow() {
    return refresher.refreshNow();
  }

  /**
   * Re-reads the CRL files now, on the calling thread, after they changed on disk; URLs are
   * not fetched (they keep their own schedule). What fails is returned, not reported: the
   * caller reports it, once per file content.
   *
   * @return one event per problem; empty when every file was read
   */
  public List<CrlRefreshFailed> refreshFiles() {
    return refresher.refreshFiles();
  }

  /**
   * Reports what {@link #refreshFiles()} returned, once the caller knows the files did not
   * change while read; a failure already reported for the same file content is not reported
   * again.
   *
   * @param failures the failures to report
   */
  public void reportFileFailures(List<CrlRefreshFailed> failures) {
    refresher.reportFileFailures(failures);
  }

  /**
   * The CRLs in use, of every source.
   *
   * @return the CRLs
   */
  List<IndexedCrl> current() {
    return refresher.current();
  }

  /** Stops refreshing and closes the sources. */
  @Override
  public void close() {
    refresher.close();
  }

  @Override
  public String toString() {
    return "CrlRevocationChecker" + byIssuer.values();
  }
}
