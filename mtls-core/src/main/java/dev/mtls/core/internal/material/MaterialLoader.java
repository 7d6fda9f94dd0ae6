package dev.mtls.core.internal.material;

import dev.mtls.core.MaterialLimits;
import dev.mtls.core.MtlsLoadException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads one kind of material from its source, afresh on every call, and checks it.
 *
 * @param <T> the material loaded
 */
public interface MaterialLoader<T> {
  /**
   * Reads and checks the material now.
   *
   * @return the material
   * @throws MtlsLoadException naming the file and the problem
   */
  T load();

  /**
   * The files this loader reads, for change detection; empty for in-memory material.
   *
   * @return the files
   */
  List<Path> files();

  /**
   * Where the material comes from, for messages: file names, never content.
   *
   * @return a short description
   */
  String describe();

  /**
   * The same loader with other limits on what it reads. Every loader that reads files
   * overrides this; the default, for loaders that read nothing, is this loader.
   *
   * @param limits the limits
   * @return a loader reading the same files within {@code limits}
   */
  default MaterialLoader<T> withLimits(MaterialLimits limits) {
    return this;
  }
}
