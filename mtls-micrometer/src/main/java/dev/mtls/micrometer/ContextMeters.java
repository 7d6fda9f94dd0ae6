package dev.mtls.micrometer;

import dev.mtls.core.ContextChange;
import dev.mtls.core.ContextStatus;
import dev.mtls.core.Material;
import dev.mtls.core.MtlsContext;
import dev.mtls.core.MtlsListener;
import dev.mtls.core.RejectionReason;
import dev.mtls.core.Subscription;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The meters of one context in one registry, and the listener that counts into them. Every
 * counter exists from the start (at zero), one per stage and reason, per material and result:
 * nothing a peer sends adds a meter. The expiry gauges follow the certificates and CRLs in use:
 * named again after every reload, CRL refresh and context change.
 */
final class ContextMeters implements MtlsListener {
  private static final Stage[] STAGES = Stage.values();
  private static final RejectionReason[] REASONS = RejectionReason.values();

  private final MtlsContext context;
  private final Tags tags;
  private final Counter[] accepted = new Counter[STAGES.length];
  private final Counter[][] refused = new Counter[STAGES.length][REASONS.length];
  private final Map<Material, Counter> reloadSuccesses = new EnumMap<>(Material.class);
  private final Map<Material, Counter> reloadFailures = new EnumMap<>(Material.class);
  private final Counter crlRefreshes;
  private final Counter crlRefreshFailures;
  private final Counter sessionsRenewed;
  private final MultiGauge certificateExpiry;
  private final MultiGauge crlNextUpdate;
  private @Nullable Subscription listening;
  private @Nullable Subscription changes;

  ContextMeters(String name, MtlsContext context, MeterRegistry registry) {
    this.context = context;
    this.tags = Tags.of(MeterNames.CONTEXT, name);
    for (Stage stage : STAGES) {
      Tags stageTags = tags.and(MeterNames.STAGE, MeterNames.tag(stage));
      accepted[stage.ordinal()] = verdicts(stageTags.and(MeterNames.OUTCOME, MeterNames.ACCEPTED,
          MeterNames.REASON, MeterNames.NO_REASON), registry);
      for (RejectionReason reason : REASONS) {
        refused[stage.ordinal()][reason.ordinal()] = verdicts(stageTags.and(MeterNames.OUTCOME, MeterNames.REFUSED,
            MeterNames.REASON, MeterNames.tag(reason)), registry);
      }
    }
    for (Material material : Material.values()) {
      Tags materialTags = tags.and(MeterNames.MATERIAL, MeterNames.tag(material));
      reloadSuccesses.put(material, reloads(materialTags.and(MeterNames.RESULT, MeterNames.SUCCESS), registry));
      reloadFailures.put(material, reloads(materialTags.and(MeterNames.RESULT, MeterNames.FAILURE), registry));
    }
    for (ContextStatus.Reload reload : context.status().reloads()) {
      Material material = reload.material();
      Tags materialTags = tags.and(MeterNames.MATERIAL, MeterNames.tag(material));
      Gauge.builder(MeterNames.RELOAD_FAILING, context, c -> failing(c, material) ? 1 : 0)
          .description("1 while the material's files hold content that was refused (the old material stays"
              + " in use), else 0")
          .tags(materialTags)
          .register(registry);
      TimeGauge.builder(MeterNames.RELOAD_LAST_SUCCESS, context, TimeUnit.MILLISECONDS,
              c -> lastSuccess(c, material))
          .description("when the material in use was put in use (at start or by a reload), since the epoch")
          .tags(materialTags)
          .register(registry);
    }
    crlRefreshes = crlRefreshes(MeterNames.SUCCESS, registry);
    crlRefreshFailures = crlRefreshes(MeterNames.FAILURE, registry);
    sessionsRenewed = Counter.builder(MeterNames.SESSIONS_RENEWED)
        .description("times the context moved on to fresh session caches and ticket keys after a change")
        .tags(tags)
        .register(registry);
    Gauge.builder(MeterNames.HEALTH, context, c -> c.health().status().ordinal())
        .description("the context's health: 0 OK, 1 DEGRADED, 2 DOWN")
        .tags(tags)
        .register(registry);
    certificateExpiry = MultiGauge.builder(MeterNames.CERTIFICATE_EXPIRY)
        .description("seconds until the certificate's notAfter (negative once expired): each of the"
            + " context's own chain and each trust anchor")
        .baseUnit("seconds")
        .register(registry);
    crlNextUpdate = MultiGauge.builder(MeterNames.CRL_NEXT_UPDATE)
        .description("seconds until the CRL's nextUpdate (negative once passed)")
        .baseUnit("seconds")
        .register(registry);
  }

  private Counter verdicts(Tags verdictTags, MeterRegistry registry) {
    return Counter.builder(MeterNames.VERDICTS)
        .description("verdicts on peers: in the handshake, by a verifier call, or a session's remembered one;"
            + " accepted, or refused with the reason")
        .tags(verdictTags)
        .register(registry);
  }

  private static Counter reloads(Tags reloadTags, MeterRegistry registry) {
    return Counter.builder(MeterNames.RELOADS)
        .description("reloads of changed material from files: put in use, or refused (once per refused content)")
        .tags(reloadTags)
        .register(registry);
  }

  private Counter crlRefreshes(String result, MeterRegistry registry) {
    return Counter.builder(MeterNames.CRL_REFRESHES)
        .description("CRL fetches: indexed (new or the same again), or failed (the CRL in use stays until stale)")
        .tags(tags.and(MeterNames.RESULT, result))
        .register(registry);
  }

  /** Names the gauges after the material in use, then starts listening. */
  void start() {
    nameExpiryGauges();
    listening = context.addListener(this);
    changes = context.onChange(change -> {
      if (change == ContextChange.SESSIONS_RENEWED) {
        sessionsRenewed.increment();
      } else {
        nameExpiryGauges();
      }
    });
  }

  void close() {
    if (listening != null) {
      listening.close();
    }
    if (changes != null) {
      changes.close();
    }
  }

  /** One gauge per certificate and CRL in use now; those of material no longer in use go. */
  private synchronized void nameExpiryGauges() {
    ContextStatus status = context.status();
    List<MultiGauge.Row<?>> certificates = new ArrayList<>();
    addCertificates(certificates, Material.IDENTITY, status.identity());
    addCertificates(certificates, Material.TRUST_ANCHORS, status.trustAnchors());
    certificateExpiry.register(certificates, true);
    List<MultiGauge.Row<?>> crls = new ArrayList<>();
    for (ContextStatus.Crl crl : status.crls()) {
      Instant nextUpdate = crl.nextUpdate();
      if (nextUpdate != null) {
        crls.add(MultiGauge.Row.of(tags.and(MeterNames.ISSUER, MeterNames.bounded(crl.issuer())),
            context, c -> secondsUntil(c, nextUpdate)));
      }
    }
    crlNextUpdate.register(crls, true);
  }

  private void addCertificates(List<MultiGauge.Row<?>> rows, Material material,
      List<CertificateSummary> certificates) {
    for (CertificateSummary certificate : certificates) {
      Instant notAfter = certificate.notAfter();
      Tags row = tags.and(MeterNames.MATERIAL, MeterNames.tag(material),
          MeterNames.SUBJECT, MeterNames.bounded(certificate.subject()),
          MeterNames.SERIAL, MeterNames.bounded(certificate.serialNumber().toString(16)));
      rows.add(MultiGauge.Row.of(row, context, c -> secondsUntil(c, notAfter)));
    }
  }

  /** By the context's clock, so that a context on a test clock reads its own time. */
  private static double secondsUntil(MtlsContext context, Instant moment) {
    return Duration.between(context.status().at(), moment).toMillis() / 1000.0;
  }

  private static boolean failing(MtlsContext context, Material material) {
    return context.status().reloads().stream().anyMatch(r -> r.material() == material && r.failing());
  }

  private static double lastSuccess(MtlsContext context, Material material) {
    return context.status().reloads().stream().filter(r -> r.material() == material).findFirst()
        .map(r -> (double) r.lastSuccess().toEpochMilli()).orElse(Double.NaN);
  }

  @Override
  public void peerAccepted(PeerAccepted event) {
    accepted[event.stage().ordinal()].increment();
  }

  @Override
  public void peerRejected(PeerRejected event) {
    refused[event.stage().ordinal()][event.rejected().reason().ordinal()].increment(event.count());
  }

  @Override
  public void reloaded(Reloaded event) {
    reloadSuccesses.get(event.material()).increment();
    nameExpiryGauges();
  }

  @Override
  public void reloadFailed(ReloadFailed event) {
    reloadFailures.get(event.material()).increment();
  }

  @Override
  public void crlRefreshed(CrlRefreshed event) {
    crlRefreshes.increment();
    nameExpiryGauges();
  }

  @Override
  public void crlRefreshFailed(CrlRefreshFailed event) {
    crlRefreshFailures.increment();
  }

  @Override
  public String toString() {
    return "metrics of " + tags;
  }
}
