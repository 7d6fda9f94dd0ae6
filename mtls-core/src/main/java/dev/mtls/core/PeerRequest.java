package dev.mtls.core;

import java.util.Objects;

/**
 * The request a peer made, as an adapter saw it: where it came from and what it asked for.
 * Adapters that judge peers per request (the servlet filter) give it to {@link
 * PeerVerifier#verify(byte[], java.util.List, PeerRequest)}, so that a refusal reported to the
 * listeners ({@link MtlsListener.PeerRejected#request()}) says which client asked for what.
 *
 * <p>Both texts come from outside: they are escaped and bounded here, once, so a listener may
 * log them as they are.
 *
 * <pre>{@code
 * PeerRequest request = new PeerRequest(servletRequest.getRemoteAddr() + ":" + servletRequest.getRemotePort(), path);
 * }</pre>
 *
 * @param remoteAddress the peer's address, such as {@code 192.0.2.7:51234}
 * @param path the path asked for, as the adapter matched it (decoded and normalised)
 */
public record PeerRequest(String remoteAddress, String path) {
  /** Checks the fields, and escapes and bounds them (control characters escaped, long text cut). */
  public PeerRequest {
    remoteAddress = SafeText.printable(Objects.requireNonNull(remoteAddress, "remoteAddress"));
    path = SafeText.printable(Objects.requireNonNull(path, "path"));
  }

  @Override
  public String toString() {
    return path + " from " + remoteAddress;
  }
}
