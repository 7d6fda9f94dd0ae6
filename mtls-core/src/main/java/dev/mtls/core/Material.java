package dev.mtls.core;

/**
 * A kind of material a context loads from its files and reloads while it runs: what a
 * {@link ReloadResult.Outcome}, a {@link MtlsListener.Reloaded} or a {@link
 * MtlsListener.ReloadFailed} is about.
 *
 * <pre>{@code
 * ReloadResult result = context.reloadNow();
 * if (result.of(Material.IDENTITY).status() == ReloadResult.Status.FAILED) { ... }
 * }</pre>
 */
public enum Material {
  /** The context's own certificate chain and private key. */
  IDENTITY("identity"),
  /** The certificates the context checks its peers against. */
  TRUST_ANCHORS("trust anchors"),
  /** Certificate revocation lists read from files. */
  CRL("CRL");

  private final String words;

  Material(String words) {
    this.words = words;
  }

  /**
   * The material in words, as log lines and messages name it.
   *
   * @return {@code "identity"}, {@code "trust anchors"} or {@code "CRL"}
   */
  @Override
  public String toString() {
    return words;
  }
}
