package dev.mtls.netty;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.mtls.core.MtlsContext;
import dev.mtls.core.PeerIdentity;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.OpenSslSession;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;

/**
 * A Netty server on 127.0.0.1 wired the way users wire it ({@link MtlsSslContexts},
 * {@link MtlsChannelInitializer}), whose application answers each message with
 * {@code hello <CN> <SPIFFE ID>} read from the channel's verified identity, and keeps every
 * {@link PeerVerificationEvent} for assertions.
 */
final class NettyServer implements AutoCloseable {
  private final EventLoopGroup group;
  private final Channel channel;
  final SslContext sslContext;
  private final BlockingQueue<PeerVerificationEvent> events = new LinkedBlockingQueue<>();
  private final BlockingQueue<Negotiated> negotiated = new LinkedBlockingQueue<>();

  NettyServer(Stack stack, MtlsContext context) throws InterruptedException {
    this(stack, context, ApplicationProtocols.none());
  }

  NettyServer(Stack stack, MtlsContext context, ApplicationProtocols alpn) throws InterruptedException {
    sslContext = MtlsSslContexts.forServer(context, stack.provider(), alpn);
    group = stack.transport().newGroup();
    channel = new ServerBootstrap()
        .group(group)
        .channel(stack.transport().serverChannel)
        .childHandler(MtlsChannelInitializer.forServer(context, sslContext, pipeline -> pipeline.addLast(new Greeter())))
        .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .sync()
        .channel();
  }

  int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  /** The next verification event, waiting up to 10 seconds. */
  PeerVerificationEvent nextEvent() throws InterruptedException {
    PeerVerificationEvent event = events.poll(10, TimeUnit.SECONDS);
    if (event == null) {
      throw new AssertionError("the server saw no verification event within 10 s");
    }
    return event;
  }

  /** Whether another event arrives within a short wait: for "reported once" checks. */
  PeerVerificationEvent pollEvent(long millis) throws InterruptedException {
    return events.poll(millis, TimeUnit.MILLISECONDS);
  }

  /** What a verified connection negotiated: its key-exchange group and ALPN protocol. */
  record Negotiated(String namedGroup, @Nullable String applicationProtocol) {}

  /** What the next verified connection negotiated, waiting up to 10 seconds. */
  Negotiated nextNegotiated() throws InterruptedException {
    Negotiated next = negotiated.poll(10, TimeUnit.SECONDS);
    if (next == null) {
      throw new AssertionError("the server verified no connection within 10 s");
    }
    return next;
  }

  /** The key-exchange group of the next verified connection ({@link #namedGroup}). */
  String nextNamedGroup() throws InterruptedException {
    return nextNegotiated().namedGroup();
  }

  /** The group a session negotiated where the provider says (OpenSSL's sessions do), else {@code "unknown"}. */
  static String namedGroup(SSLSession session) {
    String group = session instanceof OpenSslSession openSsl ? openSsl.getNamedGroup() : null;
    return group == null ? "unknown" : group;
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private final class Greeter extends ChannelInboundHandlerAdapter {
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      if (event instanceof PeerVerificationEvent verification) {
        if (verification.isSuccess()) {
          SslHandler ssl = ctx.pipeline().get(SslHandler.class);
          negotiated.add(new Negotiated(namedGroup(ssl.engine().getSession()), ssl.applicationProtocol()));
        }
        events.add(verification);
      }
      ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
      ((ByteBuf) message).release();
      PeerIdentity peer = PeerVerificationHandler.peerIdentity(ctx.channel()).orElseThrow();
      String answer = "hello " + peer.commonName().orElse("-") + " "
          + peer.spiffeId().map(Object::toString).orElse("-") + "\n";
      ctx.writeAndFlush(Unpooled.copiedBuffer(answer, UTF_8));
    }
  }
}
