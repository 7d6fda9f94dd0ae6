package dev.mtls.cli.server;

import dev.mtls.core.MtlsContext;
import dev.mtls.core.PeerPolicy;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a CLI server is: a running server context, the peer policy every non-exempt path
 * requires, the paths reachable without a certificate, and the endpoints by exact path.
 *
 * <p>Every engine answers the same: 401 {@code application/problem+json} without a certificate,
 * 403 when the policy refuses the peer (the servlet filter's bodies, and the same from Netty), 404
 * for paths without an endpoint.
 *
 * @param context the server context (its {@code sslContext()} is what the engine holds)
 * @param policy who may call the non-exempt paths
 * @param exemptPaths exact paths answered without a certificate (for example {@code /health})
 * @param endpoints the endpoint of each exact path
 * @param port the port to listen on, 0 for a free one; the server binds to the loopback
 *     address only, as {@link Servers#start} says
 */
public record ServerSpec(
    MtlsContext context,
    PeerPolicy policy,
    Set<String> exemptPaths,
    Map<String, Endpoint> endpoints,
    int port) {

  /** Checks and copies the parts. */
  public ServerSpec {
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(policy, "policy");
    exemptPaths = Set.copyOf(exemptPaths);
    endpoints = Map.copyOf(endpoints);
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is not between 0 and 65535");
    }
  }
}
