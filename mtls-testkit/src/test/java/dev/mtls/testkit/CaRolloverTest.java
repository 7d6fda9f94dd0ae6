package dev.mtls.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Re-keyed CAs, cross-certificates and path length constraints, as path-building tests need them. */
class CaRolloverTest {
  private final TestCa root = TestCa.create();

  @Test
  void rekey_keepsTheNameAndIssuer_withANewKey() throws Exception {
    TestCa intermediate = root.newIntermediate("Issuing CA");
    TestCa renewed = intermediate.rekey();

    assertThat(renewed.subject()).isEqualTo(intermediate.subject());
    assertThat(renewed.keyPair().getPublic()).isNotEqualTo(intermediate.keyPair().getPublic());
    renewed.certificate().verify(root.keyPair().getPublic());
    assertThat(renewed.chain()).containsExactly(renewed.certificate(), root.certificate());
    assertThat(root.rekey().certificate().getIssuerX500Principal()).isEqualTo(root.subject());
  }

  @Test
  void crossCertificate_ofTheRekeyedCa_isSelfIssued_andSignedByTheOldKey() throws Exception {
    TestCa renewed = root.rekey();

    X509Certificate newWithOld = root.crossCertificate(renewed).issue();
    X509Certificate oldWithNew = renewed.crossCertificate(root).issue();

    assertThat(newWithOld.getSubjectX500Principal()).isEqualTo(newWithOld.getIssuerX500Principal());
    assertThat(newWithOld.getPublicKey()).isEqualTo(renewed.keyPair().getPublic());
    newWithOld.verify(root.keyPair().getPublic());
    assertThat(oldWithNew.getPublicKey()).isEqualTo(root.keyPair().getPublic());
    oldWithNew.verify(renewed.keyPair().getPublic());
    assertThat(newWithOld.getBasicConstraints()).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void crossCertificate_takesAValidityInThePast_andTheCertifiedCasExtensions() {
    TestCa other = root.newIntermediate("Other CA", CaExtensions.builder().pathLength(1).build());
    Instant now = root.clock().instant();

    X509Certificate expired = root.crossCertificate(other)
        .validity(now.minus(Duration.ofDays(20)), now.minus(Duration.ofDays(10)))
        .issue();

    assertThat(expired.getNotAfter().toInstant()).isEqualTo(now.minus(Duration.ofDays(10)));
    assertThat(expired.getBasicConstraints()).isEqualTo(1);
    assertThat(expired.getIssuerX500Principal()).isEqualTo(root.subject());
    assertThatIllegalArgumentException().isThrownBy(() -> root.crossCertificate(other).validity(now, now.minusSeconds(1)));
  }

  @Test
  void intermediate_withAPathLength_keepsIt_whenReKeyedOrCrossCertified() {
    TestCa constrained = root.newIntermediate("Issuing CA", CaExtensions.builder().pathLength(0).build());

    assertThat(constrained.certificate().getBasicConstraints()).isZero();
    assertThat(constrained.rekey().certificate().getBasicConstraints()).isZero();
    assertThat(root.crossCertificate(constrained).issue().getBasicConstraints()).isZero();
  }

  @Test
  void certificateAuthority_makesALeafWithCaBasicConstraints_keepingItsKeyUsage() {
    IssuedCertificate caAsLeaf = root.leaf("gateway").certificateAuthority().issue();

    assertThat(caAsLeaf.certificate().getBasicConstraints()).isEqualTo(Integer.MAX_VALUE);
    assertThat(caAsLeaf.certificate().getKeyUsage()[0]).as("digitalSignature").isTrue();
  }
}
