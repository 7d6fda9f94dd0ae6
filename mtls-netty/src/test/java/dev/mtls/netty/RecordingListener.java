package dev.mtls.netty;

import dev.mtls.core.MtlsListener;
import dev.mtls.core.RejectionReason;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/** Keeps the rejections a context reports, for assertions; tests wait for the next one. */
final class RecordingListener implements MtlsListener {
  private final BlockingQueue<PeerRejected> rejected = new LinkedBlockingQueue<>();
  private final BlockingQueue<Reloaded> reloaded = new LinkedBlockingQueue<>();

  @Override
  public void peerRejected(PeerRejected event) {
    rejected.add(event);
  }

  @Override
  public void reloaded(Reloaded event) {
    reloaded.add(event);
  }

  /** The next rejection's reason, waiting up to 10 seconds. */
  RejectionReason nextRejection() throws InterruptedException {
    PeerRejected event = rejected.poll(10, TimeUnit.SECONDS);
    if (event == null) {
      throw new AssertionError("no rejection was reported within 10 s");
    }
    return event.rejected().reason();
  }

  /** A further rejection within a short wait, or null: for "reported once" checks. */
  @Nullable PeerRejected another(long millis) throws InterruptedException {
    return rejected.poll(millis, TimeUnit.MILLISECONDS);
  }

  /** The next reload, waiting up to 10 seconds. */
  Reloaded nextReload() throws InterruptedException {
    Reloaded event = reloaded.poll(10, TimeUnit.SECONDS);
    if (event == null) {
      throw new AssertionError("no reload within 10 s");
    }
    return event;
  }
}
