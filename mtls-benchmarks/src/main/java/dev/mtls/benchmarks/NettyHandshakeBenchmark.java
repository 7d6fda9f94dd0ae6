package dev.mtls.benchmarks;

import dev.mtls.core.ClientAuth;
import dev.mtls.core.IdentitySource;
import dev.mtls.core.MtlsContext;
import dev.mtls.core.PeerPolicy;
import dev.mtls.core.TrustSource;
import dev.mtls.netty.MtlsChannelInitializer;
import dev.mtls.netty.MtlsSslContexts;
import dev.mtls.netty.PeerVerificationHandler;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Full TLS 1.3 mutual handshakes per second through Netty's {@code SslHandler}, on the JDK and
 * OpenSSL (BoringSSL) providers: a server pipeline and a client pipeline in two
 * {@link EmbeddedChannel}s, their bytes passed between them in one thread, delegated tasks
 * run inline; EC P-256 certificates from one test CA. Every operation makes both pipelines
 * and completes a full handshake: the clients make engines without a peer host, so they
 * never offer a session to resume.
 *
 * <ul>
 *   <li>{@code server=baseline}: Netty's own {@code SslContextBuilder.forServer(key,
 *       chain).trustManager(caCertificate)}, client auth required, TLS 1.3.
 *   <li>{@code server=mtls}: {@link MtlsSslContexts#forServer} over a core context (reloading
 *       key and trust managers, the peer policy in the handshake), SslHandler only.
 *   <li>{@code server=mtlsVerified}: the pipeline of {@link MtlsChannelInitializer}: the
 *       same, plus the {@link PeerVerificationHandler}, which asks the core verifier about
 *       every session after the handshake.
 * </ul>
 *
 * <p>{@code clients} is how many distinct client certificates take turns, each with a client
 * context of its own: with 2,000, every handshake brings a chain the server saw 2,000
 * handshakes ago (the core's validated-chain memory holds 10,000). Compare the variants
 * within one run, as ratios to {@code baseline} of the same provider and clients; the OpenSSL rows against
 * {@code provider=JDK, server=baseline} (a hand-built SunJSSE server through Netty) are what the
 * provider gains.
 *
 * <pre>
 * mtls-benchmarks/run NettyHandshakeBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class NettyHandshakeBenchmark {
  private static final int MAX_ROUNDS = 100;

  /** The TLS implementation on both sides. */
  @Param({"JDK", "OPENSSL"})
  public String provider;

  /** The server's SslContext and pipeline: Netty's own, the library's, the library's with its handler. */
  @Param({"baseline", "mtls", "mtlsVerified"})
  public String server;

  /** How many distinct client certificates take turns. */
  @Param({"1", "2000"})
  public int clients;

  private MtlsContext mtlsServer;
  private ChannelHandler serverPipeline;
  private SslContext[] clientContexts;
  private int next;

  /** Issues the certificates, builds the contexts, and checks that one handshake succeeds. */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    SslProvider ssl = SslProvider.valueOf(provider);
    if (!MtlsSslContexts.isAvailable(ssl)) {
      throw new IllegalStateException(provider + " is not available: " + MtlsSslContexts.unavailabilityCause(ssl));
    }
    TestCa ca = TestCa.create();
    IssuedCertificate identity = ca.server("localhost");
    mtlsServer = MtlsContext.forServer()
        .identity(IdentitySource.of(identity.privateKey(), identity.chain()))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .clientAuth(ClientAuth.REQUIRED)
        .peerPolicy(PeerPolicy.builder().allowCommonNames("*.bench").build())
        .logging(false)
        .build();
    serverPipeline = switch (server) {
      case "baseline" -> sslOnly(SslContextBuilder.forServer(identity.privateKey(), identity.chain())
          .trustManager(ca.certificate()).clientAuth(io.netty.handler.ssl.ClientAuth.REQUIRE)
          .protocols("TLSv1.3").sslProvider(ssl).build());
      case "mtls" -> sslOnly(MtlsSslContexts.forServer(mtlsServer, ssl));
      case "mtlsVerified" -> MtlsChannelInitializer.forServer(mtlsServer, MtlsSslContexts.forServer(mtlsServer, ssl),
          pipeline -> { });
      default -> throw new IllegalArgumentException("server must be baseline, mtls or mtlsVerified: " + server);
    };
    clientContexts = new SslContext[clients];
    for (int i = 0; i < clients; i++) {
      IssuedCertificate client = ca.client("c" + i + ".bench");
      clientContexts[i] = SslContextBuilder.forClient().sslProvider(ssl)
          .keyManager(client.privateKey(), client.chain()).trustManager(ca.certificate())
          .protocols("TLSv1.3").endpointIdentificationAlgorithm(null).build();
    }
    if (!handshake()) {
      throw new IllegalStateException("the first handshake of " + provider + "/" + server + " failed");
    }
  }

  /** Closes the core context. */
  @TearDown(Level.Trial)
  public void tearDown() {
    mtlsServer.close();
  }

  /**
   * One full mutual handshake, with the next client certificate.
   *
   * @return whether both sides completed it (and, with the handler, the server verified the peer)
   * @throws SSLException never: a failed handshake returns {@code false}
   */
  @Benchmark
  public boolean handshake() throws SSLException {
    SslContext client = clientContexts[next];
    next = (next + 1) % clientContexts.length;
    EmbeddedChannel serverChannel = new EmbeddedChannel(serverPipeline);
    EmbeddedChannel clientChannel = new EmbeddedChannel(client.newHandler(ByteBufAllocator.DEFAULT));
    try {
      SslHandler clientSsl = clientChannel.pipeline().get(SslHandler.class);
      SslHandler serverSsl = serverChannel.pipeline().get(SslHandler.class);
      for (int round = 0; round < MAX_ROUNDS && !(clientSsl.handshakeFuture().isDone()
          && serverSsl.handshakeFuture().isDone()); round++) {
        boolean moved = pass(clientChannel, serverChannel) | pass(serverChannel, clientChannel);
        if (!moved) {
          break;
        }
      }
      boolean done = clientSsl.handshakeFuture().isSuccess() && serverSsl.handshakeFuture().isSuccess();
      return done && (!server.equals("mtlsVerified")
          || PeerVerificationHandler.peerIdentity(serverChannel).isPresent());
    } finally {
      clientChannel.finishAndReleaseAll();
      serverChannel.finishAndReleaseAll();
    }
  }

  private static boolean pass(EmbeddedChannel from, EmbeddedChannel to) {
    boolean moved = false;
    ByteBuf bytes;
    while ((bytes = from.readOutbound()) != null) {
      to.writeInbound(bytes);
      moved = true;
    }
    return moved;
  }

  private static ChannelHandler sslOnly(SslContext context) {
    return new ChannelInitializer<EmbeddedChannel>() {
      @Override
      protected void initChannel(EmbeddedChannel channel) {
        channel.pipeline().addLast(context.newHandler(channel.alloc()));
      }
    };
  }
}
