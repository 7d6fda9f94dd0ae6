package dev.mtls.core;

/**
 * A SPIFFE ID ({@code spiffe://trust-domain/path}), parsed and checked.
 * (SKELETON: implemented by the peer-model work.)
 */
public final class SpiffeId {
  private SpiffeId() {}

  /**
   * Parses a SPIFFE ID.
   *
   * @param text such as {@code spiffe://prod.example/ns/web/sa/frontend}
   * @return the ID
   * @throws IllegalArgumentException when it is not a valid SPIFFE ID
   */
  public static SpiffeId parse(String text) {
    throw new UnsupportedOperationException("skeleton");
  }
}
