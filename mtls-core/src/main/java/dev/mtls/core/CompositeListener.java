package dev.mtls.core;

import java.util.ArrayList;
import java.util.List;

/**
 * What a context tells its listeners through: its SLF4J logging (unless switched off), then
 * every listener the application added, in the order added, each guarded so that one that
 * throws neither stops the others nor the library.
 */
final class CompositeListener implements MtlsListener {
  private final List<MtlsListener> listeners;

  private CompositeListener(List<MtlsListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  /**
   * The listener a context calls.
   *
   * @param logging whether the context logs through SLF4J
   * @param added the application's listeners, in order
   * @return one listener that never throws and reaches all of them
   */
  static MtlsListener of(boolean logging, List<MtlsListener> added) {
    List<MtlsListener> all = new ArrayList<>(added.size() + 1);
    if (logging) {
      all.add(new LoggingListener());
    }
    for (MtlsListener listener : added) {
      if (logging && listener instanceof LoggingListener) {
        continue; // the context logs already: the same line twice would say nothing more
      }
      all.add(GuardedListener.of(listener));
    }
    if (all.isEmpty()) {
      return MtlsListener.silent();
    }
    return all.size() == 1 ? all.get(0) : new CompositeListener(all);
  }

  @Override
  public void peerRejected(PeerRejected event) {
    for (MtlsListener listener : listeners) {
      listener.peerRejected(event);
    }
  }

  @Override
  public void crlRefreshed(CrlRefreshed event) {
    for (MtlsListener listener : listeners) {
      listener.crlRefreshed(event);
    }
  }

  @Override
  public void crlRefreshFailed(CrlRefreshFailed event) {
    for (MtlsListener listener : listeners) {
      listener.crlRefreshFailed(event);
    }
  }

  @Override
  public void certificateExpiring(CertificateExpiring event) {
    for (MtlsListener listener : listeners) {
      listener.certificateExpiring(event);
    }
  }

  @Override
  public void reloaded(Reloaded event) {
    for (MtlsListener listener : listeners) {
      listener.reloaded(event);
    }
  }

  @Override
  public void reloadFailed(ReloadFailed event) {
    for (MtlsListener listener : listeners) {
      listener.reloadFailed(event);
    }
  }

  @Override
  public String toString() {
    return "listeners " + listeners;
  }
}
