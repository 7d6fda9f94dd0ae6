package dev.mtls.netty;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.mtls.core.MtlsContext;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;

/**
 * Netty clients of a {@link Stack}: one exchange per connection (send a line, read the answer),
 * through {@link MtlsChannelInitializer} for a core client context, or through a bare
 * {@link SslHandler} for clients that are not the library's (the refused ones).
 */
final class NettyClient implements AutoCloseable {
  private final Stack stack;
  private final EventLoopGroup group;

  NettyClient(Stack stack) {
    this.stack = stack;
    this.group = stack.transport().newGroup();
  }

  /** What one connection saw. */
  record Outcome(@Nullable Throwable handshakeFailure, @Nullable String answer, @Nullable BigInteger serverSerial,
      byte @Nullable [] sessionId, @Nullable PeerVerificationEvent verification, @Nullable String namedGroup,
      @Nullable String applicationProtocol) {
    boolean exchanged() {
      return answer != null;
    }
  }

  /** Connects with the library's client pipeline, and sends a line. */
  Outcome exchange(MtlsContext context, SslContext sslContext, int port) throws Exception {
    return exchange(context, sslContext, port, "hi\n");
  }

  /** Connects with the library's client pipeline, and sends a request. */
  Outcome exchange(MtlsContext context, SslContext sslContext, int port, String request) throws Exception {
    Exchange exchange = new Exchange(request);
    Channel channel = connect(port,
        MtlsChannelInitializer.forClient(context, sslContext, "localhost", port, pipeline -> pipeline.addLast(exchange)));
    return exchange.await(channel);
  }

  /** Connects with a plain Netty client context: no verification on this side. */
  Outcome exchange(SslContext sslContext, int port) throws Exception {
    Exchange exchange = new Exchange("hi\n");
    Channel channel = connect(port, new io.netty.channel.ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel channel) {
        channel.pipeline().addLast(sslContext.newHandler(channel.alloc(), "localhost", port), exchange);
      }
    });
    return exchange.await(channel);
  }

  private Channel connect(int port, ChannelHandler initializer) throws InterruptedException {
    return new Bootstrap().group(group).channel(stack.transport().channel).handler(initializer)
        .connect("127.0.0.1", port).sync().channel();
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private static final class Exchange extends ChannelInboundHandlerAdapter {
    private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    private @Nullable Throwable failure;
    private @Nullable BigInteger serial;
    private byte @Nullable [] sessionId;
    private @Nullable String namedGroup;
    private @Nullable String applicationProtocol;
    private @Nullable PeerVerificationEvent verification;
    private final StringBuilder answer = new StringBuilder();
    private final String request;

    Exchange(String request) {
      this.request = request;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      if (event instanceof SslHandshakeCompletionEvent completion) {
        if (completion.isSuccess()) {
          SSLSession session = ctx.pipeline().get(SslHandler.class).engine().getSession();
          sessionId = session.getId();
          namedGroup = NettyServer.namedGroup(session);
          applicationProtocol = ctx.pipeline().get(SslHandler.class).applicationProtocol();
          try {
            serial = ((X509Certificate) session.getPeerCertificates()[0]).getSerialNumber();
          } catch (SSLPeerUnverifiedException e) {
            throw new AssertionError(e);
          }
          ctx.writeAndFlush(Unpooled.copiedBuffer(request, UTF_8));
        } else {
          failure = completion.cause();
        }
      }
      if (event instanceof PeerVerificationEvent verified) {
        verification = verified;
      }
      ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
      ByteBuf buffer = (ByteBuf) message;
      answer.append(buffer.toString(UTF_8));
      buffer.release();
      if (answer.indexOf("\n") >= 0) {
        ctx.close();
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (failure == null) {
        failure = cause;
      }
      ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      String line = answer.indexOf("\n") >= 0 ? answer.substring(0, answer.indexOf("\n")) : null;
      outcome.complete(new Outcome(failure, line, serial, sessionId, verification, namedGroup,
          applicationProtocol));
    }

    Outcome await(Channel channel) throws Exception {
      return outcome.get(15, TimeUnit.SECONDS);
    }
  }
}
