package dev.mtls.core;

import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands between the library and an application's listener: a listener that throws must not
 * stop a reload half-way, a CRL refresh, or a handshake. Its failures are logged and
 * otherwise ignored.
 */
final class GuardedListener implements MtlsListener {
  private static final Logger log = LoggerFactory.getLogger(GuardedListener.class);

  private final MtlsListener delegate;

  private GuardedListener(MtlsListener delegate) {
    this.delegate = delegate;
  }

  /**
   * Guards a listener (the library's own logging listener needs no guard).
   *
   * @param listener the application's listener
   * @return a listener that never throws
   */
  static MtlsListener of(MtlsListener listener) {
    return listener instanceof GuardedListener || listener instanceof LoggingListener
        ? listener
        : new GuardedListener(listener);
  }

  @Override
  public void peerRejected(PeerRejected event) {
    call(delegate::peerRejected, event);
  }

  @Override
  public void peerAccepted(PeerAccepted event) {
    // Called at every accepted verdict: no method reference to allocate, unlike the others.
    try {
      delegate.peerAccepted(event);
    } catch (RuntimeException e) {
      log.error("MtlsListener {} failed on {}", delegate, event.getClass().getSimpleName(), e);
    }
  }

  @Override
  public void crlRefreshed(CrlRefreshed event) {
    call(delegate::crlRefreshed, event);
  }

  @Override
  public void crlRefreshFailed(CrlRefreshFailed event) {
    call(delegate::crlRefreshFailed, event);
  }

  @Override
  public void certificateExpiring(CertificateExpiring event) {
    call(delegate::certificateExpiring, event);
  }

  @Override
  public void reloaded(Reloaded event) {
    call(delegate::reloaded, event);
  }

  @Override
  public void reloadFailed(ReloadFailed event) {
    call(delegate::reloadFailed, event);
  }

  private <E> void call(Consumer<E> method, E event) {
    try {
      method.accept(event);
    } catch (RuntimeException e) {
      log.error("MtlsListener {} failed on {}", delegate, event.getClass().getSimpleName(), e);
    }
  }

  @Override
  public String toString() {
    return "guarded " + delegate;
  }
}
