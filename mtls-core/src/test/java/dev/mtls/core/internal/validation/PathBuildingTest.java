package dev.mtls.core.internal.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.core.RejectionReason;
import dev.mtls.core.internal.material.TrustMaterial;
import dev.mtls.testkit.CaExtensions;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Path building (RFC 4158) with real certificates from the testkit: when the chain offers
 * several candidate issuers for a certificate, every candidate is tried until a path holds,
 * within bounds.
 */
class PathBuildingTest {
  private final TestCa root = TestCa.create();

  @Test
  void crossSignedIssuer_isFound_whenTheFirstCertificateOfItsNameLeadsToAnUntrustedRoot() {
    TestCa untrustedRoot = TestCa.create();
    TestCa issuing = TestCa.builder().commonName("Issuing CA").build();
    IssuedCertificate peer = issuing.client("orders");
    X509Certificate byUntrusted = untrustedRoot.crossCertificate(issuing).issue();
    X509Certificate byTrusted = root.crossCertificate(issuing).issue();

    ChainValidator.Result result = validator(root).validate(
        List.of(peer.certificate(), byUntrusted, untrustedRoot.certificate(), byTrusted), now(), Duration.ZERO);

    assertThat(result.isValid()).as(result.detail()).isTrue();
    assertThat(result.path()).containsExactly(peer.certificate(), byTrusted, root.certificate());
  }

  @Test
  void reKeyedIntermediate_ofTheSameName_isChosenByTheKeyThatSignedThePeer() {
    TestCa intermediate = root.newIntermediate("Issuing CA");
    TestCa reKeyed = intermediate.rekey();
    IssuedCertificate peer = reKeyed.client("orders");

    ChainValidator.Result result = validator(root).validate(
        List.of(peer.certificate(), intermediate.certificate(), reKeyed.certificate()), now(), Duration.ZERO);

    assertThat(result.isValid()).as(result.detail()).isTrue();
    assertThat(result.path()).containsExactly(peer.certificate(), reKeyed.certificate(), root.certificate());
  }

  @Test
  void reKeyedAnchor_ofTheSameName_validatesWhatEitherKeySigned() {
    TestCa reKeyedRoot = root.rekey();
    ChainValidator both = new ChainValidator(
        new TrustMaterial(List.of(root.certificate(), reKeyedRoot.certificate()), "test"));

    assertThat(both.validate(List.of(root.client("old").certificate()), now(), Duration.ZERO).isValid()).isTrue();
    ChainValidator.Result renewed = both.validate(List.of(reKeyedRoot.client("new").certificate()), now(), Duration.ZERO);
    assertThat(renewed.isValid()).as(renewed.detail()).isTrue();
    assertThat(renewed.path().get(1)).isEqualTo(reKeyedRoot.certificate());
  }

  @Test
  void expiredAndValidCopiesOfTheIntermediate_validateThroughTheValidOne_inEitherOrder() {
    TestCa intermediate = root.newIntermediate("Issuing CA");
    Instant now = now();
    X509Certificate expired = expiredCopy(intermediate);
    IssuedCertificate peer = intermediate.client("orders");
    ChainValidator validator = validator(root);

    ChainValidator.Result expiredFirst = validator.validate(
        List.of(peer.certificate(), expired, intermediate.certificate()), now, Duration.ZERO);
    ChainValidator.Result expiredLast = validator.validate(
        List.of(peer.certificate(), intermediate.certificate(), expired), now, Duration.ZERO);

    assertThat(expiredFirst.isValid()).as(expiredFirst.detail()).isTrue();
    assertThat(expiredFirst.path()).containsExactly(peer.certificate(), intermediate.certificate(), root.certificate());
    assertThat(expiredLast.isValid()).as(expiredLast.detail()).isTrue();
  }

  @Test
  void onlyAnExpiredIntermediate_isRefusedAsExpired_namingIt() {
    TestCa intermediate = root.newIntermediate("Issuing CA");
    Instant now = now();
    X509Certificate expired = expiredCopy(intermediate);

    ChainValidator.Result result = validator(root).validate(
        List.of(intermediate.client("orders").certificate(), expired), now, Duration.ZERO);

    assertThat(result.reason()).isEqualTo(RejectionReason.EXPIRED);
    assertThat(result.detail()).contains("issuing certificate CN=Issuing CA expired at");
  }

  @Test
  void keyRollover_newWithOld_letsPeersThatTrustTheOldKeyValidateTheNewKeysCertificates() {
    TestCa renewed = root.rekey();
    X509Certificate newWithOld = root.crossCertificate(renewed).issue();
    IssuedCertificate peer = renewed.client("orders");

    ChainValidator.Result result = validator(root).validate(List.of(peer.certificate(), newWithOld), now(),
        Duration.ZERO);

    assertThat(newWithOld.getSubjectX500Principal()).isEqualTo(newWithOld.getIssuerX500Principal());
    assertThat(result.isValid()).as(result.detail()).isTrue();
    assertThat(result.path()).containsExactly(peer.certificate(), newWithOld, root.certificate());
  }

  @Test
  void keyRollover_oldWithNew_letsPeersThatTrustOnlyTheNewKeyValidateTheOldKeysCertificates() {
    TestCa renewed = root.rekey();
    X509Certificate oldWithNew = renewed.crossCertificate(root).issue();
    IssuedCertificate peer = root.client("orders");

    ChainValidator.Result result = validator(renewed).validate(
        List.of(peer.certificate(), root.certificate(), oldWithNew), now(), Duration.ZERO);

    assertThat(result.isValid()).as(result.detail()).isTrue();
    assertThat(result.path()).containsExactly(peer.certificate(), oldWithNew, renewed.certificate());
  }

  @Test
  void selfIssuedRolloverCertificate_doesNotCountTowardThePathLengthConstraint() {
    TestCa issuing = root.newIntermediate("Issuing CA", CaExtensions.builder().pathLength(0).build());
    TestCa renewed = issuing.rekey();
    X509Certificate newWithOld = issuing.crossCertificate(renewed).issue();
    IssuedCertificate peer = renewed.client("orders");

    ChainValidator.Result result = validator(root).validate(
        List.of(peer.certificate(), newWithOld, issuing.certificate()), now(), Duration.ZERO);

    assertThat(result.isValid()).as(result.detail()).isTrue();
    assertThat(result.path()).containsExactly(peer.certificate(), newWithOld, issuing.certificate(),
        root.certificate());
  }

  @Test
  void caBelowAPathLengthOfZero_isRefused_whenItIsNotSelfIssued() {
    TestCa issuing = root.newIntermediate("Issuing CA", CaExtensions.builder().pathLength(0).build());
    TestCa below = issuing.newIntermediate("Team CA");

    ChainValidator.Result result = validator(root).validate(
        List.of(below.client("orders").certificate(), below.certificate(), issuing.certificate()), now(),
        Duration.ZERO);

    assertThat(result.reason()).isEqualTo(RejectionReason.UNTRUSTED_ISSUER);
    assertThat(result.detail()).containsIgnoringCase("path length");
  }

  @Test
  void intermediateThatIsAlsoAnAnchor_endsThePathThere() {
    TestCa intermediate = root.newIntermediate("Issuing CA");
    ChainValidator validator = new ChainValidator(
        new TrustMaterial(List.of(root.certificate(), intermediate.certificate()), "test"));
    IssuedCertificate peer = intermediate.client("orders");

    ChainValidator.Result result = validator.validate(
        List.of(peer.certificate(), intermediate.certificate(), root.certificate()), now(), Duration.ZERO);

    assertThat(result.isValid()).as(result.detail()).isTrue();
    assertThat(result.path()).containsExactly(peer.certificate(), intermediate.certificate());
  }

  @Test
  void pathLongerThanAllowed_isRefused_andTheSameChainPassesWithRoomToSpare() {
    TestCa first = root.newIntermediate("First CA");
    TestCa second = first.newIntermediate("Second CA");
    List<X509Certificate> chain = List.of(second.client("orders").certificate(), second.certificate(),
        first.certificate());
    ChainValidator validator = validator(root);

    ChainValidator.Result tooLong = validator.validate(chain, now(), Duration.ZERO, 3);
    ChainValidator.Result fits = validator.validate(chain, now(), Duration.ZERO, 4);

    assertThat(tooLong.reason()).isEqualTo(RejectionReason.UNTRUSTED_ISSUER);
    assertThat(tooLong.detail()).contains("at most 3 certificates");
    assertThat(fits.isValid()).as(fits.detail()).isTrue();
    assertThat(validator.validate(chain, now(), Duration.ZERO, 3).isValid())
        .as("a remembered path is held to the limit too").isFalse();
  }

  @Test
  void hostileChainOfSameNamedCasCertifyingEachOther_isRefusedWithinTheSearchBounds_everyTime() {
    List<TestCa> sameName = new ArrayList<>();
    sameName.add(TestCa.builder().commonName("Hostile CA").build());
    while (sameName.size() < 6) {
      sameName.add(sameName.get(0).rekey());
    }
    List<X509Certificate> chain = new ArrayList<>();
    chain.add(sameName.get(0).client("hostile").certificate());
    for (TestCa issuer : sameName) {
      for (TestCa subject : sameName) {
        if (subject != issuer) {
          chain.add(issuer.crossCertificate(subject).issue());
        }
      }
    }
    ChainValidator validator = validator(root);

    ChainValidator.Result first = validator.validate(chain, now(), Duration.ZERO);
    long firstVerifications = validator.signatureVerifications();
    // Again, with every signature the first search verified remembered: the link budget holds.
    ChainValidator.Result again = validator.validate(chain, now(), Duration.ZERO);

    assertThat(first.reason()).isEqualTo(RejectionReason.UNTRUSTED_ISSUER);
    assertThat(first.detail()).contains("limits");
    assertThat(again.detail()).contains("limits");
    // The cost is counted, not timed: 24 P-256 verifications are about 2 ms on an idle core.
    assertThat(firstVerifications).isLessThanOrEqualTo(PathSearch.MAX_SIGNATURE_CHECKS);
    assertThat(validator.signatureVerifications() - firstVerifications)
        .isLessThanOrEqualTo(PathSearch.MAX_SIGNATURE_CHECKS);
  }

  @Test
  void newPeerUnderAKnownIntermediate_costsOneSignatureVerification_andAReturningPeerNone() {
    TestCa intermediate = root.newIntermediate("Issuing CA");
    ChainValidator validator = validator(root);
    List<X509Certificate> first = intermediate.client("first").chain();
    assertThat(validator.validate(first, now(), Duration.ZERO).isValid()).isTrue();
    long afterFirst = validator.signatureVerifications();

    List<X509Certificate> second = intermediate.client("second").chain();
    assertThat(validator.validate(second, now(), Duration.ZERO).isValid()).isTrue();
    long afterSecond = validator.signatureVerifications();
    assertThat(validator.validate(second, now(), Duration.ZERO).isValid()).isTrue();

    assertThat(afterFirst).as("leaf and intermediate, each verified once").isEqualTo(2);
    assertThat(afterSecond - afterFirst).as("only the new leaf").isEqualTo(1);
    assertThat(validator.signatureVerifications()).as("the returning peer").isEqualTo(afterSecond);
  }

  @Test
  void chainWithoutAPathToAnAnchor_namesTheIssuerItEndsAt() {
    TestCa foreign = TestCa.builder().commonName("Foreign CA").build();

    ChainValidator.Result result = validator(root).validate(List.of(foreign.client("orders").certificate()), now(),
        Duration.ZERO);

    assertThat(result.reason()).isEqualTo(RejectionReason.UNTRUSTED_ISSUER);
    assertThat(result.detail()).isEqualTo("chain ends at issuer CN=Foreign CA, which is not a trust anchor");
  }

  @Test
  void caOfTheAnchorsNameThatDidNotSignThePeer_isNamedInTheRefusal() {
    TestCa impostor = TestCa.builder().commonName(root.subject().getName().substring(3)).build();

    ChainValidator.Result result = validator(root).validate(List.of(impostor.client("orders").certificate()), now(),
        Duration.ZERO);

    assertThat(result.reason()).isEqualTo(RejectionReason.UNTRUSTED_ISSUER);
  }

  /** The intermediate's name and key, certified again by the root, for a period that ended ten days ago. */
  private X509Certificate expiredCopy(TestCa intermediate) {
    return root.crossCertificate(intermediate)
        .validity(now().minus(Duration.ofDays(400)), now().minus(Duration.ofDays(10)))
        .issue();
  }

  private static ChainValidator validator(TestCa anchor) {
    return new ChainValidator(new TrustMaterial(List.of(anchor.certificate()), "test"));
  }

  private Instant now() {
    return root.clock().instant();
  }
}
