package dev.mtls.cli.demo;

import dev.mtls.cli.server.Engine;
import dev.mtls.cli.server.Exchange;
import dev.mtls.cli.server.Reply;
import dev.mtls.cli.server.RunningServer;
import dev.mtls.cli.server.ServerSpec;
import dev.mtls.cli.server.Servers;
import dev.mtls.core.ClientAuth;
import dev.mtls.core.IdentitySource;
import dev.mtls.core.MtlsContext;
import dev.mtls.core.PeerIdentity;
import dev.mtls.core.PeerPolicy;
import dev.mtls.core.ReloadPolicy;
import dev.mtls.core.ReloadResult;
import dev.mtls.core.Revocation;
import dev.mtls.core.TlsPolicy;
import dev.mtls.core.TrustSource;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The demo's mTLS HTTPS server, as a user of the library sets one up: a server context from PEM
 * files (TLS 1.3 only, the demo CA trusted, its CRL checked, only client {@code CN=orders}
 * allowed) on the engine asked for, with {@code /health} open to all and {@code /hello}
 * answering the caller's name. Reloading is left to {@link #reload()}, so the tour decides when
 * the rotated certificate is picked up.
 */
final class DemoServer implements AutoCloseable {
  /** The path the tour calls. */
  static final String HELLO = "/hello";

  /** The bound of every handshake on the server, as of every client of the tour. */
  static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);

  final ServerVerdicts verdicts;
  final MtlsContext context;
  private final RunningServer running;

  private DemoServer(MtlsContext context, RunningServer running, ServerVerdicts verdicts) {
    this.context = context;
    this.running = running;
    this.verdicts = verdicts;
  }

  static DemoServer start(Engine engine, DemoPki pki) {
    ServerVerdicts verdicts = new ServerVerdicts();
    PeerPolicy policy = PeerPolicy.builder().allowCommonNames(DemoPki.ALLOWED).build();
    MtlsContext context = MtlsContext.forServer()
        .identity(IdentitySource.pemFiles(pki.server.chain(), pki.server.privateKey()))
        .trust(TrustSource.of(List.of(pki.ca.certificate())))
        .revocation(Revocation.crls().file(pki.crl).build())
        .tlsPolicy(TlsPolicy.MODERN)
        .clientAuth(ClientAuth.OPTIONAL)
        .peerPolicy(policy)
        .peerPolicyInHandshake(false)
        .handshakeTimeout(HANDSHAKE_TIMEOUT)
        .reload(ReloadPolicy.disabled())
        .listener(verdicts)
        .logging(false)
        .build();
    try {
      RunningServer running = Servers.start(engine, new ServerSpec(context, policy, Set.of("/health"),
          Map.of(HELLO, DemoServer::hello, "/health", exchange -> Reply.json(200, Map.of("status", "ok"))), 0));
      return new DemoServer(context, running, verdicts);
    } catch (RuntimeException e) {
      context.close();
      throw e;
    }
  }

  private static Reply hello(Exchange exchange) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("hello", exchange.peer().flatMap(PeerIdentity::commonName).orElse("stranger"));
    return Reply.json(200, body);
  }

  /** Where {@link #HELLO} is, on {@code localhost}. */
  URI hello() {
    return running.uri().resolve(HELLO);
  }

  /** Which engine serves. */
  Engine engine() {
    return running.engine();
  }

  /** Picks up the files on disk now, as a file watcher would. */
  ReloadResult reload() {
    return context.reloadNow();
  }

  @Override
  public void close() {
    try {
      running.close();
    } finally {
      context.close();
    }
  }
}
