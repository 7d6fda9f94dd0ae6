package dev.mtls.cli.serve;

import dev.mtls.cli.describe.CertificateDetails;
import dev.mtls.cli.server.Endpoint;
import dev.mtls.cli.server.Exchange;
import dev.mtls.cli.server.Reply;
import dev.mtls.core.PeerIdentity;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.security.auth.x500.X500Principal;

/** What {@code serve} answers: {@code /health} (exempt), {@code /whoami}, {@code /certificate-info}, {@code /metrics}. */
final class ServeEndpoints {
  static final String HEALTH = "/health";
  static final Set<String> EXEMPT = Set.of(HEALTH);
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4";

  private ServeEndpoints() {}

  static Map<String, Endpoint> of(PrometheusMeterRegistry registry, Clock clock) {
    return Map.of(
        HEALTH, getOnly(exchange -> Reply.json(200, Map.of("status", "ok"))),
        "/whoami", getOnly(exchange -> Reply.json(200, identity(peer(exchange)))),
        "/certificate-info", getOnly(exchange -> Reply.json(200, chain(peer(exchange), clock))),
        "/metrics", getOnly(exchange -> new Reply(200, PROMETHEUS_TEXT, registry.scrape())));
  }

  /** The peer's identity: the names a policy can allow, and what says which certificate it is. */
  static Map<String, Object> identity(PeerIdentity peer) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("commonName", peer.commonName().orElse(null));
    fields.put("dnsNames", peer.dnsNames());
    fields.put("ipAddresses", peer.ipAddresses());
    fields.put("uris", peer.uris().stream().map(Object::toString).toList());
    fields.put("emails", peer.emails());
    fields.put("spiffeId", peer.spiffeId().map(Object::toString).orElse(null));
    fields.put("subject", peer.subject().getName(X500Principal.RFC2253));
    fields.put("issuer", peer.issuer().getName(X500Principal.RFC2253));
    fields.put("serial", peer.serialNumber().toString(16));
    fields.put("notBefore", peer.notBefore().toString());
    fields.put("notAfter", peer.notAfter().toString());
    fields.put("sha256Fingerprint", peer.sha256Fingerprint());
    return fields;
  }

  /** Every certificate of the chain the peer presented, leaf first, described field by field. */
  static Map<String, Object> chain(PeerIdentity peer, Clock clock) {
    List<Map<String, Object>> chain = new ArrayList<>();
    for (X509Certificate certificate : peer.chain()) {
      chain.add(CertificateDetails.of(certificate, clock.instant()));
    }
    return Map.of("chain", chain);
  }

  private static PeerIdentity peer(Exchange exchange) {
    // Only exempt paths are reached without a verified peer, and these are not exempt.
    return exchange.peer().orElseThrow(() -> new IllegalStateException(exchange.path() + " reached without a peer"));
  }

  private static Endpoint getOnly(Endpoint endpoint) {
    return exchange -> exchange.method().equals("GET") ? endpoint.answer(exchange) : methodNotAllowed();
  }

  private static Reply methodNotAllowed() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "about:blank");
    body.put("title", "Method Not Allowed");
    body.put("status", 405);
    body.put("detail", "only GET is answered here");
    return new Reply(405, "application/problem+json", dev.mtls.cli.text.Json.write(body) + "\n");
  }
}
