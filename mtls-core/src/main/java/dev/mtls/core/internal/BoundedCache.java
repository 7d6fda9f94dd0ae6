package dev.mtls.core.internal;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * A memo of at most {@code capacity} entries for hot paths: reads are lock-free (a hash
 * lookup and, the first time an entry is read since the last sweep, one write of a flag),
 * and once it is full each new entry evicts one entry that was not read recently.
 *
 * <p>Eviction is the CLOCK approximation of least-recently-used: the entries sit on a ring
 * that a hand sweeps; an entry read since the hand last passed gets a second chance, the first
 * one not read is replaced. So the entries in use stay when newcomers stream through, and the
 * memo never empties at once (no cliff where every returning caller pays the full price
 * together). Writes take a lock: they follow a miss, which costs far more than the lock.
 *
 * @param <K> the key; its {@code equals} and {@code hashCode} decide what is the same entry
 * @param <V> the remembered value
 */
public final class BoundedCache<K, V> {
  private static final int FIRST_RING_SIZE = 16;

  private final int capacity;
  private final ConcurrentHashMap<K, Slot<K, V>> entries = new ConcurrentHashMap<>();
  /** The entries in insertion order of their slots; grows up to {@code capacity}. Guarded by this. */
  private @Nullable Slot<K, V>[] ring;
  /** How many slots of the ring are taken. Guarded by this. */
  private int filled;
  /** The next slot the clock hand looks at. Guarded by this. */
  private int hand;

  /**
   * Creates an empty cache. Memory grows with use: a cache that holds few entries costs little.
   *
   * @param capacity the most entries it holds, at least 1
   */
  @SuppressWarnings("unchecked")
  public BoundedCache(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity < 1: " + capacity);
    }
    this.capacity = capacity;
    this.ring = (Slot<K, V>[]) new Slot<?, ?>[Math.min(capacity, FIRST_RING_SIZE)];
  }

  /**
   * The value remembered for a key, marking the entry as recently used.
   *
   * @param key the key
   * @return the value, or {@code null} when there is none (never remembered, or evicted)
   */
  public @Nullable V get(K key) {
    Slot<K, V> slot = entries.get(key);
    if (slot == null) {
      return null;
    }
    if (!slot.used) {
      slot.used = true; // written only when it changes: reads of a hot entry stay reads
    }
    return slot.value;
  }

  /**
   * Remembers a value, replacing the one the key had. When the cache is full and the key is
   * new, one entry not read recently is evicted to make room.
   *
   * @param key the key; it must not change afterwards
   * @param value the value
   */
  public synchronized void put(K key, V value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    Slot<K, V> existing = entries.get(key);
    if (existing != null) {
      existing.value = value;
      existing.used = true;
      return;
    }
    int index;
    if (filled < capacity) {
      if (filled == ring.length) {
        ring = Arrays.copyOf(ring, (int) Math.min(capacity, 2L * ring.length));
      }
      index = filled++;
    } else {
      index = victim();
      entries.remove(ring[index].key);
    }
    Slot<K, V> slot = new Slot<>(key, value);
    ring[index] = slot;
    entries.put(key, slot);
  }

  /** Moves the hand to the first entry not read since it last passed, clearing the marks it passes. */
  private int victim() {
    while (true) {
      Slot<K, V> candidate = ring[hand];
      int index = hand;
      hand = hand + 1 == capacity ? 0 : hand + 1;
      if (candidate.used) {
        candidate.used = false;
      } else {
        return index;
      }
    }
  }

  /**
   * How many entries it holds now.
   *
   * @return the number of entries, at most {@link #capacity()}
   */
  public int size() {
    return entries.size();
  }

  /**
   * The most entries it holds.
   *
   * @return the capacity given at construction
   */
  public int capacity() {
    return capacity;
  }

  private static final class Slot<K, V> {
    final K key;
    volatile V value;
    /** Read since the clock hand last passed. Racy by design: a lost mark costs one early eviction. */
    volatile boolean used;

    Slot(K key, V value) {
      this.key = key;
      this.value = value;
    }
  }
}
