package dev.mtls.cli.server;

import dev.mtls.core.MtlsContext;
import dev.mtls.netty.MtlsSslContexts;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Netty: {@link MtlsSslContexts} (OpenSSL where {@code netty-tcnative} loads, else the JDK's),
 * HTTP/1.1, and {@link NettyRequests} judging each request's peer as the servlet filter does.
 *
 * <p>Not {@code MtlsChannelInitializer}: its {@code PeerVerificationHandler} judges the peer
 * once per connection, right after the handshake, and closes a connection without a
 * certificate; here the handshake only asks for a certificate, and each request is judged
 * for its path, so that exempt paths are served without one and a refusal is an HTTP answer
 * with a reason rather than a closed connection. The handshake is bounded the same way.
 */
final class NettyEngine {
  /** Bounds a request's head and body: the endpoints read neither body nor large headers. */
  private static final int MAX_REQUEST = 16 * 1024;

  private NettyEngine() {}

  /** The provider the Netty engine uses here. */
  static SslProvider provider() {
    return MtlsSslContexts.isAvailable(SslProvider.OPENSSL) ? SslProvider.OPENSSL : SslProvider.JDK;
  }

  static RunningServer start(ServerSpec spec) throws Exception {
    MtlsContext context = spec.context();
    SslContext ssl = MtlsSslContexts.forServer(context, provider());
    NettyRequests.Shared shared = new NettyRequests.Shared(new Dispatch(spec), context.verifier(spec.policy()));
    EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    EventLoopGroup workers = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    try {
      Channel channel = new ServerBootstrap()
          .group(boss, workers)
          .channel(NioServerSocketChannel.class)
          .childHandler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel child) {
              SslHandler tls = ssl.newHandler(child.alloc());
              tls.setHandshakeTimeout(context.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
              child.pipeline()
                  .addLast("tls", tls)
                  .addLast("idle", new ReadTimeoutHandler(Servers.IDLE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                  .addLast("http", new HttpServerCodec())
                  .addLast("aggregate", new HttpObjectAggregator(MAX_REQUEST))
                  .addLast("requests", new NettyRequests(shared));
            }
          })
          .bind(Servers.HOST, spec.port())
          .sync()
          .channel();
      int port = ((InetSocketAddress) channel.localAddress()).getPort();
      return new Started(port, Engine.NETTY, () -> {
        try {
          channel.close().syncUninterruptibly();
        } finally {
          shutDown(boss, workers);
        }
      });
    } catch (Exception | Error e) {
      shutDown(boss, workers);
      throw e;
    }
  }

  private static void shutDown(EventLoopGroup boss, EventLoopGroup workers) {
    long timeout = Servers.STOP_TIMEOUT.toMillis();
    boss.shutdownGracefully(0, timeout, TimeUnit.MILLISECONDS);
    workers.shutdownGracefully(0, timeout, TimeUnit.MILLISECONDS).syncUninterruptibly();
    boss.terminationFuture().syncUninterruptibly();
  }
}
