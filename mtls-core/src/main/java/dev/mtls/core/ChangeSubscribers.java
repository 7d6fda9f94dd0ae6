package dev.mtls.core;

import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subscribers to one context's changes, and their delivery: off the thread that made
 * the change (a reload, a CRL refresh, a handshake that noticed a CRL turn stale), in order,
 * one change at a time per context. A subscriber that throws is logged and the others still
 * hear of the change; one that blocks holds up only the later changes of its own context,
 * never a reload, a renewal or a handshake.
 *
 * <p>Delivery runs on daemon threads named {@code mtls-changes-N}, shared by the contexts of
 * the JVM, started when a change is to be delivered and ended after 30 idle seconds; not on
 * the shared reload scheduler, which a blocked subscriber must not hold up.
 */
final class ChangeSubscribers {
  private static final Logger log = LoggerFactory.getLogger(MtlsContext.class);
  private static final AtomicInteger THREADS = new AtomicInteger();
  private static final ThreadPoolExecutor DELIVERY = new ThreadPoolExecutor(0, Integer.MAX_VALUE,
      30, TimeUnit.SECONDS, new SynchronousQueue<>(), runnable -> {
        Thread thread = new Thread(runnable, "mtls-changes-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
        return thread;
      });

  private final String context;
  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
  private final Queue<ContextChange> pending = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean delivering = new AtomicBoolean();
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
    schedule();
  }

  void close() {
    closed = true;
    subscribers.clear();
    pending.clear();
  }

  private void schedule() {
    if (!delivering.compareAndSet(false, true)) {
      return; // the running delivery picks the change up
    }
    try {
      DELIVERY.execute(this::deliver);
    } catch (RejectedExecutionException | OutOfMemoryError e) {
      delivering.set(false);
      log.error("cannot deliver the changes of {} to its subscribers: {}", context, e.toString());
    }
  }

  private void deliver() {
    try {
      ContextChange change;
      while ((change = pending.poll()) != null) {
        for (Subscriber subscriber : subscribers) {
          subscriber.hear(change);
        }
      }
    } finally {
      delivering.set(false);
      if (!pending.isEmpty() && !closed) {
        schedule();
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
