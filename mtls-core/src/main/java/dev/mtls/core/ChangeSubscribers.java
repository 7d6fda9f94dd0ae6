package dev.mtls.core;

import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subscribers to one context's changes, and their delivery: off the thread that made
 * the change (a reload, a CRL refresh, a handshake that noticed a CRL turn stale), in order,
 * one change at a time. A subscriber that throws is logged and the others still hear of the
 * change; one that blocks holds up only the later changes of its own context, never a
 * reload, a renewal or a handshake. Publishing is lock-free.
 *
 * <p>Changes are delivered on a daemon thread of the context's own, named
 * {@code mtls-changes-N}, started when a change is to be delivered and ended once every
 * pending change was heard: changes are rare, and the shared background threads must not be
 * held up by a subscriber that blocks. {@link #close()} interrupts a delivery in progress and
 * waits for it, at most a second.
 */
final class ChangeSubscribers {
  private static final Logger log = LoggerFactory.getLogger(MtlsContext.class);
  private static final AtomicInteger THREADS = new AtomicInteger();
  private static final long CLOSE_WAIT_MILLIS = 1000;

  private final String context;
  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
  private final Queue<ContextChange> pending = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean delivering = new AtomicBoolean();
  private volatile @Nullable Thread deliverer;
  private volatile boolean closed;

  ChangeSubscribers(String context) {
    this.context = context;
  }

  Subscription subscribe(Consumer<ContextChange> listener) {
    Objects.requireNonNull(listener, "listener");
    Subscriber subscriber = new Subscriber(listener);
    if (!closed) {
      subscribers.add(subscriber);
    }
    return subscriber;
  }

  /** Queues a change for the subscribers; returns at once. Never throws. */
  void publish(ContextChange change) {
    if (closed || subscribers.isEmpty()) {
      return;
    }
    pending.add(change);
    if (delivering.compareAndSet(false, true)) {
      start();
    }
  }

  /** Ends the subscriptions; a delivery in progress is interrupted and waited for, briefly. */
  void close() {
    closed = true;
    subscribers.clear();
    pending.clear();
    Thread thread = deliverer;
    if (thread == null || thread == Thread.currentThread()) {
      return;
    }
    thread.interrupt();
    try {
      thread.join(CLOSE_WAIT_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      log.warn("a change subscriber of {} still runs after close(), on {}", context, thread.getName());
    }
  }

  private void start() {
    Thread thread = new Thread(this::deliver, "mtls-changes-" + THREADS.incrementAndGet());
    thread.setDaemon(true);
    deliverer = thread;
    try {
      thread.start();
    } catch (OutOfMemoryError | IllegalThreadStateException e) {
      deliverer = null;
      delivering.set(false);
      log.error("cannot deliver the changes of {} to its subscribers: {}", context, e.toString());
    }
  }

  private void deliver() {
    while (true) {
      ContextChange change;
      while (!closed && (change = pending.poll()) != null) {
        for (Subscriber subscriber : subscribers) {
          subscriber.hear(change);
        }
      }
      delivering.set(false);
      // A change published after the last poll but before the flag was cleared is ours.
      if (closed || pending.isEmpty() || !delivering.compareAndSet(false, true)) {
        return;
      }
    }
  }

  private final class Subscriber implements Subscription {
    private final Consumer<ContextChange> listener;
    private volatile boolean active = true;

    Subscriber(Consumer<ContextChange> listener) {
      this.listener = listener;
    }

    void hear(ContextChange change) {
      if (!active) {
        return;
      }
      try {
        listener.accept(change);
      } catch (RuntimeException e) {
        log.warn("a change subscriber of {} failed on {}: {}", context, change, e.toString(), e);
      }
    }

    @Override
    public void close() {
      active = false;
      subscribers.remove(this);
    }

    @Override
    public String toString() {
      return "Subscription{" + context + ", " + (active ? "active" : "closed") + "}";
    }
  }
}
