package dev.mtls.cli.server;

import dev.mtls.core.PeerIdentity;
import java.util.Optional;

/**
 * One request an {@link Endpoint} answers.
 *
 * @param method the HTTP method
 * @param path the request path, decoded by the engine
 * @param peer the peer the engine verified and the policy allowed; empty on exempt paths, which are
 *     answered without judging any certificate
 */
public record Exchange(String method, String path, Optional<PeerIdentity> peer) {}
