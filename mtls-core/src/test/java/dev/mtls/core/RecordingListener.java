package dev.mtls.core;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps the CRL events it hears, for assertions. */
final class RecordingListener implements MtlsListener {
  final List<CrlRefreshed> refreshed = new CopyOnWriteArrayList<>();
  final List<CrlRefreshFailed> failed = new CopyOnWriteArrayList<>();

  @Override
  public void crlRefreshed(CrlRefreshed event) {
    refreshed.add(event);
  }

  @Override
  public void crlRefreshFailed(CrlRefreshFailed event) {
    failed.add(event);
  }
}
