package dev.mtls.cli.demo;

import dev.mtls.core.MtlsListener;
import dev.mtls.core.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * What the demo server's context decided about each client: its listener's accepted and
 * rejected verdicts, in order, for the tour to read after each visit. The queue is bounded: a
 * tour makes a few connections, and a flood of verdicts is dropped rather than kept.
 */
final class ServerVerdicts implements MtlsListener {
  private static final int CAPACITY = 1_000;

  private final BlockingQueue<Verdict> verdicts = new LinkedBlockingQueue<>(CAPACITY);

  @Override
  public void peerAccepted(PeerAccepted event) {
    verdicts.offer(event.verdict());
  }

  @Override
  public void peerRejected(PeerRejected event) {
    verdicts.offer(event.rejected());
  }

  /** Forgets the verdicts so far: the next visit reads only its own. */
  void clear() {
    verdicts.clear();
  }

  /**
   * The first rejection since {@link #clear()}, waiting for it at most {@code wait}: the server
   * decides on its own thread, and a client may hear of a refusal before the listener does.
   *
   * @return the rejection, or {@code null} when none came
   */
  Verdict.@Nullable Rejected awaitRejection(Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      Verdict next = left <= 0 ? verdicts.poll() : verdicts.poll(left, TimeUnit.NANOSECONDS);
      if (next == null) {
        return null;
      }
      if (next instanceof Verdict.Rejected rejected) {
        return rejected;
      }
    }
  }

  /** The verdicts already in, without waiting. */
  List<Verdict> drain() {
    List<Verdict> all = new ArrayList<>();
    verdicts.drainTo(all);
    return all;
  }
}
