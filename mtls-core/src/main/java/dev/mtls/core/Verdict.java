package dev.mtls.core;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of judging a peer: {@link Allowed} with the peer's identity, or
 * {@link Rejected} with one reason and a one-line detail that names the peer.
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
   * The peer passed every check.
   *
   * @param peer the identity of the accepted peer
   */
  record Allowed(PeerIdentity peer) implements Verdict {
    /** Checks the identity is present. */
    public Allowed {
      Objects.requireNonNull(peer, "peer");
    }

    @Override
    public boolean isAllowed() {
      return true;
    }
  }

  /**
   * The peer failed a check.
   *
   * @param reason why, as a stable code
   * @param detail one line for humans, naming the peer and the failed rule
   * @param peer the peer's identity, or {@code null} when there was no usable certificate
   */
  record Rejected(RejectionReason reason, String detail, @Nullable PeerIdentity peer) implements Verdict {
    /**
     * Checks reason and detail are present, and escapes control characters in the detail:
     * it carries names from the peer's certificate, which must not forge a log line.
     */
    public Rejected {
      Objects.requireNonNull(reason, "reason");
      detail = SafeText.line(Objects.requireNonNull(detail, "detail"));
    }

    @Override
    public boolean isAllowed() {
      return false;
    }

    @Override
    public String toString() {
      return reason + ": " + detail;
    }
  }
}
