package dev.mtls.core.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * Lets at most {@code permits} events through per window and counts the rest, so that a
 * flood of identical failures logs a handful of lines and a count instead of a line each.
 * Lock-free.
 */
public final class RateLimiter {
  private final int permits;
  private final long windowNanos;
  private final LongSupplier nanoTime;
  private final AtomicReference<Window> window;
  private final AtomicLong suppressed = new AtomicLong();

  public RateLimiter(int permits, long windowNanos, LongSupplier nanoTime) {
    if (permits < 1) {
      throw new IllegalArgumentException("permits < 1: " + permits);
    }
    this.permits = permits;
    this.windowNanos = windowNanos;
    this.nanoTime = nanoTime;
    this.window = new AtomicReference<>(new Window(nanoTime.getAsLong(), new AtomicLong()));
  }

  /**
   * Asks to let one event through.
   *
   * @return -1 when the event must be dropped; otherwise how many events were dropped
   *     since the last one let through (usually 0)
   */
  public long tryAcquire() {
    long now = nanoTime.getAsLong();
    Window current = window.get();
    if (now - current.start >= windowNanos) {
      Window fresh = new Window(now, new AtomicLong());
      current = window.compareAndSet(current, fresh) ? fresh : window.get();
    }
    if (current.used.incrementAndGet() > permits) {
      suppressed.incrementAndGet();
      return -1;
    }
    return suppressed.getAndSet(0);
  }

  private record Window(long start, AtomicLong used) {}
}
