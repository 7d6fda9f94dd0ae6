package dev.mtls.core.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The background threads of every context of a JVM, shared: one scheduler with {@value
 * #THREADS} daemon threads named {@code mtls-background-N} for reloads and CRL refreshes, and
 * one daemon thread named {@value FileWatcher#THREAD_NAME} for file-system events. Both start
 * when the first {@link Lane} needs them and stop when the last lane closes (reference
 * counted), so a JVM with fifty contexts runs three threads, and a JVM whose contexts are all
 * closed runs none.
 *
 * <p>Contexts never use this class directly but through their {@link Lane}, which runs their
 * tasks one at a time.
 */
final class Background {
  /** The number of scheduler threads. */
  static final int THREADS = 2;
  /** The prefix of the scheduler threads' names. */
  static final String THREAD_PREFIX = "mtls-background-";

  private static final AtomicInteger THREAD_IDS = new AtomicInteger();
  private static final Object LOCK = new Object();
  private static @Nullable Background current;
  private static int users;

  private final ScheduledThreadPoolExecutor scheduler;
  private @Nullable FileWatcher watcher;
  private boolean stopped;

  private Background() {
    scheduler = new ScheduledThreadPoolExecutor(THREADS, runnable -> {
      Thread thread = new Thread(runnable, THREAD_PREFIX + THREAD_IDS.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    scheduler.setRemoveOnCancelPolicy(true);
    scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /**
   * Takes one reference, starting the threads when there were none. Every call must be
   * matched by one {@link #release()}.
   *
   * @return the running background
   */
  static Background acquire() {
    synchronized (LOCK) {
      Background background = current;
      if (background == null) {
        background = new Background();
        current = background;
      }
      users++;
      return background;
    }
  }

  /** Gives one reference back; the last one stops the threads (without waiting for them). */
  void release() {
    synchronized (LOCK) {
      if (current != this || users <= 0) {
        throw new IllegalStateException("released a background that is not running");
      }
      if (--users > 0) {
        return;
      }
      current = null;
    }
    stop();
  }

  private void stop() {
    FileWatcher stopping;
    synchronized (this) {
      stopped = true;
      stopping = watcher;
      watcher = null;
    }
    scheduler.shutdownNow();
    if (stopping != null) {
      stopping.close();
    }
  }

  /**
   * The shared scheduler.
   *
   * @return the scheduler, shut down once the last reference is released
   */
  ScheduledThreadPoolExecutor scheduler() {
    return scheduler;
  }

  /**
   * Watches directories for changes, starting the watcher thread on first use.
   *
   * @param directories the directories to watch
   * @param onEvent what to run after an event in one of them: quick, on the watcher thread
   * @return a handle that stops this registration
   * @throws IOException when the platform cannot watch one of the directories
   */
  FileWatcher.Registration watch(Collection<Path> directories, Runnable onEvent) throws IOException {
    FileWatcher running;
    synchronized (this) {
      if (stopped) {
        throw new IllegalStateException("background stopped");
      }
      if (watcher == null) {
        watcher = FileWatcher.start();
      }
      running = watcher;
    }
    return running.register(directories, onEvent);
  }
}
