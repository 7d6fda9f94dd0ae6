package dev.mtls.cli.server;

import dev.mtls.core.PeerIdentity;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Hands a let-in request to the endpoint of its exact path, the same on every engine. */
final class Dispatch {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatch.class);

  private final ServerSpec spec;

  Dispatch(ServerSpec spec) {
    this.spec = spec;
  }

  /** The answer of the path's endpoint; 404 for a path without one, 500 when it fails. */
  Reply answer(String method, String path, Optional<PeerIdentity> peer) {
    Endpoint endpoint = spec.endpoints().get(path);
    if (endpoint == null) {
      return Problems.notFound();
    }
    try {
      return endpoint.answer(new Exchange(method, path, peer));
    } catch (RuntimeException e) {
      LOG.warn("the endpoint of {} failed", path, e);
      return Problems.internalError();
    }
  }

  /** Whether the path is answered without a certificate. */
  boolean exempt(String path) {
    return spec.exemptPaths().contains(path);
  }
}
