package dev.mtls.core.internal.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.core.RejectionReason;
import dev.mtls.core.internal.material.TrustMaterial;
import dev.mtls.testkit.CaExtensions;
import dev.mtls.testkit.TestCa;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.PolicyInformation;
import org.junit.jupiter.api.Test;

/**
 * A new peer under an intermediate whose path has passed PKIX before is not put through PKIX
 * again: every check still holds for it, and what the remembered path cannot answer for goes
 * through PKIX.
 */
class PkixMemoryTest {
  private static final String POLICY = "1.3.6.1.4.1.55555.1";

  private final TestCa root = TestCa.create();
  private final TestCa intermediate = root.newIntermediate("Issuing CA");
  private final ChainValidator validator = new ChainValidator(new TrustMaterial(List.of(root.certificate()), "test"));

  @Test
  void newPeerUnderAKnownIntermediate_costsNoPkixRun_andOneSignatureVerification() {
    assertValid(intermediate.client("first").chain());
    long pkix = validator.pkixRuns();
    long verifications = validator.signatureVerifications();

    assertValid(intermediate.client("second").chain());

    assertThat(validator.pkixRuns()).as("PKIX runs for the second peer").isEqualTo(pkix);
    assertThat(validator.signatureVerifications() - verifications).as("signatures verified").isEqualTo(1);
  }

  @Test
  void leafOfTheKnownIntermediatesName_signedByAnotherKey_isRefused() {
    assertValid(intermediate.client("genuine").chain());
    TestCa forger = intermediate.rekey();

    ChainValidator.Result result = validate(List.of(forger.client("forged").certificate(), intermediate.certificate()));

    assertThat(result.reason()).isEqualTo(RejectionReason.UNTRUSTED_ISSUER);
  }

  @Test
  void leafWithAnAlteredSignature_underTheKnownIntermediate_isRefused() throws Exception {
    assertValid(intermediate.client("genuine").chain());
    byte[] der = intermediate.client("altered").certificate().getEncoded();
    der[der.length - 1] ^= 0x01;

    ChainValidator.Result result = validate(List.of(parse(der), intermediate.certificate()));

    assertThat(result.reason()).isEqualTo(RejectionReason.UNTRUSTED_ISSUER);
  }

  @Test
  void leafWithAnUnrecognisedCriticalExtension_underTheKnownIntermediate_isRefused()
      throws Exception {
    assertValid(intermediate.client("plain").chain());
    X509Certificate odd = intermediate.leaf("odd").clientAuth()
        .extension("1.3.6.1.4.1.55555.9", true, DERNull.INSTANCE.getEncoded()).issue().certificate();

    ChainValidator.Result result = validate(List.of(odd, intermediate.certificate()));

    assertThat(result.isValid()).as(result.detail()).isFalse();
    assertThat(result.detail()).contains("critical");
  }

  @Test
  void leafOutsideTheKnownIntermediatesNameConstraints_isRefused_afterAPermittedPeerPassed() {
    TestCa constrained = root.newIntermediate("Corp CA",
        CaExtensions.builder().permittedDnsNames("corp.example").build());
    assertValid(constrained.server("api.corp.example").chain());
    long pkix = validator.pkixRuns();

    ChainValidator.Result result = validate(constrained.server("api.other.example").chain());

    assertThat(result.reason()).isEqualTo(RejectionReason.UNTRUSTED_ISSUER);
    assertThat(validator.pkixRuns()).as("a path under name constraints goes through PKIX").isEqualTo(pkix + 1);
  }

  @Test
  void leafWithoutTheRequiredPolicy_isRefused_afterAPeerWithItPassedUnderTheSameIntermediate() throws Exception {
    TestCa strict = root.newIntermediate("Policy CA",
        CaExtensions.builder().certificatePolicies(POLICY).requireExplicitPolicy(0).build());
    byte[] policies = new CertificatePolicies(new PolicyInformation(new ASN1ObjectIdentifier(POLICY))).getEncoded();
    assertValid(strict.leaf("with policy").clientAuth()
        .extension(Extension.certificatePolicies.getId(), false, policies).issue().chain());

    ChainValidator.Result result = validate(strict.client("without policy").chain());

    assertThat(result.isValid()).as("a peer without the policy its issuer requires").isFalse();
    assertThat(result.detail()).containsIgnoringCase("policy");
  }

  @Test
  void leafOfAnotherIntermediate_ofAnotherAnchor_isNotCoveredByTheRememberedPath() {
    assertValid(intermediate.client("first").chain());
    TestCa otherIntermediate = root.newIntermediate("Other CA");
    long pkix = validator.pkixRuns();

    assertValid(otherIntermediate.client("second").chain());

    assertThat(validator.pkixRuns()).as("a path above not seen before goes through PKIX").isEqualTo(pkix + 1);
  }

  private void assertValid(List<X509Certificate> chain) {
    ChainValidator.Result result = validate(chain);
    assertThat(result.isValid()).as(result.detail()).isTrue();
  }

  private ChainValidator.Result validate(List<X509Certificate> chain) {
    return validator.validate(chain, Instant.now(), Duration.ZERO);
  }

  private static X509Certificate parse(byte[] der) throws Exception {
    return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
  }
}
