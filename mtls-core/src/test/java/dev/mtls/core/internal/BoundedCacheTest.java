package dev.mtls.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BoundedCacheTest {

  @Test
  void holdsNoMoreThanItsCapacity_evictingOneEntryPerNewcomer() {
    BoundedCache<Integer, String> cache = new BoundedCache<>(100);
    for (int i = 0; i < 100; i++) {
      cache.put(i, "v" + i);
    }
    assertThat(cache.size()).isEqualTo(100);

    cache.put(100, "v100");

    assertThat(cache.size()).isEqualTo(100);
    assertThat(cache.get(100)).isEqualTo("v100");
    long left = java.util.stream.IntStream.range(0, 100).filter(i -> cache.get(i) != null).count();
    assertThat(left).as("one entry made room, not all").isEqualTo(99);
  }

  @Test
  void entriesInUse_stay_whileManyMoreNewcomersPassThrough() {
    BoundedCache<Integer, String> cache = new BoundedCache<>(1_000);
    for (int regular = 0; regular < 100; regular++) {
      cache.put(regular, "regular " + regular);
    }

    for (int newcomer = 1_000_000; newcomer < 1_050_000; newcomer++) {
      cache.put(newcomer, "once");
      if (newcomer % 500 == 0) {
        for (int regular = 0; regular < 100; regular++) {
          assertThat(cache.get(regular)).isEqualTo("regular " + regular);
        }
      }
    }

    assertThat(cache.size()).isEqualTo(1_000);
    assertThat(cache.get(1_049_999)).as("the latest newcomer").isEqualTo("once");
  }

  @Test
  void put_replacesTheValueOfAKnownKey_withoutGrowing() {
    BoundedCache<String, Integer> cache = new BoundedCache<>(2);
    cache.put("a", 1);
    cache.put("a", 2);

    assertThat(cache.get("a")).isEqualTo(2);
    assertThat(cache.size()).isEqualTo(1);
  }

  @Test
  void capacityBelowOne_isRefused() {
    assertThatThrownBy(() -> new BoundedCache<>(0)).hasMessage("capacity < 1: 0");
  }
}
