package dev.mtls.core;

import dev.mtls.core.internal.Lane;
import dev.mtls.core.internal.crl.CrlRevocationChecker;
import dev.mtls.core.internal.crl.CrlSettings;
import dev.mtls.core.internal.crl.CrlSource;
import dev.mtls.core.internal.crl.FileCrlSource;
import dev.mtls.core.internal.crl.RevocationChecker;
import dev.mtls.core.internal.crl.UrlCrlSource;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * How a context learns which peer certificates are revoked: not at all ({@link #none()}), or
 * from CRLs in files and at HTTP(S) URLs ({@link #crls()}).
 *
 * <pre>{@code
 * Revocation revocation = Revocation.crls()
 *     .file(Path.of("/etc/tls/ca.crl"))
 *     .url(URI.create("http://pki.example.com/intermediate.crl"))
 *     .refreshInterval(Duration.ofMinutes(15))
 *     .build();
 * }</pre>
 *
 * <p>CRLs are loaded when the context is built (a source that cannot be loaded fails the
 * build), then refreshed in the background every refresh interval and right after a CRL's
 * nextUpdate. A lookup during a handshake only reads memory. Each CRL must be signed by the
 * key of the certificate that issued the checked certificate, as found in the validated path;
 * a CRL that is not is refused. The peer's certificate must be covered by a CRL of its
 * issuer; otherwise, and when the CRL is stale (past its nextUpdate), the peer is refused
 * with {@link RejectionReason#REVOCATION_UNKNOWN}: revocation fails closed unless {@link
 * Builder#softFail(Duration)} says otherwise. Nothing JVM-global is changed.
 *
 * <p>Not supported (refused at load with a message saying so): delta CRLs, indirect CRLs,
 * CRLs partitioned by reason, and OCSP. A CRL without nextUpdate counts as current for two
 * refresh intervals after it was last fetched.
 */
public final class Revocation {
  private static final Revocation NONE = new Revocation(List.of(), List.of(),
      Builder.DEFAULT_REFRESH_INTERVAL, Builder.DEFAULT_FETCH_TIMEOUT, null, false);

  private final List<Path> files;
  private final List<URI> urls;
  private final Duration refreshInterval;
  private final Duration fetchTimeout;
  private final @Nullable Duration maxStaleness;
  private final boolean checkIntermediates;

  private Revocation(List<Path> files, List<URI> urls, Duration refreshInterval,
      Duration fetchTimeout, @Nullable Duration maxStaleness, boolean checkIntermediates) {
    this.files = List.copyOf(files);
    this.urls = List.copyOf(urls);
    this.refreshInterval = refreshInterval;
    this.fetchTimeout = fetchTimeout;
    this.maxStaleness = maxStaleness;
    this.checkIntermediates = checkIntermediates;
  }

  /**
   * No revocation checking: every validated peer counts as not revoked. An explicit choice,
   * so that a missing CRL setting is never mistaken for it.
   *
   * @return the setting
   */
  public static Revocation none() {
    return NONE;
  }

  /**
   * Starts building a CRL setting; add at least one {@link Builder#file(Path)} or {@link
   * Builder#url(URI)}.
   *
   * @return a new builder
   */
  public static Builder crls() {
    return new Builder();
  }

  /**
   * Whether certificates are checked for revocation at all.
   *
   * @return false only for {@link #none()}
   */
  public boolean isEnabled() {
    return !files.isEmpty() || !urls.isEmpty();
  }

  /**
   * The CRL files, in the order they were added.
   *
   * @return an immutable list, empty for {@link #none()}
   */
  public List<Path> files() {
    return files;
  }

  /**
   * The CRL URLs, in the order they were added.
   *
   * @return an immutable list, empty for {@link #none()}
   */
  public List<URI> urls() {
    return urls;
  }

  /**
   * Starts this revocation setting on its own: loads the CRLs (failing on unreadable or
   * malformed ones) and starts background refreshing, stopped by the checker's close.
   *
   * @param clock the clock to judge freshness with
   * @param listener where refresh events go
   * @return the running checker
   * @throws MtlsLoadException naming the first CRL file or URL that cannot be loaded
   */
  RevocationChecker start(Clock clock, MtlsListener listener) {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(listener, "listener");
    if (!isEnabled()) {
      return RevocationChecker.NONE;
    }
    return CrlRevocationChecker.start(sources(), settings(), clock, listener);
  }

  /**
   * Starts this revocation setting for one context: loads the CRLs (failing on unreadable or
   * malformed ones) and refreshes them in the context's lane.
   *
   * @param clock the context's clock
   * @param listener where refresh events go
   * @param lane the context's lane, closed by the context
   * @return the running checker, closed with the context
   * @throws MtlsLoadException naming the first CRL file or URL that cannot be loaded
   */
  RevocationChecker start(Clock clock, MtlsListener listener, Lane lane) {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(lane, "lane");
    if (!isEnabled()) {
      return RevocationChecker.NONE;
    }
    return CrlRevocationChecker.start(sources(), settings(), clock, listener, lane);
  }

  /**
   * The limit for fetching one URL.
   *
   * @return the fetch timeout (the default for {@link #none()})
   */
  Duration fetchTimeout() {
    return fetchTimeout;
  }

  private List<CrlSource> sources() {
    List<CrlSource> sources = new ArrayList<>();
    files.forEach(file -> sources.add(new FileCrlSource(file)));
    urls.forEach(url -> sources.add(new UrlCrlSource(url, fetchTimeout)));
    return sources;
  }

  private CrlSettings settings() {
    return new CrlSettings(refreshInterval, fetchTimeout, maxStaleness, checkIntermediates);
  }

  @Override
  public String toString() {
    if (!isEnabled()) {
      return "Revocation.none()";
    }
    return "Revocation.crls(files=" + files + ", urls=" + urls + ", refreshInterval="
        + refreshInterval + ", fetchTimeout=" + fetchTimeout
        + (maxStaleness == null ? ", failClosed" : ", softFail=" + maxStaleness)
        + ", checkIntermediates=" + checkIntermediates + ")";
  }

  /** Builds a CRL setting. Setters check their argument at once. Not thread-safe. */
  public static final class Builder {
    static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofHours(1);
    static final Duration DEFAULT_FETCH_TIMEOUT = Duration.ofSeconds(10);
    /**
     * More often than a minute hammers the CA's CRL server for nothing (CAs publish every few
     * hours; a CRL is fetched again at its nextUpdate anyway); less often than weekly misses
     * the longest update period CAs use (the CA/Browser Forum's 7 days).
     */
    static final DurationBounds REFRESH_INTERVAL =
        new DurationBounds("refreshInterval", Duration.ofMinutes(1), Duration.ofDays(7));
    /**
     * A CRL of a few megabytes needs more than a second on a real network; a fetch holds the
     * context's reload lane, so more than five minutes would hold up its reloads.
     */
    static final DurationBounds FETCH_TIMEOUT =
        new DurationBounds("fetchTimeout", Duration.ofSeconds(1), Duration.ofMinutes(5));
    /** Soft-failing for more than a month is revocation switched off in all but name. */
    static final DurationBounds MAX_STALENESS =
        new DurationBounds("maxStaleness", Duration.ofSeconds(1), Duration.ofDays(30));
    /** DNS names are at most 253 characters (RFC 1035). */
    private static final int MAX_HOST_CHARS = 253;

    private final Set<Path> files = new LinkedHashSet<>();
    private final Set<URI> urls = new LinkedHashSet<>();
    private @Nullable Duration refreshInterval;
    private @Nullable Duration fetchTimeout;
    private @Nullable Duration maxStaleness;
    private @Nullable Boolean checkIntermediates;

    private Builder() {}

    /**
     * Adds a CRL file: PEM with one or several {@code X509 CRL} blocks, or DER (one or several
     * concatenated CRLs). Repeatable.
     *
     * @param crl the file
     * @return this builder
     * @throws IllegalArgumentException when the file was already added
     */
    public Builder file(Path crl) {
      Objects.requireNonNull(crl, "crl");
      if (!files.add(crl)) {
        throw new IllegalArgumentException("CRL file was already added: " + SafeText.printable(crl.toString()));
      }
      return this;
    }

    /**
     * Adds a CRL URL, fetched with HTTP GET; the body may be PEM or DER. Redirects are not
     * followed. Repeatable.
     *
     * @param crl an {@code http} or {@code https} URL in ASCII (as certificates carry them,
     *     RFC 5280), with a host and no user info
     * @return this builder
     * @throws IllegalArgumentException when the URL is not absolute http(s) with a valid host
     *     and port, holds characters other than ASCII or user info (credentials would be
     *     shown wherever the URL is), or was already added
     */
    public Builder url(URI crl) {
      Objects.requireNonNull(crl, "crl");
      String problem = problemWith(crl);
      if (problem != null) {
        // Never the user info: the URL is in every event and log line about the CRL.
        String shown = crl.getRawUserInfo() == null ? SafeText.printable(crl.toString()) : withoutUserInfo(crl);
        throw new IllegalArgumentException("CRL URL " + problem + ": " + shown);
      }
      if (!urls.add(crl)) {
        throw new IllegalArgumentException("CRL URL was already added: " + SafeText.printable(crl.toString()));
      }
      return this;
    }

    /**
     * What makes a URL unfit to fetch CRLs from, or {@code null} when nothing does.
     *
     * @param crl the URL
     * @return such as {@code "has no host, or not a valid host name"}
     */
    static @Nullable String problemWith(URI crl) {
      if (crl.getRawUserInfo() != null) {
        return "must not carry user info (credentials in a URL end up in logs)";
      }
      String scheme = crl.getScheme() == null ? "" : crl.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        return "must be http or https";
      }
      if (!crl.toString().equals(crl.toASCIIString())) {
        return "must be ASCII (percent-encode other characters)";
      }
      if (crl.getHost() == null) {
        return "has no host, or not a valid host name";
      }
      if (crl.getHost().length() > MAX_HOST_CHARS) {
        return "has a host longer than " + MAX_HOST_CHARS + " characters";
      }
      if (crl.getPort() == 0 || crl.getPort() > 65_535) {
        return "must have a port from 1 to 65535";
      }
      return null;
    }

    /**
     * How often each source is fetched again; it is also fetched right after a CRL's
     * nextUpdate passes, and after a failure at most a minute later. Default: 1 hour. At
     * least a minute, so that a CA's CRL server is not hammered (its CRL is fetched at its
     * nextUpdate anyway), and at most 7 days, the longest update period CAs use.
     *
     * @param interval between 1 minute and 7 days
     * @return this builder
     * @throws IllegalArgumentException when shorter than 1 minute or longer than 7 days
     * @throws IllegalStateException when already set
     */
    public Builder refreshInterval(Duration interval) {
      Objects.requireNonNull(interval, "interval");
      if (refreshInterval != null) {
        throw new IllegalStateException("refreshInterval was already set to " + refreshInterval);
      }
      refreshInterval = REFRESH_INTERVAL.check(interval);
      return this;
    }

    /**
     * The limit for fetching one URL, connection and body included. Default: 10 seconds. At
     * least a second (a CRL of a few megabytes needs it on a real network) and at most five
     * minutes (a fetch holds up the context's reloads while it runs).
     *
     * @param timeout between 1 second and 5 minutes
     * @return this builder
     * @throws IllegalArgumentException when shorter than 1 second or longer than 5 minutes
     * @throws IllegalStateException when already set
     */
    public Builder fetchTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (fetchTimeout != null) {
        throw new IllegalStateException("fetchTimeout was already set to " + fetchTimeout);
      }
      fetchTimeout = FETCH_TIMEOUT.check(timeout);
      return this;
    }

    /**
     * DANGEROUS: keeps using a CRL for up to {@code maxStaleness} after its nextUpdate, so
     * that an unreachable CRL server does not refuse every peer, at the price of not seeing
     * revocations published meanwhile. Without this setting (the default) a stale CRL fails
     * closed: peers it should cover are refused as {@link RejectionReason#REVOCATION_UNKNOWN}.
     * At most 30 days: soft-failing for longer is revocation switched off in all but name.
     *
     * @param maxStaleness how long past nextUpdate a CRL is still trusted; between 1 second
     *     and 30 days
     * @return this builder
     * @throws IllegalArgumentException when shorter than 1 second or longer than 30 days
     * @throws IllegalStateException when already set
     */
    public Builder softFail(Duration maxStaleness) {
      Objects.requireNonNull(maxStaleness, "maxStaleness");
      if (this.maxStaleness != null) {
        throw new IllegalStateException("softFail was already set to " + this.maxStaleness);
      }
      this.maxStaleness = MAX_STALENESS.check(maxStaleness);
      return this;
    }

    /**
     * Whether every intermediate certificate of a peer's path must be covered by a CRL of its
     * issuer. Either way, intermediates are checked wherever such a CRL is loaded, and the
     * peer's own certificate must always be covered. Default: false.
     *
     * @param required true to refuse peers whose intermediates no CRL covers
     * @return this builder
     * @throws IllegalStateException when already set
     */
    public Builder checkIntermediates(boolean required) {
      if (checkIntermediates != null) {
        throw new IllegalStateException("checkIntermediates was already set to "
            + checkIntermediates);
      }
      checkIntermediates = required;
      return this;
    }

    /**
     * Builds the setting. Nothing is loaded yet: the CRLs are loaded when a context starts.
     *
     * @return the setting
     * @throws IllegalStateException when no file or URL was added
     */
    public Revocation build() {
      if (files.isEmpty() && urls.isEmpty()) {
        throw new IllegalStateException("no CRL source: add file(..) or url(..), or use"
            + " Revocation.none() to check no revocation at all");
      }
      return new Revocation(new ArrayList<>(files), new ArrayList<>(urls),
          refreshInterval == null ? DEFAULT_REFRESH_INTERVAL : refreshInterval,
          fetchTimeout == null ? DEFAULT_FETCH_TIMEOUT : fetchTimeout,
          maxStaleness,
          checkIntermediates != null && checkIntermediates);
    }

    /**
     * The URL, escaped, with its user info (which cannot hold an unescaped {@code @}) shown as
     * {@code ***}.
     */
    static String withoutUserInfo(URI url) {
      String text = url.toString();
      int authority = text.indexOf("//");
      int at = text.indexOf('@', Math.max(authority, 0));
      return SafeText.printable(authority < 0 || at < 0 ? "(the URL)"
          : text.substring(0, authority + 2) + "***" + text.substring(at));
    }

    @Override
    public String toString() {
      return "Revocation.Builder(files=" + files + ", urls=" + urls + ", refreshInterval="
          + refreshInterval + ", fetchTimeout=" + fetchTimeout + ", softFail=" + maxStaleness
          + ", checkIntermediates=" + checkIntermediates + ")";
    }
  }
}
