package dev.mtls.core;

import java.util.List;
import java.util.Objects;

/**
 * What {@link MtlsContext#reloadNow()} did to each kind of material.
 *
 * @param outcomes one entry per material the context reloads (identity, trust anchors, CRLs)
 */
public record ReloadResult(List<Outcome> outcomes) {
  /** Copies the outcomes. */
  public ReloadResult {
    outcomes = List.copyOf(outcomes);
  }

  /**
   * Whether any material was swapped.
   *
   * @return {@code true} when something was reloaded
   */
  public boolean reloaded() {
    return outcomes.stream().anyMatch(o -> o.status() == Status.RELOADED);
  }

  /**
   * Whether any material failed to reload (and so stayed as it was).
   *
   * @return {@code true} when something failed
   */
  public boolean failed() {
    return outcomes.stream().anyMatch(o -> o.status() == Status.FAILED);
  }

  /**
   * The outcome for one material.
   *
   * @param material the material
   * @return the outcome
   * @throws IllegalArgumentException when this context does not reload that material
   */
  public Outcome of(Material material) {
    Objects.requireNonNull(material, "material");
    return outcomes.stream().filter(o -> o.material() == material).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no " + material + " in " + outcomes));
  }

  /** What happened to one material. */
  public enum Status {
    /** The files were as before: nothing to do. */
    UNCHANGED,
    /** New material is in use. */
    RELOADED,
    /** The files changed but the new material was refused; the old stays. */
    FAILED
  }

  /**
   * What happened to one material.
   *
   * @param material which material
   * @param status what happened
   * @param detail for a failure the problem; otherwise a short description
   */
  public record Outcome(Material material, Status status, String detail) {
    /** Checks the fields. */
    public Outcome {
      Objects.requireNonNull(material, "material");
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(detail, "detail");
    }
  }
}
