package dev.mtls.core.internal.tls;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * Quiets Bouncy Castle JSSE's own {@code java.util.logging} output, which would otherwise write
 * several INFO lines, some with stack traces, for every failed handshake (about 21 lines each),
 * bypassing the library's rate-limited listener. The first time the library creates a BCJSSE
 * context it sets the level of logger {@value #LOGGER} to {@code SEVERE} (bctls 1.84 logs
 * nothing at that level), unless the application has configured that logger or one of its
 * parents, or system property {@value #PROPERTY} is {@code keep}. Refusals are reported through
 * the context's {@code MtlsListener} instead.
 */
final class BcJsseLogging {
  /** The parent of every logger BCJSSE uses ({@code org.bouncycastle.jsse.provider.*}, {@code .util.*}). */
  static final String LOGGER = "org.bouncycastle.jsse";
  /** {@code keep} leaves BCJSSE's logging as it is; {@code quiet} (the default) quiets it. */
  static final String PROPERTY = "dev.mtls.bcjsse.logging";
  /** The level set: more than what BCJSSE logs per handshake (INFO and WARNING). */
  static final Level QUIET = Level.SEVERE;

  private static final org.slf4j.Logger log = LoggerFactory.getLogger("dev.mtls");
  // java.util.logging holds loggers weakly: a logger nobody references can be collected and
  // come back without the level set on it. These references keep the quieted ones.
  private static final Set<Logger> quieted = ConcurrentHashMap.newKeySet();
  private static boolean done;

  private BcJsseLogging() {}

  /** What {@link #quietUnlessConfigured} did. */
  enum Outcome {
    /** The logger's level was set to {@link #QUIET}. */
    QUIETED,
    /** The logger, or a parent below the root, has a level, handlers or a logging.properties entry. */
    CONFIGURED_BY_APPLICATION,
    /** The system property asked to keep the provider's logging. */
    KEPT_BY_PROPERTY
  }

  /** Quiets {@value #LOGGER} once per class loader, as described above, and says so at DEBUG. */
  static synchronized void quietByDefault() {
    if (done) {
      return;
    }
    done = true;
    String setting = System.getProperty(PROPERTY);
    Outcome outcome = quietUnlessConfigured(LOGGER, setting);
    switch (outcome) {
      case QUIETED -> log.debug("Bouncy Castle JSSE logs through java.util.logging logger {}: set its level to {},"
          + " so that handshake failures are reported once, through the context's MtlsListener; to keep its"
          + " logging, configure that logger yourself or set -D{}=keep", LOGGER, QUIET, PROPERTY);
      case CONFIGURED_BY_APPLICATION -> log.debug("java.util.logging logger {} (Bouncy Castle JSSE) is configured"
          + " by the application: left as it is", LOGGER);
      case KEPT_BY_PROPERTY -> log.debug("java.util.logging logger {} (Bouncy Castle JSSE) left as it is: -D{}=keep",
          LOGGER, PROPERTY);
    }
  }

  /**
   * Sets the level of logger {@code name} to {@link #QUIET} unless {@code setting} is
   * {@code keep} or the application has configured it: the logger or a parent below the root
   * has a level or handlers, does not use its parent's handlers, or is named in the
   * logging.properties configuration.
   *
   * @param name a logger name
   * @param setting the value of {@value #PROPERTY}, or {@code null} when unset
   * @return what was done
   */
  static Outcome quietUnlessConfigured(String name, @Nullable String setting) {
    if (keep(setting)) {
      return Outcome.KEPT_BY_PROPERTY;
    }
    if (configured(name)) {
      return Outcome.CONFIGURED_BY_APPLICATION;
    }
    Logger logger = Logger.getLogger(name);
    quieted.add(logger);
    logger.setLevel(QUIET);
    return Outcome.QUIETED;
  }

  private static boolean keep(@Nullable String setting) {
    if (setting == null) {
      return false;
    }
    String value = setting.strip().toLowerCase(Locale.ROOT);
    if (value.equals("keep")) {
      return true;
    }
    if (!value.equals("quiet")) {
      log.warn("system property {} is neither 'keep' nor 'quiet': quieting Bouncy Castle JSSE's logging,"
          + " as by default", PROPERTY);
    }
    return false;
  }

  private static boolean configured(String name) {
    LogManager manager = LogManager.getLogManager();
    for (String current = name; !current.isEmpty(); current = parent(current)) {
      if (manager.getProperty(current + ".level") != null || manager.getProperty(current + ".handlers") != null
          || manager.getProperty(current + ".useParentHandlers") != null) {
        return true;
      }
      Logger existing = manager.getLogger(current);
      if (existing != null && (existing.getLevel() != null || existing.getHandlers().length > 0
          || !existing.getUseParentHandlers())) {
        return true;
      }
    }
    return false;
  }

  private static String parent(String name) {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(0, dot);
  }
}
