package dev.mtls.core.internal.validation;

import dev.mtls.core.RejectionReason;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The constraints a path must meet beyond PKIX validation, in one place for {@link
 * ChainValidator}: the cost of its name constraints (before PKIX), then, on the validated
 * path, its trust anchor, the RFC 5280 profile of each certificate, the form of its name
 * constraints and wildcard names under them, the peers' purpose through the CA certificates,
 * and the CA/Browser Forum profile where the context asks for it.
 */
final class ChainConstraints {
  private ChainConstraints() {}

  /**
   * Refuses a path before PKIX runs, when checking it would cost too much.
   *
   * @param path the presented certificates in issuing order, leaf first, without the anchor
   * @param anchors the anchors the path may end at
   * @return {@code null} to go on; otherwise the refusal
   */
  static ChainValidator.@Nullable Result beforePkix(List<X509Certificate> path, List<X509Certificate> anchors) {
    String problem = PathNameConstraints.costProblem(path, anchors);
    return problem == null ? null : ChainValidator.Result.failure(RejectionReason.UNTRUSTED_ISSUER, problem);
  }

  /**
   * The first constraint a validated path breaks.
   *
   * @param path leaf first, the trust anchor's certificate last
   * @param profile what the context asks of its peers' chains
   * @param now the time to judge the anchor's validity at
   * @param skew the clock skew tolerated
   * @return {@code null} when it breaks none; otherwise the refusal
   */
  static ChainValidator.@Nullable Result problem(
      List<X509Certificate> path, ChainProfile profile, Instant now, Duration skew) {
    X509Certificate anchor = path.get(path.size() - 1);
    Validity.Problem expired = Validity.problem(anchor, now, skew);
    if (expired != null) {
      return anchorExpired(anchor, expired);
    }
    String problem = TrustAnchorChecks.problem(anchor, now, skew);
    if (problem != null) {
      return ChainValidator.Result.failure(RejectionReason.UNTRUSTED_ISSUER, problem);
    }
    problem = Rfc5280Profile.problem(path);
    if (problem != null) {
      return ChainValidator.Result.failure(RejectionReason.MALFORMED_CERTIFICATE, problem);
    }
    problem = PathNameConstraints.problem(path);
    if (problem != null) {
      return ChainValidator.Result.failure(RejectionReason.UNTRUSTED_ISSUER, problem);
    }
    if (profile.purpose() != null) {
      problem = ChainPurpose.problem(path, profile.purpose());
      if (problem != null) {
        return ChainValidator.Result.failure(RejectionReason.WRONG_KEY_USAGE, problem);
      }
    }
    if (profile.caBrowserForum()) {
      problem = CaBrowserForumProfile.problem(path);
      if (problem != null) {
        return ChainValidator.Result.failure(RejectionReason.MALFORMED_CERTIFICATE, problem);
      }
    }
    return null;
  }

  /**
   * Refuses a path remembered as valid whose anchor has expired since (every call: the only
   * part of a remembered judgement that time changes, beside the presented certificates).
   *
   * @param path the remembered path, the anchor's certificate last
   * @return {@code null} while the anchor is valid
   */
  static ChainValidator.@Nullable Result anchorNoLongerValid(List<X509Certificate> path, Instant now, Duration skew) {
    X509Certificate anchor = path.get(path.size() - 1);
    Validity.Problem problem = Validity.problem(anchor, now, skew);
    return problem == null ? null : anchorExpired(anchor, problem);
  }

  private static ChainValidator.Result anchorExpired(X509Certificate anchor, Validity.Problem problem) {
    return ChainValidator.Result.failure(problem.reason(),
        "trust anchor " + anchor.getSubjectX500Principal() + " " + problem.text() + ": it validates nothing");
  }
}
