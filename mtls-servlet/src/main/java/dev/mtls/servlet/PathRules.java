package dev.mtls.servlet;

import dev.mtls.core.PeerVerifier;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The filter's path rules, checked once when built: exempt paths, paths with a peer policy of
 * their own, and the verifier for every other path. No two patterns match a common path, so
 * the order they were given in never matters and no rule hides behind another.
 */
final class PathRules {
  /** One pattern and what applies under it: no verifier for an exempt path. */
  record Entry(PathPattern pattern, @Nullable PeerVerifier verifier, String description) {
    boolean exempt() {
      return verifier == null;
    }
  }

  private final Entry[] entries;
  private final PeerVerifier otherPaths;

  private PathRules(List<Entry> entries, PeerVerifier otherPaths) {
    this.entries = entries.toArray(new Entry[0]);
    this.otherPaths = otherPaths;
  }

  /**
   * Checks and keeps the rules.
   *
   * @throws IllegalArgumentException when two patterns match a common path, naming both and
   *     that path
   */
  static PathRules of(List<Entry> entries, PeerVerifier otherPaths) {
    for (int i = 0; i < entries.size(); i++) {
      for (int j = i + 1; j < entries.size(); j++) {
        Entry first = entries.get(i);
        Entry second = entries.get(j);
        String shared = first.pattern().sharedPath(second.pattern());
        if (shared != null) {
          throw new IllegalArgumentException("path rules overlap: " + first.description() + " and "
              + second.description() + " both match " + Json.quote(shared)
              + ", so one of them would decide for the other's paths; give each path one rule");
        }
      }
    }
    return new PathRules(new ArrayList<>(entries), otherPaths);
  }

  /** The entry whose pattern matches the path, or {@code null} for the other paths. */
  @Nullable Entry find(String path) {
    for (Entry entry : entries) {
      if (entry.pattern().matches(path)) {
        return entry;
      }
    }
    return null;
  }

  PeerVerifier otherPaths() {
    return otherPaths;
  }
}
