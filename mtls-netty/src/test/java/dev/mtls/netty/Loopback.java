package dev.mtls.netty;

import dev.mtls.core.IdentitySource;
import dev.mtls.core.MtlsContext;
import dev.mtls.core.ServerContextBuilder;
import dev.mtls.core.TlsPolicy;
import dev.mtls.core.TrustSource;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import java.util.List;

/** A scenario's server side (a core context, its Netty server, what it reports) and its clients. */
final class Loopback implements AutoCloseable {
  final RecordingListener serverEvents = new RecordingListener();
  MtlsContext server;
  NettyServer netty;
  NettyClient clients;

  /** Builds the server context with the recording listener and starts its Netty server. */
  void start(Stack stack, ServerContextBuilder builder) throws InterruptedException {
    stack.assumeAvailable();
    server = builder.listener(serverEvents).build();
    netty = new NettyServer(stack, server);
    clients = new NettyClient(stack);
  }

  /** A client context presenting an identity and trusting one CA. */
  static MtlsContext client(TestCa trusted, IssuedCertificate identity, TlsPolicy policy) {
    return MtlsContext.forClient()
        .identity(IdentitySource.of(identity.privateKey(), identity.chain()))
        .trust(TrustSource.of(List.of(trusted.certificate())))
        .tlsPolicy(policy)
        .build();
  }

  /** The identity of a server for {@code localhost}. */
  static IdentitySource serverIdentity(TestCa ca) {
    IssuedCertificate identity = ca.server("localhost");
    return IdentitySource.of(identity.privateKey(), identity.chain());
  }

  /** Stops what {@link #start} started; a scenario may start again after it. */
  @Override
  public void close() {
    if (clients != null) {
      clients.close();
      clients = null;
    }
    if (netty != null) {
      netty.close();
      netty = null;
    }
    if (server != null) {
      server.close();
      server = null;
    }
  }
}
