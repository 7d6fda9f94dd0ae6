package dev.mtls.core;

import dev.mtls.core.MtlsListener.Stage;
import dev.mtls.core.internal.BoundedCache;
import dev.mtls.core.internal.crl.RevocationChecker;
import dev.mtls.core.internal.crl.RevocationStatus;
import dev.mtls.core.internal.validation.ChainValidator;
import dev.mtls.core.internal.validation.TrustHolder;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;

/**
 * The one implementation of the peer decision, shared by the context's trust manager (in
 * the handshake) and by the adapters (after it). Checks in a fixed order, so each rejection
 * carries the first reason that applies: certificate present and parseable, chain to an
 * anchor, validity, revocation, then the {@link PeerRule}: a server's peer policy, or a
 * client's server-identity rule (which may need the host connected to).
 *
 * <p>Verdicts of TLS sessions are remembered here, by session id (by chain for a session
 * without one), never in the session: a bounded memo whose entries hold while the trust anchors (the validator), the revocation
 * generation and the validity phase of every certificate of the chain stay what they were
 * when the verdict was reached.
 */
final class DefaultPeerVerifier implements PeerVerifier {
  /** How many sessions' verdicts are remembered. */
  static final int REMEMBERED_SESSIONS = 10_000;
  /** How often a remembered refusal is reported again while its session keeps being refused. */
  static final Duration REPEAT_REPORT_INTERVAL = Duration.ofMinutes(1);

  private final TrustHolder trust;
  private final RevocationChecker revocation;
  private final PeerRule rule;
  private final boolean judgesServers;
  private final boolean ruleInHandshake;
  private final Clock clock;
  private final Duration clockSkew;
  private final MtlsListener listener;
  private final BoundedCache<SessionKey, SessionVerdict> sessions = new BoundedCache<>(REMEMBERED_SESSIONS);

  DefaultPeerVerifier(
      TrustHolder trust,
      RevocationChecker revocation,
      PeerRule rule,
      boolean judgesServers,
      boolean ruleInHandshake,
      Clock clock,
      Duration clockSkew,
      MtlsListener listener) {
    this.trust = trust;
    this.revocation = revocation;
    this.rule = rule;
    this.judgesServers = judgesServers;
    this.ruleInHandshake = ruleInHandshake;
    this.clock = clock;
    this.clockSkew = clockSkew;
    this.listener = listener;
  }

  @Override
  public Verdict verify(List<X509Certificate> chain) {
    List<X509Certificate> presented = List.copyOf(chain);
    Instant now = clock.instant();
    return reported(decide(presented, true, ServerHost.NOT_CHECKED, trust.validator(), now), now, Stage.VERIFIER);
  }

  @Override
  public Verdict verifyServer(List<X509Certificate> chain, String host) {
    List<X509Certificate> presented = List.copyOf(chain);
    Objects.requireNonNull(host, "host");
    if (!judgesServers) {
      throw new IllegalStateException("verifyServer judges a client context's servers; this context is a"
          + " server's, whose peers are clients: use verify(..)");
    }
    Instant now = clock.instant();
    return reported(decide(presented, true, ServerHost.given(host), trust.validator(), now), now, Stage.VERIFIER);
  }

  @Override
  public Verdict verify(SSLSession session) {
    Objects.requireNonNull(session, "session");
    Certificate[] presented;
    try {
      presented = session.getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      presented = new Certificate[0];
    }
    return verifySession(session.getId(), Arrays.asList(presented));
  }

  @Override
  public Verdict verify(byte[] sessionId, List<X509Certificate> chain) {
    Objects.requireNonNull(sessionId, "sessionId");
    Objects.requireNonNull(chain, "chain");
    return verifySession(sessionId, chain);
  }

  /**
   * The verdict in the handshake, for the context's trust manager: the rule for who the peer
   * must be unless a server leaves its peer policy to the application ({@code
   * peerPolicyInHandshake(false)}); refusals reported.
   *
   * @param chain the chain as the peer sent it, leaf first
   * @param peerHost for a client: the host the engine or socket was made for, {@code null}
   *     when it has none; ignored on a server
   * @param endpointIdentification whether the engine or socket asks for endpoint
   *     identification: the server-identity rule says what that adds (never less)
   */
  Verdict verifyInHandshake(List<X509Certificate> chain, @Nullable String peerHost, boolean endpointIdentification) {
    Instant now = clock.instant();
    ServerHost host = ServerHost.handshake(peerHost, endpointIdentification);
    return reported(decide(chain, ruleInHandshake, host, trust.validator(), now), now, Stage.HANDSHAKE);
  }

  /**
   * Reports a refusal the TLS layer made without a chain to judge, so that it reaches the
   * listeners like every other: a client that sends no certificate where one is required is
   * refused by the JSSE before any trust manager runs ({@link RejectionReason#NO_CERTIFICATE}).
   *
   * @param reason why the peer was refused
   * @param detail one line naming the connection, when known, and what happened
   */
  void reportRefusal(RejectionReason reason, String detail) {
    listener.peerRejected(new MtlsListener.PeerRejected(new Verdict.Rejected(reason, detail, null), clock.instant(), 1,
        Stage.HANDSHAKE));
  }

  /** How many sessions' verdicts are remembered now. */
  int rememberedSessions() {
    return sessions.size();
  }

  /**
   * The verdict of a session, remembered or reached now.
   *
   * @param id the session id, empty when the session has none; only read, copied when kept
   * @param presented the peer's certificates as handed over; only read, copied when kept
   */
  private Verdict verifySession(byte[] id, List<? extends Certificate> presented) {
    // Read before judging: a change landing meanwhile leaves an entry that is judged again.
    ChainValidator validator = trust.validator();
    long generation = revocation.generation();
    Instant now = clock.instant();
    SessionKey key = SessionKey.lookup(id, presented);
    SessionVerdict remembered = sessions.get(key);
    if (remembered != null && remembered.holds(presented, validator, generation, now)) {
      if (remembered.accepted != null) {
        listener.peerAccepted(remembered.accepted);
      } else if (remembered.verdict instanceof Verdict.Rejected rejected) {
        reportRepeat(remembered, rejected, now);
      }
      return remembered.verdict;
    }
    List<X509Certificate> chain = x509Chain(presented);
    Verdict verdict = decide(chain, true, ServerHost.NOT_CHECKED, validator, now);
    sessions.put(key.kept(chain), new SessionVerdict(chain, verdict, validator, generation, now, clockSkew));
    return reported(verdict, now, Stage.VERIFIER);
  }

  /** A refusal once reached, refused again: counted, and reported once per interval. */
  private void reportRepeat(SessionVerdict remembered, Verdict.Rejected rejected, Instant now) {
    remembered.unreported.incrementAndGet();
    Instant last = remembered.lastReport.get();
    boolean due = now.isBefore(last) || !now.isBefore(last.plus(REPEAT_REPORT_INTERVAL));
    if (due && remembered.lastReport.compareAndSet(last, now)) {
      long count = remembered.unreported.getAndSet(0);
      if (count > 0) {
        listener.peerRejected(new MtlsListener.PeerRejected(rejected, now, count, Stage.REMEMBERED));
      }
    }
  }

  private Verdict reported(Verdict verdict, Instant now, Stage stage) {
    if (verdict instanceof Verdict.Rejected rejected) {
      listener.peerRejected(new MtlsListener.PeerRejected(rejected, now, 1, stage));
    } else if (verdict instanceof Verdict.Allowed allowed) {
      listener.peerAccepted(new MtlsListener.PeerAccepted(allowed, stage));
    }
    return verdict;
  }

  /** The decision itself: no listener, no memo; the trust anchors and the time as given. */
  private Verdict decide(List<X509Certificate> chain, boolean applyRule, ServerHost host,
      ChainValidator validator, Instant now) {
    if (chain.isEmpty()) {
      return new Verdict.Rejected(RejectionReason.NO_CERTIFICATE, "the peer sent no certificate", null);
    }
    ChainValidator.Result result = validator.validate(chain, now, clockSkew);
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
    if (applyRule) {
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

  /** An immutable copy of a peer's chain; empty when a certificate is not X.509 (no usable certificate). */
  private static List<X509Certificate> x509Chain(List<? extends Certificate> certificates) {
    List<X509Certificate> chain = new ArrayList<>(certificates.size());
    for (Certificate certificate : certificates) {
      if (!(Objects.requireNonNull(certificate, "certificate in the chain") instanceof X509Certificate x509)) {
        return List.of();
      }
      chain.add(x509);
    }
    return List.copyOf(chain);
  }

  /**
   * What a session's verdict is remembered by: its id or, for a session without one (Bouncy
   * Castle's JSSE gives TLS 1.3 sessions none), the peer's chain. Ids are hashed eight bytes at
   * a time (every request pays for it); keys are comparable by id, so that ids crafted to
   * collide cost a tree lookup in the map, not a list walk.
   */
  private static final class SessionKey implements Comparable<SessionKey> {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final byte[] id;
    /** Empty when keyed by id. */
    private final List<? extends Certificate> chain;
    private final int hash;

    private SessionKey(byte[] id, List<? extends Certificate> chain, int hash) {
      this.id = id;
      this.chain = chain;
      this.hash = hash;
    }

    /** A key over the arguments as they are, for a lookup that keeps nothing. */
    static SessionKey lookup(byte[] id, List<? extends Certificate> presented) {
      return id.length > 0 ? new SessionKey(id, List.of(), hash(id)) : new SessionKey(id, presented, presented.hashCode());
    }

    /** A key of its own, to keep. */
    SessionKey kept(List<X509Certificate> copiedChain) {
      return id.length > 0 ? new SessionKey(id.clone(), List.of(), hash) : new SessionKey(id, copiedChain, hash);
    }

    private static int hash(byte[] id) {
      long h = id.length;
      int i = 0;
      for (; i + Long.BYTES <= id.length; i += Long.BYTES) {
        h = h * 0x9E3779B97F4A7C15L + (long) LONGS.get(id, i);
      }
      for (; i < id.length; i++) {
        h = h * 31 + id[i];
      }
      return (int) (h ^ (h >>> 32));
    }

    @Override
    public boolean equals(@Nullable Object other) {
      return other instanceof SessionKey that && hash == that.hash && Arrays.equals(id, that.id)
          && chain.equals(that.chain);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public int compareTo(SessionKey other) {
      return Arrays.compare(id, other.id);
    }
  }

  /** The verdict reached for a session, and what it depended on. */
  private static final class SessionVerdict {
    final List<X509Certificate> chain;
    final Verdict verdict;
    /** For an accepted verdict, the event every hit reports: made once, so that hits allocate nothing. */
    final MtlsListener.@Nullable PeerAccepted accepted;
    final ChainValidator validator;
    final long revocationGeneration;
    /** The validity edges of the chain's certificates closest before and after the judgement. */
    final Instant validAfter;
    final Instant validBefore;
    final AtomicLong unreported = new AtomicLong();
    final AtomicReference<Instant> lastReport;

    SessionVerdict(List<X509Certificate> chain, Verdict verdict, ChainValidator validator,
        long revocationGeneration, Instant judgedAt, Duration skew) {
      this.chain = chain;
      this.verdict = verdict;
      this.accepted = verdict instanceof Verdict.Allowed allowed
          ? new MtlsListener.PeerAccepted(allowed, Stage.REMEMBERED)
          : null;
      this.validator = validator;
      this.revocationGeneration = revocationGeneration;
      this.lastReport = new AtomicReference<>(judgedAt);
      // Between two consecutive edges (a notBefore or a notAfter, widened by the skew) no
      // certificate of the chain, and no trust anchor it may lead to, becomes valid, expires or
      // comes back: the verdict holds there. At an edge itself nothing holds, whichever side of
      // it "valid" falls on.
      Instant[] edges = {Instant.MIN, Instant.MAX};
      narrowToEdges(edges, chain, judgedAt, skew);
      narrowToEdges(edges, validator.trust().anchors(), judgedAt, skew);
      this.validAfter = edges[0];
      this.validBefore = edges[1];
    }

    /** Whether this verdict is still the one a judgement of this chain would reach now. */
    /** Narrows {@code edges} (the last edge at or before, the first at or after) to those of the certificates. */
    private static void narrowToEdges(Instant[] edges, List<X509Certificate> certificates, Instant judgedAt,
        Duration skew) {
      for (X509Certificate certificate : certificates) {
        Instant notBefore = certificate.getNotBefore().toInstant().minus(skew);
        Instant notAfter = certificate.getNotAfter().toInstant().plus(skew);
        for (Instant edge : new Instant[] {notBefore, notAfter}) {
          if (!edge.isAfter(judgedAt) && edge.isAfter(edges[0])) {
            edges[0] = edge;
          }
          if (!edge.isBefore(judgedAt) && edge.isBefore(edges[1])) {
            edges[1] = edge;
          }
        }
      }
    }

    boolean holds(List<? extends Certificate> presented, ChainValidator currentValidator, long currentGeneration,
        Instant now) {
      return validator == currentValidator
          && revocationGeneration == currentGeneration
          && now.isAfter(validAfter)
          && now.isBefore(validBefore)
          && chain.equals(presented);
    }
  }
}
