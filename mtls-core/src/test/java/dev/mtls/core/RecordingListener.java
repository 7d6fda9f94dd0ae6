package dev.mtls.core;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Keeps every event it hears, in order, for assertions; tests may wait for the next one. */
final class RecordingListener implements MtlsListener {
  final BlockingQueue<PeerRejected> rejected = new LinkedBlockingQueue<>();
  final BlockingQueue<PeerAccepted> accepted = new LinkedBlockingQueue<>();
  final BlockingQueue<CrlRefreshed> refreshed = new LinkedBlockingQueue<>();
  final BlockingQueue<CrlRefreshFailed> failed = new LinkedBlockingQueue<>();
  final BlockingQueue<Reloaded> reloaded = new LinkedBlockingQueue<>();
  final BlockingQueue<ReloadFailed> reloadFailed = new LinkedBlockingQueue<>();
  final BlockingQueue<CertificateExpiring> expiring = new LinkedBlockingQueue<>();

  @Override
  public void peerRejected(PeerRejected event) {
    rejected.add(event);
  }

  @Override
  public void peerAccepted(PeerAccepted event) {
    accepted.add(event);
  }

  @Override
  public void crlRefreshed(CrlRefreshed event) {
    refreshed.add(event);
  }

  @Override
  public void crlRefreshFailed(CrlRefreshFailed event) {
    failed.add(event);
  }

  @Override
  public void reloaded(Reloaded event) {
    reloaded.add(event);
  }

  @Override
  public void reloadFailed(ReloadFailed event) {
    reloadFailed.add(event);
  }

  @Override
  public void certificateExpiring(CertificateExpiring event) {
    expiring.add(event);
  }

  /** The next reload of a material, waiting up to 10 seconds. */
  Reloaded nextReload(Material material) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      Reloaded event = reloaded.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (event == null) {
        throw new AssertionError("no " + material + " reload within 10 s; failures: " + List.copyOf(reloadFailed));
      }
      if (event.material() == material) {
        return event;
      }
    }
  }
}
