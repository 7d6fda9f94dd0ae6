package dev.mtls.netty;

import dev.mtls.core.MtlsContext;
import dev.mtls.core.PeerIdentity;
import dev.mtls.core.RejectionReason;
import dev.mtls.core.Verdict;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLSession;

/**
 * Judges a connection's peer once its TLS handshake completed, with the core context's
 * verifier (the same rules as every other adapter, remembered per TLS session), and either
 * lets the connection through or closes it. Place it right after the {@link SslHandler}
 * ({@link MtlsChannelInitializer} does).
 *
 * <ul>
 *   <li>Verified: the peer's {@link PeerIdentity} is stored in the channel attribute
 *       {@link #PEER_IDENTITY}, a successful {@link PeerVerificationEvent} is fired, and the
 *       handler leaves the pipeline.
 *   <li>Refused by the verifier (a name not on the allow-list when the context checks the peer
 *       policy after the handshake, a session resumed from before a revocation): the refusal
 *       is reported to the context's listeners by the verifier, a refused event is fired, the
 *       channel is closed, and nothing it sent reaches the handlers after this one.
 *   <li>The handshake failed: a refused event is fired with the reason when the failure was a
 *       refusal of the peer's certificate ({@link PeerVerificationEvent#reason()}); the core
 *       reported it to the listeners when it refused it, and a client that sent no certificate
 *       to a server that requires one is reported here when the TLS provider refused it on its
 *       own (OpenSSL). {@code SslHandler} closes the channel.
 * </ul>
 *
 * <p>Netty's {@link SslHandshakeCompletionEvent} is passed on as it came, before this handler's
 * own event. One handler per channel: it keeps the channel's state.
 */
public final class PeerVerificationHandler extends ChannelInboundHandlerAdapter {
  /** The verified peer of a channel, set before the successful {@link PeerVerificationEvent}. */
  public static final AttributeKey<PeerIdentity> PEER_IDENTITY = AttributeKey.valueOf(PeerVerificationHandler.class,
      "PEER_IDENTITY");

  private final MtlsContext context;
  private boolean refused;

  /**
   * A handler judging peers by a context's verifier.
   *
   * @param context the context whose {@link MtlsContext#verifier()} judges the peer
   */
  public PeerVerificationHandler(MtlsContext context) {
    this.context = Objects.requireNonNull(context, "context");
  }

  /**
   * The verified peer of a channel whose pipeline has this handler.
   *
   * @param channel the channel
   * @return the peer, once it was verified
   */
  public static Optional<PeerIdentity> peerIdentity(Channel channel) {
    Objects.requireNonNull(channel, "channel");
    return Optional.ofNullable(channel.attr(PEER_IDENTITY).get());
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (!(event instanceof SslHandshakeCompletionEvent completion)) {
      ctx.fireUserEventTriggered(event);
      return;
    }
    ctx.fireUserEventTriggered(event);
    if (completion.isSuccess()) {
      judge(ctx);
    } else {
      handshakeFailed(ctx, completion.cause());
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object message) {
    if (refused) {
      ReferenceCountUtil.release(message); // a refused peer's bytes reach no application handler
      return;
    }
    ctx.fireChannelRead(message);
  }

  private void judge(ChannelHandlerContext ctx) {
    SslHandler ssl = ctx.pipeline().get(SslHandler.class);
    if (ssl == null) {
      refuse(ctx, PeerVerificationEvent.refused(null, null, "no SslHandler before the PeerVerificationHandler", null));
      return;
    }
    SSLSession session = ssl.engine().getSession();
    Verdict verdict = context.verifier().verify(session);
    if (verdict instanceof Verdict.Allowed allowed) {
      ctx.channel().attr(PEER_IDENTITY).set(allowed.peer());
      ctx.fireUserEventTriggered(PeerVerificationEvent.verified(allowed.peer()));
      ctx.pipeline().remove(this);
    } else {
      Verdict.Rejected rejected = (Verdict.Rejected) verdict;
      refuse(ctx, PeerVerificationEvent.refused(rejected.reason(), rejected.peer(), rejected.toString(), null));
    }
  }

  private void refuse(ChannelHandlerContext ctx, PeerVerificationEvent event) {
    refused = true;
    ctx.fireUserEventTriggered(event);
    ctx.close();
  }

  private void handshakeFailed(ChannelHandlerContext ctx, Throwable cause) {
    refused = true;
    Optional<RejectionReason> reason = HandshakeFailure.rejectionReason(cause);
    String detail = "TLS handshake failed: " + HandshakeFailure.describe(cause);
    if (reason.isEmpty() && context.role() == MtlsContext.Role.SERVER
        && HandshakeFailure.openSslRefusedWithoutCertificate(cause)) {
      // OpenSSL refused a client without a certificate before any trust manager ran: the
      // verifier reports the empty chain, as every adapter's refusal is reported.
      detail = context.verifier().verify(List.of()) + " (connection from " + ctx.channel().remoteAddress() + ")";
      reason = Optional.of(RejectionReason.NO_CERTIFICATE);
    }
    ctx.fireUserEventTriggered(PeerVerificationEvent.refused(reason.orElse(null), null, detail, cause));
  }
}
