package dev.mtls.cli.server;

/** Answers requests for one path, after the engine let the peer in. */
@FunctionalInterface
public interface Endpoint {

  /**
   * Answers a request.
   *
   * @param exchange the request and its verified peer
   * @return the answer
   */
  Reply answer(Exchange exchange);
}
