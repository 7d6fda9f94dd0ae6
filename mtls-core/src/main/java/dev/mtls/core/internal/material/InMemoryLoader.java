package dev.mtls.core.internal.material;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A loader for material given in memory: checked once when it was given, the same on every
 * call, and with no files to watch.
 *
 * @param <T> the material
 */
public final class InMemoryLoader<T> implements MaterialLoader<T> {
  private final T material;
  private final String description;

  /**
   * Creates a loader.
   *
   * @param material the checked material
   * @param description what it is, for messages, such as {@code "in-memory identity CN=x"}
   */
  public InMemoryLoader(T material, String description) {
    this.material = Objects.requireNonNull(material, "material");
    this.description = Objects.requireNonNull(description, "description");
  }

  @Override
  public T load() {
    return material;
  }

  @Override
  public List<Path> files() {
    return List.of();
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public String toString() {
    return description;
  }
}
