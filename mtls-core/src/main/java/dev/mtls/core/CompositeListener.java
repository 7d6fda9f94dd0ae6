package dev.mtls.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What a context tells its listeners through: its SLF4J logging (unless switched off), then
 * every listener the application added, in the order added (at build time, then with {@link
 * MtlsContext#addListener(MtlsListener)}), each guarded so that one that throws neither stops
 * the others nor the library. An event reads one volatile array: adding and removing
 * listeners copies it.
 */
final class CompositeListener implements MtlsListener {
  private volatile MtlsListener[] listeners;

  private CompositeListener(List<MtlsListener> listeners) {
    this.listeners = listeners.toArray(new MtlsListener[0]);
  }

  /**
   * The listener a context calls.
   *
   * @param logging whether the context logs through SLF4J
   * @param added the application's listeners, in order
   * @return one listener that never throws and reaches all of them, and those added later
   */
  static CompositeListener of(boolean logging, List<MtlsListener> added) {
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
    return new CompositeListener(all);
  }

  /**
   * Adds a listener, guarded, after those already there.
   *
   * @param listener the application's listener
   * @return what removes it again
   */
  Subscription add(MtlsListener listener) {
    MtlsListener guarded = GuardedListener.of(Objects.requireNonNull(listener, "listener"));
    synchronized (this) {
      MtlsListener[] current = listeners;
      MtlsListener[] next = Arrays.copyOf(current, current.length + 1);
      next[current.length] = guarded;
      listeners = next;
    }
    return () -> remove(guarded);
  }

  private synchronized void remove(MtlsListener guarded) {
    List<MtlsListener> kept = new ArrayList<>(Arrays.asList(listeners));
    // by identity: the same application listener may have been added twice
    for (int i = 0; i < kept.size(); i++) {
      if (kept.get(i) == guarded) {
        kept.remove(i);
        listeners = kept.toArray(new MtlsListener[0]);
        return;
      }
    }
  }

  @Override
  public void peerRejected(PeerRejected event) {
    for (MtlsListener listener : listeners) {
      listener.peerRejected(event);
    }
  }

  @Override
  public void peerAccepted(PeerAccepted event) {
    for (MtlsListener listener : listeners) {
      listener.peerAccepted(event);
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
    return "listeners " + Arrays.toString(listeners);
  }
}
