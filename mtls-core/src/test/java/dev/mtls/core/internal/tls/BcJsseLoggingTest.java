package dev.mtls.core.internal.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.core.internal.tls.BcJsseLogging.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * When the library quiets a provider's logger and when it leaves it to the application. Each
 * test uses loggers of its own, fresh names under {@code dev.mtls.test}, so nothing depends on
 * which test ran first or on the real {@code org.bouncycastle.jsse} logger; their state is
 * reset afterwards.
 */
class BcJsseLoggingTest {
  private final String parent = "dev.mtls.test.bcjsse" + UUID.randomUUID().toString().replace("-", "");
  private final String name = parent + ".jsse";
  private final List<Logger> touched = new ArrayList<>();

  @AfterEach
  void resetLoggers() {
    for (Logger logger : touched) {
      logger.setLevel(null);
      logger.setUseParentHandlers(true);
      for (Handler handler : logger.getHandlers()) {
        logger.removeHandler(handler);
      }
    }
  }

  @Test
  void anUnconfiguredLogger_isQuietedToSevere_andKeepsThatLevelThroughGarbageCollection() {
    assertThat(BcJsseLogging.quietUnlessConfigured(name, null)).isEqualTo(Outcome.QUIETED);

    System.gc();
    Logger logger = logger(name);
    assertThat(logger.getLevel()).isEqualTo(Level.SEVERE);
    assertThat(logger.isLoggable(Level.WARNING)).isFalse();
  }

  @Test
  void aLevelTheApplicationSet_isLeftAlone() {
    logger(name).setLevel(Level.FINE);

    assertThat(BcJsseLogging.quietUnlessConfigured(name, null)).isEqualTo(Outcome.CONFIGURED_BY_APPLICATION);
    assertThat(logger(name).getLevel()).isEqualTo(Level.FINE);
  }

  @Test
  void aHandlerTheApplicationAdded_isLeftAlone() {
    logger(name).addHandler(new ConsoleHandler());

    assertThat(BcJsseLogging.quietUnlessConfigured(name, null)).isEqualTo(Outcome.CONFIGURED_BY_APPLICATION);
    assertThat(logger(name).getLevel()).isNull();
  }

  @Test
  void aParentTheApplicationConfigured_isLeftToGovernItsChildren() {
    logger(parent).setLevel(Level.ALL);

    assertThat(BcJsseLogging.quietUnlessConfigured(name, null)).isEqualTo(Outcome.CONFIGURED_BY_APPLICATION);
    assertThat(logger(name).getLevel()).isNull();
    assertThat(logger(name).isLoggable(Level.INFO)).isTrue();
  }

  @Test
  void aLoggerCutFromItsParentsHandlers_isLeftAlone() {
    logger(name).setUseParentHandlers(false);

    assertThat(BcJsseLogging.quietUnlessConfigured(name, null)).isEqualTo(Outcome.CONFIGURED_BY_APPLICATION);
    assertThat(logger(name).getLevel()).isNull();
  }

  @Test
  void propertyKeep_leavesTheLoggerAlone_andQuiet_isTheDefault() {
    assertThat(BcJsseLogging.quietUnlessConfigured(name, " Keep ")).isEqualTo(Outcome.KEPT_BY_PROPERTY);
    assertThat(logger(name).getLevel()).isNull();

    assertThat(BcJsseLogging.quietUnlessConfigured(name, "quiet")).isEqualTo(Outcome.QUIETED);
    assertThat(logger(name).getLevel()).isEqualTo(Level.SEVERE);
  }

  @Test
  void anUnknownPropertyValue_quietsAsByDefault() {
    assertThat(BcJsseLogging.quietUnlessConfigured(name, "loud")).isEqualTo(Outcome.QUIETED);
    assertThat(logger(name).getLevel()).isEqualTo(Level.SEVERE);
  }

  @Test
  void theApplicationCanUndoIt_bySettingTheLevelItself() {
    BcJsseLogging.quietUnlessConfigured(name, null);

    logger(name).setLevel(Level.INFO);
    assertThat(logger(name).isLoggable(Level.INFO)).isTrue();
  }

  private Logger logger(String loggerName) {
    Logger logger = Logger.getLogger(loggerName);
    touched.add(logger);
    return logger;
  }
}
