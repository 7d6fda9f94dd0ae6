package dev.mtls.core;

import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;

/**
 * After trust anchors or revocation data change, drops the cached TLS sessions whose peers
 * would now be refused, so that such a peer cannot resume one (resumption skips the trust
 * manager) and must do a full handshake, which refuses it. Sessions of peers still allowed
 * stay, and connections already open stay up.
 */
final class SessionSweeper {
  private SessionSweeper() {}

  /**
   * Judges every cached session of a context again.
   *
   * @param context the JSSE context whose session caches to sweep
   * @param verifier the context's verifier
   * @param applyPolicy whether the handshake applies the peer policy
   * @return how many sessions were invalidated
   */
  static int sweep(SSLContext context, DefaultPeerVerifier verifier, boolean applyPolicy) {
    return sweep(context.getServerSessionContext(), verifier, applyPolicy)
        + sweep(context.getClientSessionContext(), verifier, applyPolicy);
  }

  private static int sweep(SSLSessionContext sessions, DefaultPeerVerifier verifier, boolean applyPolicy) {
    int invalidated = 0;
    for (byte[] id : Collections.list(sessions.getIds())) {
      SSLSession session = sessions.getSession(id);
      if (session == null) {
        continue;
      }
      List<X509Certificate> chain = DefaultPeerVerifier.peerChain(session);
      if (!chain.isEmpty() && !verifier.decide(chain, applyPolicy, ServerHost.NOT_CHECKED).isAllowed()) {
        session.invalidate();
        invalidated++;
      }
    }
    return invalidated;
  }
}
