package dev.mtls.core;

import static dev.mtls.core.ChainScenario.assertAllowed;
import static dev.mtls.core.ChainScenario.assertRefused;

import dev.mtls.testkit.CaExtensions;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.KeyUsage;
import dev.mtls.testkit.TestCa;
import java.io.IOException;
import java.math.BigInteger;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.GeneralName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The checkable MUSTs of RFC 5280, sections 4.1 and 4.2, which PKIX validation leaves alone.
 * Each refused case here was accepted by the code before them, but for the CA certificate
 * whose key usage lacks keyCertSign and the critical authority information access, which PKIX
 * refuses already.
 */
class CertificateProfileTest {
  private static final String BASIC_CONSTRAINTS = "2.5.29.19";
  private static final String KEY_USAGE = "2.5.29.15";
  private static final String SUBJECT_KEY_ID = "2.5.29.14";
  private static final String AUTHORITY_KEY_ID = "2.5.29.35";
  private static final String AUTHORITY_INFO_ACCESS = "1.3.6.1.5.5.7.1.1";

  private final TestCa root = TestCa.create();
  private final ChainScenario scenario = new ChainScenario();

  @ParameterizedTest
  @ValueSource(strings = {"0", "-5", "2923003274661805836407369665432566039311865085952"})
  void aSerialNumberThatIsNotPositive_orLongerThan20Octets_isRefused(String serial) {
    // 2^160 takes 21 octets.
    IssuedCertificate leaf = root.leaf("orders").clientAuth().serialNumber(new BigInteger(serial)).issue();
    try (MtlsContext server = scenario.server(root.certificate(), TlsProvider.JDK)) {
      assertRefused(server.verifier().verify(leaf.chain()), RejectionReason.MALFORMED_CERTIFICATE,
          "has a serial number");
    }
  }

  @Test
  void aSerialNumberOf20Octets_isLetIn() {
    BigInteger twentyOctets = BigInteger.ONE.shiftLeft(159).subtract(BigInteger.ONE);
    IssuedCertificate leaf = root.leaf("orders").clientAuth().serialNumber(twentyOctets).issue();
    try (MtlsContext server = scenario.server(root.certificate(), TlsProvider.JDK)) {
      assertAllowed(server.verifier().verify(leaf.chain()));
    }
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void handshake_refusesAnIntermediate_whoseBasicConstraintsAreNotCritical(TlsProvider provider) throws Exception {
    TestCa lax = root.newIntermediate("Lax CA", CaExtensions.builder()
        .extension(BASIC_CONSTRAINTS, false, new BasicConstraints(true).getEncoded()).build());
    scenario.assertClientRefused(scenario.server(root.certificate(), provider), lax.client("orders"),
        RejectionReason.MALFORMED_CERTIFICATE,
        "issuing certificate CN=Lax CA is a CA certificate whose basic constraints are not marked critical");
  }

  @Test
  void anIntermediate_withoutKeyCertSign_orWithoutKeyUsage_isRefused() throws IOException {
    TestCa noCertSign = root.newIntermediate("CRL Only CA", CaExtensions.builder()
        .extension(KEY_USAGE, true,
            new org.bouncycastle.asn1.x509.KeyUsage(org.bouncycastle.asn1.x509.KeyUsage.cRLSign).getEncoded())
        .build());
    TestCa noKeyUsage = root.newIntermediate("No Usage CA", CaExtensions.builder().omit(KEY_USAGE).build());
    try (MtlsContext server = scenario.server(root.certificate(), TlsProvider.JDK)) {
      // Holds already: PKIX refuses a CA key usage without keyCertSign.
      assertRefused(server.verifier().verify(noCertSign.client("orders").chain()), RejectionReason.UNTRUSTED_ISSUER,
          "CN=CRL Only CA");
      assertRefused(server.verifier().verify(noKeyUsage.client("orders").chain()),
          RejectionReason.MALFORMED_CERTIFICATE, "CN=No Usage CA is a CA certificate without keyCertSign");
    }
  }

  @Test
  void aLeafThatAssertsKeyCertSign_isRefused() {
    IssuedCertificate leaf = root.leaf("orders").clientAuth()
        .keyUsage(KeyUsage.DIGITAL_SIGNATURE, KeyUsage.KEY_CERT_SIGN).issue();
    try (MtlsContext server = scenario.server(root.certificate(), TlsProvider.JDK)) {
      assertRefused(server.verifier().verify(leaf.chain()), RejectionReason.MALFORMED_CERTIFICATE,
          "certificate CN=orders asserts keyCertSign in its key usage without basic constraints cA=true");
    }
  }

  @Test
  void keyIdentifiers_mustBePresentWhereRequired_andConsistent() throws IOException {
    IssuedCertificate noAuthorityKeyId = root.leaf("no-aki").clientAuth().omitExtension(AUTHORITY_KEY_ID).issue();
    IssuedCertificate otherKey = root.leaf("other-aki").clientAuth()
        .extension(AUTHORITY_KEY_ID, false, new AuthorityKeyIdentifier(new byte[20]).getEncoded()).issue();
    TestCa noSubjectKeyId = root.newIntermediate("No SKI CA", CaExtensions.builder().omit(SUBJECT_KEY_ID).build());
    try (MtlsContext server = scenario.server(root.certificate(), TlsProvider.JDK)) {
      assertRefused(server.verifier().verify(noAuthorityKeyId.chain()), RejectionReason.MALFORMED_CERTIFICATE,
          "CN=no-aki has no authority key identifier");
      assertRefused(server.verifier().verify(otherKey.chain()), RejectionReason.MALFORMED_CERTIFICATE,
          "CN=other-aki has an authority key identifier that is not the subject key identifier of its issuer");
      assertRefused(server.verifier().verify(noSubjectKeyId.client("orders").chain()),
          RejectionReason.MALFORMED_CERTIFICATE, "CN=No SKI CA is a CA certificate without a subject key identifier");
    }
  }

  @Test
  void authorityInformationAccess_isNonCriticalAndWellFormed() throws IOException {
    AuthorityInformationAccess good = access("http://ca.example/issuer.crt");
    IssuedCertificate wellFormed = root.leaf("good-aia").clientAuth()
        .extension(AUTHORITY_INFO_ACCESS, false, good.getEncoded()).issue();
    IssuedCertificate critical = root.leaf("critical-aia").clientAuth()
        .extension(AUTHORITY_INFO_ACCESS, true, good.getEncoded()).issue();
    IssuedCertificate relative = root.leaf("relative-aia").clientAuth()
        .extension(AUTHORITY_INFO_ACCESS, false, access("issuer.crt").getEncoded()).issue();
    IssuedCertificate empty = root.leaf("empty-aia").clientAuth()
        .extension(AUTHORITY_INFO_ACCESS, false, new DERSequence().getEncoded()).issue();
    try (MtlsContext server = scenario.server(root.certificate(), TlsProvider.JDK)) {
      assertAllowed(server.verifier().verify(wellFormed.chain()));
      // Holds already: PKIX refuses a critical extension it does not process.
      assertRefused(server.verifier().verify(critical.chain()), RejectionReason.UNTRUSTED_ISSUER,
          "unsupported critical extension: [1.3.6.1.5.5.7.1.1]");
      assertRefused(server.verifier().verify(relative.chain()), RejectionReason.MALFORMED_CERTIFICATE,
          "has an authority information access location that is not an absolute URI");
      assertRefused(server.verifier().verify(empty.chain()), RejectionReason.MALFORMED_CERTIFICATE,
          "authority information access");
    }
  }

  private static AuthorityInformationAccess access(String uri) {
    return new AuthorityInformationAccess(new AccessDescription(AccessDescription.id_ad_caIssuers,
        new GeneralName(GeneralName.uniformResourceIdentifier, uri)));
  }
}
