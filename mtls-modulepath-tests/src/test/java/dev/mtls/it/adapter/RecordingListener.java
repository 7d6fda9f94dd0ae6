package dev.mtls.it.adapter;

import dev.mtls.core.MtlsListener;
import dev.mtls.core.RejectionReason;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A listener of another module: keeps the refusals it hears, for assertions. */
final class RecordingListener implements MtlsListener {
  private final BlockingQueue<PeerRejected> rejected = new LinkedBlockingQueue<>();

  @Override
  public void peerRejected(PeerRejected event) {
    rejected.add(event);
  }

  /** The reason of the next refusal, waiting up to 10 seconds for it. */
  RejectionReason nextRejection() throws InterruptedException {
    PeerRejected event = rejected.poll(10, TimeUnit.SECONDS);
    if (event == null) {
      throw new AssertionError("no refusal heard within 10 s");
    }
    return event.rejected().reason();
  }
}
