package dev.mtls.core.internal.validation;

import dev.mtls.core.internal.material.TrustMaterial;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * The current trust anchors of a context, as one immutable {@link ChainValidator} behind a
 * {@code volatile} reference: a swap is one reference write, and the new validator starts
 * with an empty memory of validated chains.
 */
public final class TrustHolder {
  private final ChainProfile profile;
  private volatile ChainValidator current;

  /**
   * Creates the holder with its first anchors.
   *
   * @param initial the loaded trust anchors
   * @param profile what the context asks of its peers' chains, kept across swaps
   */
  public TrustHolder(TrustMaterial initial, ChainProfile profile) {
    this.profile = Objects.requireNonNull(profile, "profile");
    this.current = new ChainValidator(initial, profile);
  }

  /**
   * The validator for the anchors in use now. A caller that needs a consistent view reads
   * this once and uses the result throughout.
   *
   * @return the current validator
   */
  public ChainValidator validator() {
    return current;
  }

  /**
   * The anchors in use now.
   *
   * @return the anchor certificates
   */
  public List<X509Certificate> anchors() {
    return current.trust().anchors();
  }

  /**
   * Replaces the anchors.
   *
   * @param replacement the new anchors
   * @return the anchors replaced
   */
  public TrustMaterial swap(TrustMaterial replacement) {
    Objects.requireNonNull(replacement, "replacement");
    ChainValidator old = current;
    current = new ChainValidator(replacement, profile);
    return old.trust();
  }
}
