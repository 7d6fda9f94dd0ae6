package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The library's background threads, as a test sees them from outside. */
final class BackgroundThreads {
  private BackgroundThreads() {}

  /** Every live thread whose name starts with {@code mtls-}. */
  static List<Thread> running() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .filter(thread -> thread.getName().startsWith("mtls-"))
        .toList();
  }

  /** Fails, saying why, when a context of an earlier test still runs (it keeps the shared threads). */
  static void assertNoneRunning() {
    assertThat(running()).as("mtls threads left running by a context an earlier test did not close").isEmpty();
  }

  /** Waits (at most 10 seconds in all) until each thread has ended, and fails naming any that has not. */
  static void assertEnd(Collection<Thread> threads) throws InterruptedException {
    awaitEnd(threads, false);
  }

  /**
   * Like {@link #assertEnd}, collecting garbage meanwhile: on JDK 17 an HTTP client's selector
   * thread ends only once the client is garbage collected.
   */
  static void assertEndAfterGarbageCollection(Collection<Thread> threads) throws InterruptedException {
    awaitEnd(threads, true);
  }

  private static void awaitEnd(Collection<Thread> threads, boolean collectGarbage) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    for (Thread thread : threads) {
      while (thread.isAlive() && System.nanoTime() < deadline) {
        if (collectGarbage) {
          System.gc();
        }
        thread.join(collectGarbage ? 100 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      }
    }
    assertThat(threads).as("threads still running").noneMatch(Thread::isAlive);
  }
}
