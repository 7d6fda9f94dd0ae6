package dev.mtls.core.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One context's share of the JVM's background threads: its reloads, polls, file events and
 * CRL refreshes run here one at a time, in the order they were queued, on whichever shared
 * {@code mtls-background-N} thread is free. Two tasks of one lane never run at the same time,
 * so a context's reloads need no lock against each other, and one context never holds more
 * than one background thread.
 *
 * <p>Fairness, and its limit: after each task a lane goes to the back of the shared queue, so
 * a lane with a backlog takes turns with the others. A slow task (a CRL fetch, up to its
 * fetch timeout) keeps its thread meanwhile; while two lanes run slow tasks at once, the
 * others wait until one of them ends. Every task is bounded (fetches by their timeout, file
 * reads by the size limits), so that wait is bounded too, never indefinite.
 *
 * <p>A lane takes a reference on the shared threads when it first needs them and gives it
 * back at {@link #close()}, which drops what is queued, cancels what is scheduled, and
 * interrupts and waits for a task in progress.
 */
public final class Lane implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Lane.class);
  private static final Timer NO_TIMER = () -> {};

  private final String name;
  private final Duration closeWait;
  // all guarded by this
  private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
  private final List<Future<?>> timers = new ArrayList<>();
  private final List<FileWatcher.Registration> watches = new ArrayList<>();
  private @Nullable Background background;
  private @Nullable Thread runner;
  private boolean submitted;
  private boolean closed;

  private Lane(String name, Duration closeWait) {
    this.name = name;
    this.closeWait = closeWait;
  }

  /**
   * Opens a lane; it takes no thread until something is queued, scheduled or watched.
   *
   * @param name the owner, for log lines
   * @param closeWait how long {@link #close()} waits for a task in progress
   * @return the lane
   */
  public static Lane open(String name, Duration closeWait) {
    return new Lane(Objects.requireNonNull(name, "name"), Objects.requireNonNull(closeWait, "closeWait"));
  }

  /**
   * Queues a task behind this lane's others. Ignored once the lane is closed.
   *
   * @param task what to run; a failure, even an {@link Error}, is logged and the lane goes on
   */
  public void execute(Runnable task) {
    Objects.requireNonNull(task, "task");
    synchronized (this) {
      if (closed) {
        return;
      }
      queue.add(task);
      if (!submitted) {
        submit();
      }
    }
  }

  /**
   * Queues a task in this lane after a delay.
   *
   * @param task what to run
   * @param delay how long from now
   * @return a handle that cancels the task if it has not been queued yet
   */
  public Timer schedule(Runnable task, Duration delay) {
    Objects.requireNonNull(task, "task");
    synchronized (this) {
      if (closed) {
        return NO_TIMER;
      }
      timers.removeIf(Future::isDone);
      ScheduledFuture<?> timer = background().scheduler()
          .schedule(() -> execute(task), delay.toMillis(), TimeUnit.MILLISECONDS);
      timers.add(timer);
      return () -> timer.cancel(false);
    }
  }

  /**
   * Queues a task in this lane every {@code interval}, first after one interval; a run still
   * waiting in the lane is not queued a second time.
   *
   * @param interval the delay between the end of one queueing and the next
   * @param task what to run
   * @return a handle that stops the repetition
   */
  public Timer every(Duration interval, Runnable task) {
    Objects.requireNonNull(task, "task");
    AtomicBoolean waiting = new AtomicBoolean();
    Runnable once = () -> {
      waiting.set(false);
      task.run();
    };
    long millis = interval.toMillis();
    synchronized (this) {
      if (closed) {
        return NO_TIMER;
      }
      ScheduledFuture<?> timer = background().scheduler().scheduleWithFixedDelay(() -> {
        if (waiting.compareAndSet(false, true)) {
          execute(once);
        }
      }, millis, millis, TimeUnit.MILLISECONDS);
      timers.add(timer);
      return () -> timer.cancel(false);
    }
  }

  /**
   * Watches directories for file-system events, on the JVM's one watcher thread.
   *
   * @param directories existing directories
   * @param onEvent what to run after an event: quick (typically: schedule a task in this
   *     lane), on the watcher thread
   * @throws IOException when the platform cannot watch one of them
   */
  public void watch(Collection<Path> directories, Runnable onEvent) throws IOException {
    synchronized (this) {
      if (closed) {
        return;
      }
      watches.add(background().watch(directories, onEvent));
    }
  }

  private Background background() {
    Background running = background;
    if (running == null) {
      running = Background.acquire();
      background = running;
    }
    return running;
  }

  /** Hands the next task to the shared threads; called holding the lock. */
  private void submit() {
    try {
      background().scheduler().execute(this::runOne);
      submitted = true;
    } catch (RejectedExecutionException e) {
      // Cannot happen while this lane holds its reference; if it does, the tasks stay queued.
      log.error("{}: the background threads refused a task", name, e);
    }
  }

  private void runOne() {
    Runnable task;
    synchronized (this) {
      task = closed ? null : queue.poll();
      if (task == null) {
        submitted = false;
        notifyAll();
        return;
      }
      runner = Thread.currentThread();
    }
    try {
      task.run();
    } catch (Throwable t) {
      report(t);
    } finally {
      synchronized (this) {
        runner = null;
        // An interrupt close() meant for this task must not reach another lane's.
        Thread.interrupted();
        submitted = false;
        if (!closed && !queue.isEmpty()) {
          // To the back of the shared queue: the other lanes get their turn first.
          submit();
        }
        notifyAll();
      }
    }
  }

  private void report(Throwable failure) {
    try {
      log.error("{}: background task failed; the next ones run as planned", name, failure);
    } catch (Throwable ignored) {
      // out of memory, say: nothing left to tell, and the lane must go on
    }
  }

  /**
   * Drops what is queued, cancels what is scheduled and watched, interrupts a task in
   * progress and waits for it (at most the close wait), then gives the shared threads back;
   * the last lane to do so stops them. Idempotent.
   */
  @Override
  public void close() {
    List<Future<?>> cancelling;
    List<FileWatcher.Registration> unwatching;
    Background releasing;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      queue.clear();
      cancelling = List.copyOf(timers);
      timers.clear();
      unwatching = List.copyOf(watches);
      watches.clear();
      cancelling.forEach(timer -> timer.cancel(false));
      awaitRunningTask();
      releasing = background;
      background = null;
    }
    unwatching.forEach(FileWatcher.Registration::close);
    if (releasing != null) {
      releasing.release();
    }
  }

  /** Called holding the lock, from close(). */
  private void awaitRunningTask() {
    Thread running = runner;
    if (running == null || running == Thread.currentThread()) {
      return; // nothing runs, or the task itself closes its context
    }
    running.interrupt();
    long deadline = System.nanoTime() + closeWait.toNanos();
    try {
      long left;
      while (runner == running && (left = deadline - System.nanoTime()) > 0) {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (runner == running) {
      log.warn("{}: a background task did not end within {} of close(); it ends on its own", name, closeWait);
    }
  }

  @Override
  public String toString() {
    return "Lane[" + name + "]";
  }

  /** A scheduled task or repetition, to cancel. */
  @FunctionalInterface
  public interface Timer {
    /** Cancels it; a run already queued or in progress is not affected. Idempotent. */
    void cancel();
  }
}
