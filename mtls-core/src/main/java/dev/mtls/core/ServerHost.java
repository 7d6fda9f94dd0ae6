package dev.mtls.core;

import org.jspecify.annotations.Nullable;

/**
 * What the verifier knows of the host a client connected to.
 *
 * @param checked whether the host is known to the check at all: {@code false} after the
 *     handshake without a host, where only what holds for every host is checked
 * @param name the host, or {@code null} when the connection had none
 * @param endpointIdentification whether the engine or socket asked for endpoint
 *     identification
 */
record ServerHost(boolean checked, @Nullable String name, boolean endpointIdentification) {
  /** After the handshake, no host given: only what does not depend on the host. */
  static final ServerHost NOT_CHECKED = new ServerHost(false, null, false);

  /** In the handshake. */
  static ServerHost handshake(@Nullable String name, boolean endpointIdentification) {
    return new ServerHost(true, name == null || name.isEmpty() ? null : name, endpointIdentification);
  }

  /** After the handshake, for a host the caller names. */
  static ServerHost given(String name) {
    return new ServerHost(true, name, false);
  }
}
