package dev.mtls.benchmarks;

import dev.mtls.core.MtlsContext;
import dev.mtls.core.PeerPolicy;
import dev.mtls.netty.PeerVerificationHandler;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What mtls-netty's {@link PeerVerificationHandler} adds to a connection: a new channel whose
 * pipeline holds an {@link SslHandler} over a server engine that finished a real mutual
 * handshake (in memory, with the library's context) and sees the handshake's success event.
 *
 * <ul>
 *   <li>{@code baseline_connection}: the channel with the {@code SslHandler} alone.
 *   <li>{@code mtls_connection}: the same with the handler behind it, which judges the session
 *       (the verdict the trust manager cached during the handshake), puts the peer on the
 *       channel, fires its own event and leaves the pipeline.
 * </ul>
 *
 * <p>The difference of the two is the handler's cost per connection; both pay for the channel.
 * The handshake itself is not measured (HandshakeBenchmark and NettyHandshakeBenchmark do).
 *
 * <pre>
 * java -jar mtls-benchmarks/target/benchmarks.jar NettyVerificationHandlerBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 2, time = 1)
@Fork(1)
public class NettyVerificationHandlerBenchmark {
  private MtlsContext context;
  private MtlsContext client;
  private SSLEngine handshaken;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    TestCa root = TestCa.create();
    IssuedCertificate peer = root.client("ingester");
    IssuedCertificate server = root.server("localhost");
    context = BenchContexts.server(root, server).peerPolicy(PeerPolicy.anyTrustedPeer()).build();
    client = BenchContexts.client(root, peer);
    handshaken = context.newEngine();
    EnginePair.handshake(client.newEngine("localhost", 8443), handshaken, ByteBuffer.allocate(1 << 17),
        ByteBuffer.allocate(1 << 17), ByteBuffer.allocate(1 << 17));
    if (PeerVerificationHandler.peerIdentity(mtls_connection()).isEmpty()) {
      throw new IllegalStateException("the handler did not verify the benchmark peer");
    }
  }

  @Benchmark
  public EmbeddedChannel baseline_connection() {
    EmbeddedChannel channel = new EmbeddedChannel(new SslHandler(handshaken));
    channel.pipeline().fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);
    return channel;
  }

  @Benchmark
  public EmbeddedChannel mtls_connection() {
    EmbeddedChannel channel = new EmbeddedChannel(new SslHandler(handshaken), new PeerVerificationHandler(context));
    channel.pipeline().fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);
    return channel;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    context.close();
    client.close();
  }
}
