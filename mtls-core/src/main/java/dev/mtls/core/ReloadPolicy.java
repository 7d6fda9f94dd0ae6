package dev.mtls.core;

import java.time.Duration;

/**
 * Whether and how a context reloads its certificates, keys, trust anchors and CRL files
 * while it runs. A context built from files reloads by default ({@link #defaults()}):
 * file-system events trigger a reload within a fraction of a second where the platform
 * delivers them, and polling every {@link #interval()} stays as the safety net (network file
 * systems, missed events). In-memory material never reloads.
 *
 * <pre>{@code
 * MtlsContext.forServer()
 *     .reload(ReloadPolicy.builder().interval(Duration.ofSeconds(30)).refuseSubjectChange(true).build())
 * }</pre>
 *
 * <p>Every reload reads the files afresh, checks the new material (key matches certificate,
 * certificate valid now, chain leads to the trust anchors where it did at start), and swaps
 * it in with one reference write; anything wrong keeps the material in use and is reported
 * as {@link MtlsListener.ReloadFailed}.
 */
public final class ReloadPolicy {
  private static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
  private static final Duration DEFAULT_EXPIRY_WARNING = Duration.ofDays(30);
  /**
   * Polling below a second is a busy loop on the background threads every context shares,
   * and file events already bring changes within a fraction of a second; polling less than
   * daily leaves a rotation that an event missed unused for longer than short-lived
   * certificates live ({@link #disabled()} is the way to never poll).
   */
  static final DurationBounds INTERVAL = new DurationBounds("interval", Duration.ofSeconds(1), Duration.ofDays(1));
  /** A warning more than a year ahead is noise; longer ones overflow the instant they are added to. */
  static final DurationBounds EXPIRY_WARNING =
      new DurationBounds("expiryWarning", Duration.ZERO, Duration.ofDays(365));

  private static final ReloadPolicy DEFAULTS = new ReloadPolicy(true, DEFAULT_INTERVAL, true, DEFAULT_EXPIRY_WARNING, false);
  private static final ReloadPolicy DISABLED = new ReloadPolicy(false, DEFAULT_INTERVAL, false, DEFAULT_EXPIRY_WARNING, false);

  private final boolean enabled;
  private final Duration interval;
  private final boolean fileEvents;
  private final Duration expiryWarning;
  private final boolean refuseSubjectChange;

  private ReloadPolicy(boolean enabled, Duration interval, boolean fileEvents, Duration expiryWarning,
      boolean refuseSubjectChange) {
    this.enabled = enabled;
    this.interval = interval;
    this.fileEvents = fileEvents;
    this.expiryWarning = expiryWarning;
    this.refuseSubjectChange = refuseSubjectChange;
  }

  /**
   * Reload from files: file events plus polling every 10 seconds, expiry warnings from 30
   * days before notAfter, a change of subject on rotation allowed.
   *
   * @return the default policy
   */
  public static ReloadPolicy defaults() {
    return DEFAULTS;
  }

  /**
   * Never reload: the material loaded at build time stays until the context is rebuilt.
   * {@link MtlsContext#reloadNow()} still works.
   *
   * @return the policy
   */
  public static ReloadPolicy disabled() {
    return DISABLED;
  }

  /**
   * A policy that differs from the defaults.
   *
   * @return a builder starting from {@link #defaults()}
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Whether the context watches its files at all.
   *
   * @return {@code false} for {@link #disabled()}
   */
  public boolean isEnabled() {
    return enabled;
  }

  /**
   * How often the files are polled.
   *
   * @return the polling interval
   */
  public Duration interval() {
    return interval;
  }

  /**
   * Whether file-system events are used besides polling.
   *
   * @return {@code true} by default
   */
  public boolean fileEvents() {
    return fileEvents;
  }

  /**
   * How long before its notAfter a certificate of this context starts being reported as
   * expiring (again every day until it is rotated).
   *
   * @return the warning period
   */
  public Duration expiryWarning() {
    return expiryWarning;
  }

  /**
   * Whether a new identity certificate must keep the subject and subject alternative names
   * of the one it replaces.
   *
   * @return {@code false} by default
   */
  public boolean refusesSubjectChange() {
    return refuseSubjectChange;
  }

  @Override
  public String toString() {
    return enabled
        ? "ReloadPolicy{every " + interval + (fileEvents ? " and on file events" : "") + ", expiry warning "
            + expiryWarning + (refuseSubjectChange ? ", subject changes refused" : "") + "}"
        : "ReloadPolicy.disabled()";
  }

  /** Builds a {@link ReloadPolicy}, starting from the defaults. */
  public static final class Builder {
    private Duration interval = DEFAULT_INTERVAL;
    private boolean fileEvents = true;
    private Duration expiryWarning = DEFAULT_EXPIRY_WARNING;
    private boolean refuseSubjectChange;

    private Builder() {}

    /**
     * How often to poll the files. Default 10 seconds. Between 1 second (more often is a busy
     * loop, and file events already bring changes sooner) and 1 day (a rotation that a file
     * event missed must not wait longer); use {@link ReloadPolicy#disabled()} to never poll.
     *
     * @param interval between 1 second and 1 day
     * @return this builder
     * @throws IllegalArgumentException when shorter than 1 second or longer than 1 day
     */
    public Builder interval(Duration interval) {
      this.interval = INTERVAL.check(interval);
      return this;
    }

    /**
     * Whether to use file-system events besides polling. Default {@code true}.
     *
     * @param fileEvents whether to watch for events
     * @return this builder
     */
    public Builder fileEvents(boolean fileEvents) {
      this.fileEvents = fileEvents;
      return this;
    }

    /**
     * How long before notAfter to start warning. Default 30 days.
     *
     * @param warning between zero (no warning before notAfter) and 365 days
     * @return this builder
     * @throws IllegalArgumentException when negative or longer than 365 days
     */
    public Builder expiryWarning(Duration warning) {
      this.expiryWarning = EXPIRY_WARNING.check(warning);
      return this;
    }

    /**
     * Whether to refuse a new identity certificate whose subject or subject alternative
     * names differ from the current one's. Default {@code false}.
     *
     * @param refuse whether to refuse
     * @return this builder
     */
    public Builder refuseSubjectChange(boolean refuse) {
      this.refuseSubjectChange = refuse;
      return this;
    }

    /**
     * Builds the policy.
     *
     * @return the policy
     */
    public ReloadPolicy build() {
      return new ReloadPolicy(true, interval, fileEvents, expiryWarning, refuseSubjectChange);
    }
  }
}
