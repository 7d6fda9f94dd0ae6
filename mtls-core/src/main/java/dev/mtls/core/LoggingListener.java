package dev.mtls.core;

import dev.mtls.core.internal.RateLimiter;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link MtlsListener} every context logs through unless told not to: SLF4J lines,
 * rate-limited per kind of event (and per rejection reason), with a count of what was
 * dropped. Each context has its own, so one context's flood does not silence another's.
 * Prints names, serials and reasons; never keys, passwords or PEM bodies.
 */
final class LoggingListener implements MtlsListener {
  private static final Logger log = LoggerFactory.getLogger("dev.mtls");
  private static final int PERMITS_PER_MINUTE = 10;

  private final Map<RejectionReason, RateLimiter> rejections = new EnumMap<>(RejectionReason.class);
  private final RateLimiter crlLoads = newLimiter();
  private final RateLimiter crlFailures = newLimiter();
  private final RateLimiter expiring = newLimiter();
  private final RateLimiter reloadFailures = newLimiter();

  LoggingListener() {
    for (RejectionReason reason : RejectionReason.values()) {
      rejections.put(reason, newLimiter());
    }
  }

  private static RateLimiter newLimiter() {
    return new RateLimiter(PERMITS_PER_MINUTE, TimeUnit.MINUTES.toNanos(1), System::nanoTime);
  }

  @Override
  public void peerRejected(PeerRejected event) {
    long dropped = rejections.get(event.rejected().reason()).tryAcquire();
    if (dropped >= 0) {
      String repeated = event.count() == 1
          ? ""
          : " (" + event.count() + " refusals of this session since the last report)";
      PeerRequest request = event.request();
      String asked = request == null ? "" : " (request " + request + ")";
      log.warn("mTLS peer rejected: {}{}{}{}", event.rejected(), asked, repeated, suffix(dropped));
    }
  }

  @Override
  public void crlRefreshed(CrlRefreshed event) {
    if (!event.changed()) {
      log.debug("CRL from {} fetched again, unchanged: issuer {}, thisUpdate {}", event.source(), event.issuer(),
          event.thisUpdate());
      return;
    }
    long dropped = crlLoads.tryAcquire();
    if (dropped >= 0) {
      log.info("CRL loaded from {}: issuer {}, {} revoked, thisUpdate {}, nextUpdate {}{}",
          event.source(), event.issuer(), event.entries(), event.thisUpdate(), event.nextUpdate(), suffix(dropped));
    }
  }

  @Override
  public void crlRefreshFailed(CrlRefreshFailed event) {
    long dropped = crlFailures.tryAcquire();
    if (dropped >= 0) {
      log.warn("CRL refresh from {} failed: {}{}", event.source(), event.problem(), suffix(dropped));
    }
  }

  @Override
  public void reloaded(Reloaded event) {
    log.info("{} reloaded from {}: {} -> {}", event.material(), event.source(), event.before(), event.after());
  }

  @Override
  public void reloadFailed(ReloadFailed event) {
    long dropped = reloadFailures.tryAcquire();
    if (dropped >= 0) {
      log.warn("{} reload failed, keeping the material in use: {}{}", event.material(), event.problem(),
          suffix(dropped));
    }
  }

  @Override
  public void certificateExpiring(CertificateExpiring event) {
    long dropped = expiring.tryAcquire();
    if (dropped >= 0) {
      log.warn("{} certificate {} (serial {}) expires at {}", event.role(), event.subject(),
          event.serialNumber().toString(16), event.notAfter());
    }
  }

  @Override
  public String toString() {
    return "SLF4J logging (logger dev.mtls)";
  }

  private static String suffix(long dropped) {
    return dropped == 0 ? "" : " (" + dropped + " similar events not logged)";
  }
}
