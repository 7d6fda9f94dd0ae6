package dev.mtls.cli.server;

import dev.mtls.core.PeerIdentity;
import java.util.Optional;

/**
 * One request an {@link Endpoint} answers.
 *
 * @param method the HTTP method
 * @param path the request path, decoded by the engine
 * @param peer the verified peer; empty only on exempt paths reached without a certificate
 */
public record Exchange(String method, String path, Optional<PeerIdentity> peer) {}
