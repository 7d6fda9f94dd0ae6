package dev.mtls.core;

import dev.mtls.core.internal.validation.ChainJudge;
import dev.mtls.core.internal.validation.ChainValidator;
import dev.mtls.core.internal.crl.RevocationChecker;
import dev.mtls.core.internal.crl.RevocationStatus;
import dev.mtls.core.internal.validation.TrustHolder;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;

/**
 * The one implementation of the peer decision, shared by the context's trust manager (in
 * the handshake) and by the adapters (after it). Checks in a fixed order, so each rejection
 * carries the first reason that applies: certificate present and parseable, chain to an
 * anchor, validity, revocation, then the {@link PeerRule}: a server's peer policy, or a
 * client's server-identity rule (which may need the host connected to).
 */
final class DefaultPeerVerifier implements PeerVerifier, ChainJudge {
  private final TrustHolder trust;
  private final RevocationChecker revocation;
  private final PeerRule rule;
  private final boolean judgesServers;
  private final Clock clock;
  private final Duration clockSkew;
  private final MtlsListener listener;
  private final String sessionKey;

  DefaultPeerVerifier(
      TrustHolder trust,
      RevocationChecker revocation,
      PeerRule rule,
      boolean judgesServers,
      Clock clock,
      Duration clockSkew,
      MtlsListener listener) {
    this.trust = trust;
    this.revocation = revocation;
    this.rule = rule;
    this.judgesServers = judgesServers;
    this.clock = clock;
    this.clockSkew = clockSkew;
    this.listener = listener;
    // Several contexts may judge the same session: each keeps its own cached verdict.
    this.sessionKey = "dev.mtls.verdict@" + Integer.toHexString(System.identityHashCode(this));
  }

  @Override
  public Verdict verify(List<X509Certificate> chain) {
    return reported(decide(List.copyOf(chain), true, ServerHost.NOT_CHECKED));
  }

  @Override
  public Verdict verifyServer(List<X509Certificate> chain, String host) {
    List<X509Certificate> copy = List.copyOf(chain);
    Objects.requireNonNull(host, "host");
    if (!judgesServers) {
      throw new IllegalStateException("verifyServer judges a client context's servers; this context is a"
          + " server's, whose peers are clients: use verify(..)");
    }
    return reported(decide(copy, true, ServerHost.given(host)));
  }

  @Override
  public Verdict verify(SSLSession session) {
    ChainValidator validator = trust.validator();
    long revocationGeneration = revocation.generation();
    Instant now = clock.instant();
    Object cached = session.getValue(sessionKey);
    if (cached instanceof CachedVerdict hit
        && hit.validator == validator
        && hit.revocationGeneration == revocationGeneration
        && now.isBefore(hit.recheckAt)) {
      return hit.verdict;
    }
    Verdict verdict = reported(decide(peerChain(session), true, ServerHost.NOT_CHECKED));
    session.putValue(sessionKey, new CachedVerdict(validator, revocationGeneration, verdict, recheckAt(verdict, now)));
    return verdict;
  }

  @Override
  public Verdict judge(List<X509Certificate> chain, boolean applyPolicy, @Nullable String peerHost,
      boolean endpointIdentification) {
    return reported(decide(chain, applyPolicy, ServerHost.handshake(peerHost, endpointIdentification)));
  }

  private Verdict reported(Verdict verdict) {
    if (verdict instanceof Verdict.Rejected rejected) {
      listener.peerRejected(new MtlsListener.PeerRejected(rejected, clock.instant()));
    }
    return verdict;
  }

  /**
   * The verdict, without telling the listener: for re-judging sessions after a change.
   */
  Verdict decide(List<X509Certificate> chain, boolean applyPolicy, ServerHost host) {
    if (chain.isEmpty()) {
      return new Verdict.Rejected(RejectionReason.NO_CERTIFICATE, "the peer sent no certificate", null);
    }
    Instant now = clock.instant();
    ChainValidator.Result result = trust.validator().validate(chain, now, clockSkew);
    if (!result.isValid()) {
      return rejected(result.reason(), result.detail(), chain);
    }
    RevocationStatus status;
    try {
      status = revocation.check(result.path(), now);
    } catch (RuntimeException e) {
      // A CRL entry that does not decode, say: undecidable, so refused, and still a verdict.
      status = RevocationStatus.unknown("revocation check failed: " + e);
    }
    if (status.state() != RevocationStatus.State.GOOD) {
      RejectionReason reason = status.state() == RevocationStatus.State.REVOKED
          ? RejectionReason.REVOKED
          : RejectionReason.REVOCATION_UNKNOWN;
      return rejected(reason, status.detail(), chain);
    }
    PeerIdentity peer = result.identity();
    if (applyPolicy) {
      Verdict.Rejected rejected = rule.check(peer, host);
      if (rejected != null) {
        return rejected;
      }
    }
    return new Verdict.Allowed(peer);
  }

  /** A rejection naming the peer as it presented itself, when its certificate can be parsed. */
  private static Verdict.Rejected rejected(RejectionReason reason, String detail, List<X509Certificate> chain) {
    PeerIdentity presented;
    try {
      presented = PeerIdentity.of(chain);
    } catch (IllegalArgumentException e) {
      return new Verdict.Rejected(RejectionReason.MALFORMED_CERTIFICATE, "the peer's certificate "
          + chain.get(0).getSubjectX500Principal() + " cannot be parsed: " + e.getMessage(), null);
    }
    return new Verdict.Rejected(reason, presented.describe() + ": " + detail, presented);
  }

  static List<X509Certificate> peerChain(SSLSession session) {
    Certificate[] certificates;
    try {
      certificates = session.getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      return List.of();
    }
    List<X509Certificate> chain = new ArrayList<>(certificates.length);
    for (Certificate certificate : certificates) {
      if (!(certificate instanceof X509Certificate x509)) {
        return List.of();
      }
      chain.add(x509);
    }
    return chain;
  }

  /** A cached verdict holds until the first certificate of the path expires. */
  private static Instant recheckAt(Verdict verdict, Instant now) {
    PeerIdentity peer = verdict.peer();
    if (!(verdict instanceof Verdict.Allowed) || peer == null) {
      return now; // rejections are recomputed: they are rare, and must not stick
    }
    Instant earliest = Instant.MAX;
    for (X509Certificate certificate : peer.chain()) {
      Instant notAfter = certificate.getNotAfter().toInstant();
      earliest = notAfter.isBefore(earliest) ? notAfter : earliest;
    }
    return earliest;
  }

  private record CachedVerdict(
      ChainValidator validator, long revocationGeneration, Verdict verdict, Instant recheckAt) {}
}
