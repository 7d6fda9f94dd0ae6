package dev.mtls.netty;

import dev.mtls.core.PeerIdentity;
import dev.mtls.core.RejectionReason;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What {@link PeerVerificationHandler} decided about a connection's peer, fired down the
 * pipeline as a user event once the TLS handshake ended: the peer was verified (its
 * {@link PeerIdentity} is also in the channel's {@link PeerVerificationHandler#PEER_IDENTITY}
 * attribute), or it was refused or the handshake failed, and the channel is being closed.
 *
 * <pre>{@code
 * public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
 *   if (event instanceof PeerVerificationEvent verified && verified.isSuccess()) {
 *     log.info("peer {}", verified.peer().orElseThrow().spiffeId());
 *   }
 *   ctx.fireUserEventTriggered(event);
 * }
 * }</pre>
 */
public final class PeerVerificationEvent {
  private final @Nullable PeerIdentity peer;
  private final @Nullable RejectionReason reason;
  private final String detail;
  private final @Nullable Throwable cause;

  private PeerVerificationEvent(@Nullable PeerIdentity peer, @Nullable RejectionReason reason, String detail,
      @Nullable Throwable cause) {
    this.peer = peer;
    this.reason = reason;
    this.detail = detail;
    this.cause = cause;
  }

  static PeerVerificationEvent verified(PeerIdentity peer) {
    return new PeerVerificationEvent(Objects.requireNonNull(peer, "peer"), null, peer.describe(), null);
  }

  static PeerVerificationEvent refused(@Nullable RejectionReason reason, @Nullable PeerIdentity peer, String detail,
      @Nullable Throwable cause) {
    return new PeerVerificationEvent(peer, reason, detail, cause);
  }

  /**
   * Whether the peer was verified and the channel stays open.
   *
   * @return {@code true} for a verified peer
   */
  public boolean isSuccess() {
    return peer != null && reason == null && cause == null;
  }

  /**
   * The peer as it presented itself: the verified identity on success; on a refusal, the
   * refused identity when the verifier judged one.
   *
   * @return the peer's identity, if known
   */
  public Optional<PeerIdentity> peer() {
    return Optional.ofNullable(peer);
  }

  /**
   * Why the peer was refused, when it was judged: by the core verifier after the handshake,
   * or by the core's trust manager or TLS layer during it ({@link RejectionReason#NO_CERTIFICATE}
   * for a client that sent no certificate). Empty on success, and for handshakes that failed
   * for reasons that concern no certificate (no common protocol or cipher suite, a timeout, a
   * closed connection, a refusal by the other side).
   *
   * @return the reason, if the peer was refused
   */
  public Optional<RejectionReason> reason() {
    return Optional.ofNullable(reason);
  }

  /**
   * One line for humans, safe to log: the peer on success, what failed otherwise.
   *
   * @return the detail
   */
  public String detail() {
    return detail;
  }

  /**
   * What the failed handshake raised.
   *
   * @return the handshake's failure; empty on success and when the verifier refused the peer
   *     after a completed handshake
   */
  public Optional<Throwable> cause() {
    return Optional.ofNullable(cause);
  }

  @Override
  public String toString() {
    return isSuccess() ? "PeerVerificationEvent[verified " + detail + "]"
        : "PeerVerificationEvent[refused " + (reason == null ? "" : reason + ": ") + detail + "]";
  }
}
