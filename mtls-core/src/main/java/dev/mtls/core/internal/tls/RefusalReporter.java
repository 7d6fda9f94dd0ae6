package dev.mtls.core.internal.tls;

import dev.mtls.core.RejectionReason;

/**
 * Where the TLS layer reports a peer it refused without a chain for the trust manager to
 * judge (a client that sent no certificate where one is required: the provider refuses it
 * before any trust manager runs), so the refusal reaches the context's listeners like every
 * other. The context's verifier implements it.
 */
@FunctionalInterface
public interface RefusalReporter {
  /** Reports nothing: for rules of contexts that judge no peer. */
  RefusalReporter NONE = (reason, detail) -> {};

  /**
   * Reports a refusal.
   *
   * @param reason why the peer was refused
   * @param detail one line naming the connection, when known, and what happened
   */
  void refused(RejectionReason reason, String detail);
}
