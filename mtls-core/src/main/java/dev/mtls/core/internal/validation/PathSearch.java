package dev.mtls.core.internal.validation;

import dev.mtls.core.RejectionReason;
import dev.mtls.core.internal.SafeText;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import javax.security.auth.x500.X500Principal;
import org.jspecify.annotations.Nullable;

/**
 * One search for a path from a peer's certificate to a trust anchor (RFC 4158), depth first:
 * at each certificate the candidate issuers are the anchors and the presented certificates
 * whose subject is its issuer name: first those whose key identifier matches its authority
 * key identifier (where both are present), among them anchors first, then those valid now,
 * then in the order the peer sent them. A candidate is followed only when it signed the certificate; a path
 * that reaches an anchor is judged whole, and the first one judged valid is the answer. So
 * cross-signed CAs, a re-keyed CA of the same name, self-issued rollover certificates,
 * superfluous and unordered certificates, and an expired beside a valid version of an
 * intermediate all find the path that holds.
 *
 * <p>The search is bounded: at most {@value #MAX_SIGNATURE_CHECKS} signature verifications
 * (signatures verified before, with the same key, are free), {@value #MAX_LINKS_TRIED} candidate
 * issuers tried and {@value #MAX_JUDGED_PATHS} judged paths per chain, and no path longer than
 * the length allowed. A path holds a name and key
 * once. When nothing holds, the refusal is the first judged path's reason (the most
 * promising, by the order above); without one, the limit that stopped the search, or where
 * the longest path ended.
 */
final class PathSearch {
  /** The most signatures one search verifies: about 2 ms of P-256 verifications. */
  static final int MAX_SIGNATURE_CHECKS = 24;
  /** The most complete paths one search judges. */
  static final int MAX_JUDGED_PATHS = 8;
  /**
   * The most links (certificate, candidate issuer) one search tries, whether their signatures
   * were verified before or not: what bounds the search among signatures all remembered.
   */
  static final int MAX_LINKS_TRIED = 128;

  /** Judges a complete path. */
  @FunctionalInterface
  interface Judge {
    /**
     * Validates one path.
     *
     * @param path the peer's certificate first, then its issuers, not the anchor
     * @param anchor the anchor that signed the last of them
     * @return the verdict on this path
     */
    ChainValidator.Result judge(List<PathCertificate> path, PathCertificate anchor);
  }

  private final List<PathCertificate> presented;
  private final Map<X500Principal, List<PathCertificate>> anchorsBySubject;
  private final Instant now;
  private final Duration skew;
  private final int maxLength;
  private final Judge judge;

  private int signatureChecks;
  private int judgedPaths;
  private int linksTried;
  private boolean limitReached;
  private boolean tooLong;
  private ChainValidator.@Nullable Result firstFailure;
  /** The last certificate of the longest path that found no issuer; the leaf until then. */
  private @Nullable PathCertificate deadEnd;
  private int deadEndDepth;
  private int deadEndRefusals;

  /**
   * Prepares a search.
   *
   * @param presented the certificates the peer sent besides its own, none equal to an anchor
   * @param anchorsBySubject the anchors by subject name
   * @param maxLength the most certificates a path may have, the peer's and the anchor's included
   */
  PathSearch(List<PathCertificate> presented, Map<X500Principal, List<PathCertificate>> anchorsBySubject,
      Instant now, Duration skew, int maxLength, Judge judge) {
    this.presented = presented;
    this.anchorsBySubject = anchorsBySubject;
    this.now = now;
    this.skew = skew;
    this.maxLength = maxLength;
    this.judge = judge;
  }

  /**
   * Searches.
   *
   * @param leaf the peer's certificate
   * @return the first valid path's result, or the best failure
   */
  ChainValidator.Result run(PathCertificate leaf) {
    List<PathCertificate> path = new ArrayList<>();
    path.add(leaf);
    deadEnd = leaf;
    ChainValidator.Result found = extend(path);
    return found != null ? found : failure();
  }

  /** Extends a path by every candidate issuer of its last certificate in turn. */
  private ChainValidator.@Nullable Result extend(List<PathCertificate> path) {
    PathCertificate top = path.get(path.size() - 1);
    int refusals = 0;
    boolean followed = false;
    for (PathCertificate candidate : candidates(top, path)) {
      if (path.size() + (candidate.isAnchor() ? 1 : 2) > maxLength) {
        tooLong = true;
        continue;
      }
      if (signatureChecks >= MAX_SIGNATURE_CHECKS || judgedPaths >= MAX_JUDGED_PATHS
          || linksTried++ >= MAX_LINKS_TRIED) {
        limitReached = true;
        return null;
      }
      if (!top.isSignedBy(candidate, this::countSignatureCheck)) {
        refusals++;
        continue;
      }
      followed = true;
      if (candidate.isAnchor()) {
        judgedPaths++;
        ChainValidator.Result result = judge.judge(path, candidate);
        if (result.isValid()) {
          return result;
        }
        if (firstFailure == null) {
          firstFailure = result;
        }
        continue;
      }
      path.add(candidate);
      ChainValidator.Result found = extend(path);
      path.remove(path.size() - 1);
      if (found != null || limitReached) {
        return found;
      }
    }
    if (!followed && path.size() > deadEndDepth) {
      deadEnd = top;
      deadEndDepth = path.size();
      deadEndRefusals = refusals;
    }
    return null;
  }

  private void countSignatureCheck() {
    signatureChecks++;
  }

  /** The possible issuers of {@code top} not yet on the path, the most promising first. */
  private List<PathCertificate> candidates(PathCertificate top, List<PathCertificate> path) {
    List<PathCertificate> candidates = new ArrayList<>();
    for (PathCertificate anchor : anchorsBySubject.getOrDefault(top.issuer(), List.of())) {
      if (top.mayBeIssuedBy(anchor)) {
        candidates.add(anchor);
      }
    }
    for (PathCertificate certificate : presented) {
      if (top.mayBeIssuedBy(certificate) && !onPath(certificate, path)) {
        candidates.add(certificate);
      }
    }
    if (candidates.size() > 1) {
      // Stable: the peer's order breaks ties.
      candidates.sort(Comparator.comparingInt(candidate -> rank(top, candidate)));
    }
    return candidates;
  }

  private int rank(PathCertificate top, PathCertificate candidate) {
    return (top.keyIdentifierPointsTo(candidate) ? 0 : 4) + (candidate.isAnchor() ? 0 : 2)
        + (candidate.isValidAt(now, skew) ? 0 : 1);
  }

  private static boolean onPath(PathCertificate candidate, List<PathCertificate> path) {
    for (PathCertificate certificate : path) {
      if (certificate == candidate || certificate.sameNameAndKey(candidate)) {
        return true;
      }
    }
    return false;
  }

  private ChainValidator.Result failure() {
    if (firstFailure != null) {
      return firstFailure;
    }
    if (limitReached) {
      return ChainValidator.Result.failure(RejectionReason.UNTRUSTED_ISSUER,
          "no path to a trust anchor within the search's limits (" + MAX_SIGNATURE_CHECKS + " signature checks, "
              + MAX_LINKS_TRIED + " candidate issuers, " + MAX_JUDGED_PATHS + " complete paths): the chain offers"
              + " too many candidate issuers");
    }
    if (tooLong) {
      return ChainValidator.Result.failure(RejectionReason.UNTRUSTED_ISSUER,
          "no path to a trust anchor of at most " + maxLength + " certificates, the most allowed");
    }
    PathCertificate top = java.util.Objects.requireNonNull(deadEnd, "deadEnd");
    String issuer = SafeText.printable(top.issuer().toString());
    if (deadEndRefusals > 0) {
      return ChainValidator.Result.failure(RejectionReason.UNTRUSTED_ISSUER,
          "certificate " + SafeText.printable(top.subject().toString()) + " names issuer " + issuer + ", but none of the "
              + deadEndRefusals + " certificates of that name among the trust anchors and the chain signed it");
    }
    return ChainValidator.Result.failure(RejectionReason.UNTRUSTED_ISSUER,
        "chain ends at issuer " + issuer + ", which is not a trust anchor");
  }
}
