package dev.mtls.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.core.internal.crl.CrlParser;
import dev.mtls.core.internal.crl.IndexedCrl;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.RevocationReason;
import dev.mtls.testkit.TestCa;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.cert.CRLReason;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SyntheticCrlTest {
  private static final int SYNTHETIC = 1_000;

  private TestCa ca;
  private IssuedCertificate revoked;
  private byte[] der;

  @BeforeEach
  void makeCrl() {
    ca = TestCa.create();
    revoked = ca.client("revoked");
    ca.revoke(revoked, RevocationReason.KEY_COMPROMISE, ca.clock().instant());
    der = SyntheticCrl.der(ca, 7, SYNTHETIC);
  }

  @Test
  void jdkReadsTheCasCrl_withTheCasRevocationAndTheSyntheticEntries_signedByTheCa() throws Exception {
    X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));

    crl.verify(ca.certificate().getPublicKey());
    assertThat(crl.getIssuerX500Principal()).isEqualTo(ca.subject());
    assertThat(crl.getRevokedCertificates()).hasSize(SYNTHETIC + 1);
    assertThat(crl.getRevokedCertificate(revoked.serialNumber()).getRevocationReason())
        .isEqualTo(CRLReason.KEY_COMPROMISE);
    assertThat(crl.getRevokedCertificates()).extracting(X509CRLEntry::getSerialNumber)
        .doesNotHaveDuplicates()
        .allSatisfy(serial -> assertThat(serial.signum()).isPositive());
  }

  @Test
  void libraryIndexesTheCrl_andVerifiesItWithTheCasKey() throws Exception {
    IndexedCrl crl = CrlParser.parse(der, "synthetic.crl", Instant.now(), Duration.ofHours(1)).get(0);

    assertThat(crl.size()).isEqualTo(SYNTHETIC + 1);
    assertThat(crl.crlNumber()).isEqualTo(BigInteger.valueOf(7));
    assertThat(crl.isSignedBy(ca.certificate().getPublicKey(), forged -> { })).isTrue();
    assertThat(crl.lookup(revoked.serialNumber())).isNotNull();
  }

  @Test
  void libraryRefusesTheSignature_forAnotherCasKey() throws Exception {
    IndexedCrl crl = CrlParser.parse(der, "synthetic.crl", Instant.now(), Duration.ofHours(1)).get(0);

    assertThat(crl.isSignedBy(TestCa.create().certificate().getPublicKey(), forged -> { })).isFalse();
  }
}
