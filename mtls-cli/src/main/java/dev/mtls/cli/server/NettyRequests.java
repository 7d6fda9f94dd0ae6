package dev.mtls.cli.server;

import dev.mtls.core.PeerIdentity;
import dev.mtls.core.PeerRequest;
import dev.mtls.core.PeerVerifier;
import dev.mtls.core.Verdict;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a connection's HTTP requests on the Netty engine: what {@code MtlsFilter} and the
 * endpoint servlet do on the servlet engines. A path not in canonical form is refused (400);
 * an exempt path is answered without judging any certificate; every other path only when the
 * verifier, with the spec's policy, allows the connection's peer (401/403 otherwise, the
 * filter's bodies). One per connection.
 */
final class NettyRequests extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(NettyRequests.class);

  /** What every connection's handler shares. */
  record Shared(Dispatch dispatch, PeerVerifier verifier) {}

  private final Shared shared;

  NettyRequests(Shared shared) {
    this.shared = shared;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    boolean keepAlive = HttpUtil.isKeepAlive(request) && request.decoderResult().isSuccess();
    write(ctx, answer(ctx, request), keepAlive);
  }

  private Reply answer(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (request.decoderResult().isFailure()) {
      return Problems.nonCanonicalPath();
    }
    String path = path(request.uri());
    if (!canonical(path)) {
      return Problems.nonCanonicalPath();
    }
    if (shared.dispatch().exempt(path)) {
      return shared.dispatch().answer(request.method().name(), path, Optional.empty());
    }
    SslHandler tls = Objects.requireNonNull(ctx.pipeline().get(SslHandler.class), "the TLS handler");
    Verdict verdict = shared.verifier().verify(tls.engine().getSession(),
        new PeerRequest(address(ctx.channel().remoteAddress()), path));
    if (verdict instanceof Verdict.Rejected rejected) {
      return Problems.refused(rejected.reason());
    }
    PeerIdentity peer = Objects.requireNonNull(verdict.peer());
    return shared.dispatch().answer(request.method().name(), path, Optional.of(peer));
  }

  private static void write(ChannelHandlerContext ctx, Reply reply, boolean keepAlive) {
    byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.valueOf(reply.status()), Unpooled.wrappedBuffer(body));
    response.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, reply.contentType() + "; charset=utf-8")
        .set(HttpHeaderNames.CONTENT_LENGTH, body.length)
        .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
        .set("X-Content-Type-Options", "nosniff");
    if (keepAlive) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
      ctx.writeAndFlush(response);
    } else {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }

  /** The path of a request target in origin form, without its query. */
  static String path(String target) {
    int end = target.length();
    for (int i = 0; i < target.length(); i++) {
      char c = target.charAt(i);
      if (c == '?' || c == '#') {
        end = i;
        break;
      }
    }
    return target.substring(0, end);
  }

  /**
   * Whether a path is as the filter's rules are written, as {@code MtlsFilter} checks it (its
   * check is not public): starts with {@code /}; no {@code .}, {@code ..} or inner empty
   * segments; no {@code ;}, {@code \}, {@code %} or characters outside printable ASCII. Netty
   * does not decode a path, so an encoded one is refused rather than decoded here.
   */
  static boolean canonical(String path) {
    if (!path.startsWith("/")) {
      return false;
    }
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == ';' || c == '\\' || c == '%' || c < 0x21 || c > 0x7e) {
        return false;
      }
    }
    String[] segments = path.substring(1).split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      String segment = segments[i];
      boolean last = i == segments.length - 1;
      if (segment.equals(".") || segment.equals("..") || (segment.isEmpty() && !last)) {
        return false;
      }
    }
    return true;
  }

  private static String address(SocketAddress remote) {
    return remote instanceof InetSocketAddress inet
        ? inet.getAddress().getHostAddress() + ":" + inet.getPort() : String.valueOf(remote);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Failed handshakes (refused by the core, which reports them to the listeners), timeouts
    // and resets: nothing to answer, the connection ends.
    LOG.debug("connection from {} ended: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
