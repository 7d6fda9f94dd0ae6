package dev.mtls.core;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of judging a peer: {@link Allowed} with the peer's identity, or
 * {@link Rejected} with one reason and a one-line detail that names the peer. Only a
 * {@link PeerVerifier} makes verdicts, so code that receives an {@code Allowed} knows a
 * verifier accepted the peer.
 *
 * <pre>{@code
 * Verdict verdict = context.verifier().verify(session);
 * if (verdict instanceof Verdict.Rejected rejected) {
 *   response.sendError(403, rejected.reason().name());
 * }
 * }</pre>
 */
public sealed interface Verdict permits Verdict.Allowed, Verdict.Rejected {

  /**
   * Whether the peer was allowed.
   *
   * @return {@code true} for {@link Allowed}
   */
  boolean isAllowed();

  /**
   * The peer's identity, when its certificate could be parsed.
   *
   * @return the identity, or {@code null} when there was no usable certificate
   */
  @Nullable PeerIdentity peer();

  /**
   * The peer passed every check. Only the library makes one: holding an {@code Allowed} means
   * a verifier judged the peer.
   */
  final class Allowed implements Verdict {
    private final PeerIdentity peer;

    Allowed(PeerIdentity peer) {
      this.peer = Objects.requireNonNull(peer, "peer");
    }

    /**
     * The identity of the accepted peer.
     *
     * @return the identity, never {@code null}
     */
    @Override
    public PeerIdentity peer() {
      return peer;
    }

    @Override
    public boolean isAllowed() {
      return true;
    }

    @Override
    public boolean equals(@Nullable Object other) {
      return other instanceof Allowed allowed && peer.equals(allowed.peer);
    }

    @Override
    public int hashCode() {
      return peer.hashCode();
    }

    @Override
    public String toString() {
      return "Allowed[peer=" + peer + "]";
    }
  }

  /**
   * The peer failed a check. Only the library makes one. Its detail has control characters
   * escaped: it carries names from the peer's certificate, which must not forge a log line.
   */
  final class Rejected implements Verdict {
    private final RejectionReason reason;
    private final String detail;
    private final @Nullable PeerIdentity peer;

    Rejected(RejectionReason reason, String detail, @Nullable PeerIdentity peer) {
      this.reason = Objects.requireNonNull(reason, "reason");
      this.detail = SafeText.line(Objects.requireNonNull(detail, "detail"));
      this.peer = peer;
    }

    /**
     * Why, as a stable code.
     *
     * @return the reason of the first check that failed
     */
    public RejectionReason reason() {
      return reason;
    }

    /**
     * One line for humans, naming the peer and the failed rule, safe to log.
     *
     * @return the detail
     */
    public String detail() {
      return detail;
    }

    /**
     * The peer's identity as it presented itself.
     *
     * @return the identity, or {@code null} when there was no usable certificate
     */
    @Override
    public @Nullable PeerIdentity peer() {
      return peer;
    }

    @Override
    public boolean isAllowed() {
      return false;
    }

    @Override
    public boolean equals(@Nullable Object other) {
      return other instanceof Rejected rejected
          && reason == rejected.reason
          && detail.equals(rejected.detail)
          && Objects.equals(peer, rejected.peer);
    }

    @Override
    public int hashCode() {
      return Objects.hash(reason, detail, peer);
    }

    @Override
    public String toString() {
      return reason + ": " + detail;
    }
  }
}
