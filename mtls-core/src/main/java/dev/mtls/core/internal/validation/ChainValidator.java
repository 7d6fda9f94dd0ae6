package dev.mtls.core.internal.validation;

import dev.mtls.core.PeerIdentity;
import dev.mtls.core.RejectionReason;
import dev.mtls.core.internal.BoundedCache;
import dev.mtls.core.internal.BouncyCastle;
import dev.mtls.core.internal.material.TrustMaterial;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertPathValidatorException.BasicReason;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import javax.security.auth.x500.X500Principal;
import org.jspecify.annotations.Nullable;

/**
 * Validates a peer's chain against one immutable set of trust anchors: builds a path from the
 * peer's certificate to an anchor out of the certificates presented (see {@link PathSearch}:
 * candidates tried until one path validates, within bounds), and judges each complete path:
 * every certificate's validity (with clock skew), signature algorithm and key size, then PKIX
 * validation (signatures, basic constraints, key usage, name constraints, policy constraints,
 * critical extensions) with revocation off, since revocation is ours.
 *
 * <p>PKIX runs on the library's private Bouncy Castle provider, over the certificates as they
 * were handed over (nothing is re-parsed). Signatures are verified with Bouncy Castle, once per
 * issuer key and certificate: the CA certificates of recent chains are remembered with the
 * keys that verified them ({@value #REMEMBERED_CA_CERTIFICATES} of them), so a new leaf under
 * a known intermediate costs one verification, and PKIX verifies nothing the search did.
 * Nor does PKIX run again over a path whose part above the peer's certificate it passed before,
 * when nothing there constrains the peer's certificate ({@link PkixMemory}): a new peer under a
 * known intermediate costs its signature verification and the checks made here.
 *
 * <p>A path's result depends only on the chain and the anchors (validity is checked here, at
 * every call), so a successful result is remembered per presented chain, with the peer's
 * parsed identity: a returning peer costs a map lookup. The memory holds 10,000 chains;
 * beyond that, chains not seen recently make room for new ones, one at a time, so returning
 * peers keep their place while one-off peers stream through. A new set of anchors is a new
 * validator, with an empty memory.
 */
public final class ChainValidator {
  /** How many validated chains a validator remembers. */
  static final int REMEMBERED_CHAINS = 10_000;
  /** How many CA certificates (not anchors) a validator remembers, with their verified signatures. */
  static final int REMEMBERED_CA_CERTIFICATES = 4_096;
  /** The most certificates a path may have, the peer's and the anchor's included, unless the policy says fewer. */
  public static final int MAX_PATH_LENGTH = 10;
  /** The most certificates a peer may present; longer chains are refused unread. */
  static final int MAX_PRESENTED = 32;

  private final TrustMaterial trust;
  private final ChainProfile profile;
  private final Map<X500Principal, List<PathCertificate>> anchorsBySubject;
  private final Set<X509Certificate> anchorCertificates;
  private final BoundedCache<List<X509Certificate>, Result> validated;
  private final BoundedCache<X509Certificate, PathCertificate> caCertificates =
      new BoundedCache<>(REMEMBERED_CA_CERTIFICATES);
  private final PkixMemory pkixPassed = new PkixMemory(REMEMBERED_CA_CERTIFICATES);
  private final LongAdder signatureVerifications = new LongAdder();
  private final LongAdder pkixRuns = new LongAdder();

  /**
   * Creates a validator for a set of anchors.
   *
   * @param trust the anchors
   */
  public ChainValidator(TrustMaterial trust) {
    this(trust, ChainProfile.ANY_PURPOSE);
  }

  /**
   * Creates a validator for a set of anchors and what a context asks of its peers' chains.
   *
   * @param trust the anchors
   * @param profile the peers' purpose through the chain, and the strict profile if any
   */
  public ChainValidator(TrustMaterial trust, ChainProfile profile) {
    this(trust, profile, REMEMBERED_CHAINS);
  }

  ChainValidator(TrustMaterial trust, int rememberedChains) {
    this(trust, ChainProfile.ANY_PURPOSE, rememberedChains);
  }

  ChainValidator(TrustMaterial trust, ChainProfile profile, int rememberedChains) {
    this.trust = trust;
    this.profile = profile;
    this.validated = new BoundedCache<>(rememberedChains);
    Map<X500Principal, List<PathCertificate>> bySubject = new HashMap<>();
    for (X509Certificate anchor : trust.anchors()) {
      PathCertificate node = PathCertificate.anchor(anchor, signatureVerifications);
      bySubject.computeIfAbsent(node.subject(), subject -> new ArrayList<>()).add(node);
    }
    bySubject.replaceAll((subject, anchors) -> List.copyOf(anchors));
    this.anchorsBySubject = Map.copyOf(bySubject);
    this.anchorCertificates = Set.copyOf(trust.anchors());
  }

  /**
   * The anchors this validator checks against.
   *
   * @return the trust material
   */
  public TrustMaterial trust() {
    return trust;
  }

  /** How many signatures it has verified (a signature verified before with the same key is not counted again). */
  long signatureVerifications() {
    return signatureVerifications.sum();
  }

  /** How many paths it has put through PKIX validation (a path known to pass is not put through again). */
  long pkixRuns() {
    return pkixRuns.sum();
  }

  /**
   * What this validator asks of chains beyond PKIX.
   *
   * @return the profile
   */
  public ChainProfile profile() {
    return profile;
  }

  /** How many validated chains it remembers now: at most {@link #REMEMBERED_CHAINS}. */
  int rememberedChains() {
    return validated.size();
  }

  /**
   * Validates a chain as the peer sent it, with paths of at most {@link #MAX_PATH_LENGTH}
   * certificates.
   *
   * @param presented leaf first, not empty; may contain the root and unrelated extras
   * @param now the time to check validity at
   * @param skew the clock skew to tolerate at both ends of every validity period
   * @return the validated path (leaf, intermediates, the anchor's certificate last), or why not
   */
  public Result validate(List<X509Certificate> presented, Instant now, Duration skew) {
    return validate(presented, now, skew, MAX_PATH_LENGTH);
  }

  /**
   * Validates a chain as the peer sent it.
   *
   * @param presented leaf first, not empty; may contain the root and unrelated extras
   * @param now the time to check validity at
   * @param skew the clock skew to tolerate at both ends of every validity period
   * @param maxPathLength the most certificates the path may have, the peer's and the anchor's
   *     included; at most {@link #MAX_PATH_LENGTH} are considered
   * @return the validated path (leaf, intermediates, the anchor's certificate last), or why not
   */
  public Result validate(List<X509Certificate> presented, Instant now, Duration skew, int maxPathLength) {
    Result remembered = validated.get(presented);
    if (remembered != null && remembered.path().size() <= maxPathLength && validAt(remembered.path(), now, skew)
        && ChainConstraints.anchorNoLongerValid(remembered.path(), now, skew) == null) {
      return remembered;
    }
    X509Certificate leaf = presented.get(0);
    if (presented.size() > MAX_PRESENTED) {
      return Result.failure(RejectionReason.MALFORMED_CERTIFICATE, "the peer sent " + presented.size()
          + " certificates; at most " + MAX_PRESENTED + " are read");
    }
    // A CA certificate as the peer's own is what RFC 5280 allows; a peer policy may refuse it.
    Result invalid = checkValidity(leaf, true, now, skew);
    if (invalid != null) {
      return invalid;
    }
    boolean[] keyUsage = leaf.getKeyUsage();
    if (keyUsage != null && (keyUsage.length == 0 || !keyUsage[0])) {
      // Every allowed suite authenticates with a signature: a key that may not sign
      // (a CRL signer's, an encryption-only key) is not a TLS peer's.
      return Result.failure(RejectionReason.WRONG_KEY_USAGE,
          "the certificate's key usage does not include digitalSignature");
    }
    List<PathCertificate> others = new ArrayList<>(presented.size() - 1);
    for (X509Certificate certificate : presented.subList(1, presented.size())) {
      // An anchor sent along is reached as the anchor; a duplicate adds nothing.
      if (!anchorCertificates.contains(certificate) && !certificate.equals(leaf)) {
        PathCertificate node = caCertificate(certificate);
        if (!others.contains(node)) {
          others.add(node);
        }
      }
    }
    int maxLength = Math.min(maxPathLength, MAX_PATH_LENGTH);
    PathSearch search = new PathSearch(others, anchorsBySubject, now, skew, maxLength,
        (path, anchor) -> judge(path, anchor, now, skew));
    Result result = search.run(PathCertificate.presented(leaf, signatureVerifications));
    if (result.isValid()) {
      validated.put(List.copyOf(presented), result);
    }
    return result;
  }

  /** The remembered object for a CA certificate the peer sent, with the keys that verified it. */
  private PathCertificate caCertificate(X509Certificate certificate) {
    PathCertificate known = caCertificates.get(certificate);
    if (known == null) {
      known = PathCertificate.presented(certificate, signatureVerifications);
      caCertificates.put(certificate, known);
    }
    return known;
  }

  private static boolean validAt(List<X509Certificate> path, Instant now, Duration skew) {
    // The anchor's own dates are not the peer's to answer for: the path below it is checked.
    for (int i = 0; i < path.size() - 1; i++) {
      X509Certificate certificate = path.get(i);
      if (now.isAfter(certificate.getNotAfter().toInstant().plus(skew))
          || now.isBefore(certificate.getNotBefore().toInstant().minus(skew))) {
        return false;
      }
    }
    return true;
  }

  /** Judges one complete path: the peer's certificate and its issuers, then the anchor. */
  private Result judge(List<PathCertificate> path, PathCertificate anchor, Instant now, Duration skew) {
    List<X509Certificate> originals = new ArrayList<>(path.size() + 1);
    for (PathCertificate certificate : path) {
      originals.add(certificate.original());
    }
    for (int i = 1; i < originals.size(); i++) {
      Result invalid = checkValidity(originals.get(i), false, now, skew);
      if (invalid != null) {
        return invalid;
      }
    }
    for (X509Certificate certificate : originals) {
      String problem = AlgorithmConstraints.keyProblem(certificate);
      if (problem != null) {
        return Result.failure(RejectionReason.MALFORMED_CERTIFICATE, problem);
      }
      problem = AlgorithmConstraints.signatureProblem(certificate);
      if (problem != null) {
        return Result.failure(RejectionReason.UNTRUSTED_ISSUER, problem);
      }
    }
    // The checks of extensions read the path's own objects, which read each extension once.
    List<X509Certificate> judged = new ArrayList<>(path.size() + 1);
    judged.addAll(path);
    Result tooCostly = ChainConstraints.beforePkix(judged,
        anchorsBySubject.containsKey(anchor.subject()) ? List.of(anchor) : List.of());
    if (tooCostly != null) {
      return tooCostly;
    }
    Result pkix = pkix(path, anchor, now);
    if (pkix != null) {
      return pkix;
    }
    X509Certificate anchorCertificate = anchor.original();
    String weakAnchor = AlgorithmConstraints.keyProblem(anchorCertificate);
    if (weakAnchor != null) {
      return Result.failure(RejectionReason.UNTRUSTED_ISSUER, "trust anchor: " + weakAnchor);
    }
    originals.add(anchorCertificate);
    judged.add(anchor);
    Result broken = ChainConstraints.problem(judged, profile, now, skew);
    if (broken != null) {
      return broken;
    }
    try {
      return Result.valid(originals, PeerIdentity.of(originals));
    } catch (IllegalArgumentException e) {
      return Result.failure(RejectionReason.MALFORMED_CERTIFICATE,
          "the peer's certificate cannot be parsed: " + e.getMessage());
    }
  }

  private static @Nullable Result checkValidity(
      X509Certificate certificate, boolean isLeaf, Instant now, Duration skew) {
    Validity.Problem problem = Validity.problem(certificate, now, skew);
    if (problem == null) {
      return null;
    }
    String which = isLeaf ? "certificate" : "issuing certificate " + certificate.getSubjectX500Principal();
    return Result.failure(problem.reason(), which + " " + problem.text());
  }

  /**
   * PKIX over one path to the chosen anchor: {@code null} when it holds, otherwise why not.
   * PKIX is asked at a date inside every validity period of the path: {@code now} itself unless
   * the skew let a certificate through just outside its period, in which case at the nearest
   * edge instead (validity has been judged already, with the skew). A path whose part above the
   * peer's certificate passed before is not validated again when what is left is known to hold
   * ({@link PkixMemory}).
   */
  private @Nullable Result pkix(
      List<PathCertificate> path, PathCertificate anchor, Instant now) {
    Instant latestStart = Instant.MIN;
    Instant earliestEnd = Instant.MAX;
    for (PathCertificate certificate : path) {
      latestStart = certificate.notBefore().isAfter(latestStart) ? certificate.notBefore() : latestStart;
      earliestEnd = certificate.notAfter().isBefore(earliestEnd) ? certificate.notAfter() : earliestEnd;
    }
    if (pkixPassed.knownToPass(path, anchor, !latestStart.isAfter(earliestEnd))) {
      return null;
    }
    Instant at = now.isBefore(latestStart) ? latestStart : now;
    at = at.isAfter(earliestEnd) ? earliestEnd : at;
    pkixRuns.increment();
    try {
      CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
      PKIXParameters parameters = new PKIXParameters(Set.of(anchor.trustAnchor()));
      parameters.setRevocationEnabled(false);
      parameters.setDate(Date.from(at));
      CertPathValidator.getInstance("PKIX", BouncyCastle.PROVIDER).validate(certPath, parameters);
      pkixPassed.passed(path, anchor);
      return null;
    } catch (CertPathValidatorException e) {
      return Result.failure(reasonOf(e), describe(path, e));
    } catch (InvalidAlgorithmParameterException e) {
      return Result.failure(RejectionReason.UNTRUSTED_ISSUER, "no usable trust anchors: " + e.getMessage());
    } catch (GeneralSecurityException e) {
      return Result.failure(RejectionReason.MALFORMED_CERTIFICATE, "cannot build a path: " + e.getMessage());
    }
  }

  private static RejectionReason reasonOf(CertPathValidatorException e) {
    if (e.getReason() == BasicReason.EXPIRED) {
      return RejectionReason.EXPIRED;
    }
    if (e.getReason() == BasicReason.NOT_YET_VALID) {
      return RejectionReason.NOT_YET_VALID;
    }
    if (e.getReason() == BasicReason.REVOKED) {
      return RejectionReason.REVOKED;
    }
    return RejectionReason.UNTRUSTED_ISSUER;
  }

  private static String describe(List<PathCertificate> path, CertPathValidatorException e) {
    X509Certificate top = path.get(path.size() - 1);
    if (e.getIndex() < 0 || e.getReason() == BasicReason.UNSPECIFIED) {
      return "chain ends at issuer " + top.getIssuerX500Principal() + ", which is not a trust anchor"
          + " or did not sign it (" + e.getMessage() + ")";
    }
    X509Certificate failing = path.get(Math.min(e.getIndex(), path.size() - 1));
    return "certificate " + failing.getSubjectX500Principal() + " in the chain failed validation: "
        + e.getMessage();
  }

  /**
   * The outcome of {@link #validate}: a path and the peer's identity, or a reason and detail.
   *
   * @param path the validated path with the anchor's certificate last; empty on failure
   * @param reason why it failed; {@code null} when valid
   * @param detail one line saying what failed; empty when valid
   * @param identity the peer's identity parsed from the validated path; {@code null} on failure
   */
  public record Result(
      List<X509Certificate> path, @Nullable RejectionReason reason, String detail, @Nullable PeerIdentity identity) {
    static Result valid(List<X509Certificate> path, PeerIdentity identity) {
      return new Result(List.copyOf(path), null, "", identity);
    }

    static Result failure(RejectionReason reason, String detail) {
      return new Result(List.of(), reason, detail, null);
    }

    /**
     * Whether the chain is valid.
     *
     * @return {@code true} when there is a path
     */
    public boolean isValid() {
      return reason == null;
    }
  }
}
