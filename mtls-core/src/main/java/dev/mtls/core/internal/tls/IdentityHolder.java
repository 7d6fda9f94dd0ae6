package dev.mtls.core.internal.tls;

import dev.mtls.core.internal.material.IdentityMaterial;

import dev.mtls.core.IdentityRequirement;
import dev.mtls.core.Subscription;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The current identity of a context, as one immutable snapshot behind a {@code volatile}
 * reference. A swap is one reference write: handshakes never lock. Each snapshot has its
 * own key-manager alias, and the previous snapshot stays reachable by its alias, so a
 * handshake that chose its alias just before a swap still gets the key and chain that
 * belong together.
 */
public final class IdentityHolder {
  private static final AtomicLong GENERATIONS = new AtomicLong();

  private volatile Snapshot current;
  private final List<IdentityRequirement> requirements = new CopyOnWriteArrayList<>();

  /**
   * Creates the holder with its first identity.
   *
   * @param initial the loaded and checked identity
   */
  public IdentityHolder(IdentityMaterial initial) {
    this.current = new Snapshot(initial, alias(), null);
  }

  /**
   * The identity in use now.
   *
   * @return the current material
   */
  public IdentityMaterial current() {
    return current.material;
  }

  /**
   * The alias under which the current identity is handed to the TLS provider.
   *
   * @return the alias
   */
  public String currentAlias() {
    return current.alias;
  }

  /**
   * Replaces the identity; handshakes from now on use the new one.
   *
   * @param replacement loaded and checked material
   * @return the material it replaced
   */
  public IdentityMaterial swap(IdentityMaterial replacement) {
    Objects.requireNonNull(replacement, "replacement");
    Snapshot old = current;
    // The previous snapshot keeps no predecessor of its own: two generations are enough.
    current = new Snapshot(replacement, alias(), new Snapshot(old.material, old.alias, null));
    return old.material;
  }

  /**
   * The identity an alias stands for: the current one or the one just before it.
   *
   * @param alias an alias handed out by {@link #currentAlias()}
   * @return the material, or {@code null} when the alias is unknown or too old
   */
  public @Nullable IdentityMaterial forAlias(@Nullable String alias) {
    Snapshot snapshot = current;
    if (snapshot.alias.equals(alias)) {
      return snapshot.material;
    }
    Snapshot previous = snapshot.previous;
    return previous != null && previous.alias.equals(alias) ? previous.material : null;
  }

  /**
   * Adds a condition that identities must meet before they are swapped in.
   *
   * @param requirement the condition
   * @return the subscription that removes it
   */
  public Subscription require(IdentityRequirement requirement) {
    requirements.add(Objects.requireNonNull(requirement, "requirement"));
    return () -> requirements.remove(requirement);
  }

  /**
   * The conditions added with {@link #require}.
   *
   * @return the requirements, in the order added
   */
  public List<IdentityRequirement> requirements() {
    return List.copyOf(requirements);
  }

  private static String alias() {
    return "mtls-identity-" + GENERATIONS.incrementAndGet();
  }

  private record Snapshot(IdentityMaterial material, String alias, @Nullable Snapshot previous) {}
}
