package dev.mtls.core;

import static dev.mtls.core.ChainScenario.assertAllowed;
import static dev.mtls.core.ChainScenario.assertRefused;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.testkit.CaExtensions;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import java.io.IOException;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The strict profile for clients that call public servers ({@link
 * CertificateProfile#CA_BROWSER_FORUM}): each server certificate here passes RFC 5280 and the
 * default profile, and breaks one of the CA/Browser Forum's rules, which the profile refuses.
 */
class CaBrowserForumProfileTest {
  private final TestCa root = TestCa.create();
  private final ChainScenario scenario = new ChainScenario();

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void handshake_refusesAServerCertificateWithoutExtendedKeyUsage_onlyUnderTheProfile(TlsProvider provider)
      throws Exception {
    IssuedCertificate noUsage = root.leaf("localhost").dnsNames("localhost").issue();
    scenario.assertServerAccepted(scenario.client(root.certificate(), CertificateProfile.RFC_5280, provider), noUsage,
        provider);
    scenario.assertServerRefused(scenario.client(root.certificate(), CertificateProfile.CA_BROWSER_FORUM, provider),
        noUsage, provider, RejectionReason.MALFORMED_CERTIFICATE,
        "certificate CN=localhost has no extended key usage; a public server's MUST have one");
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void handshake_refusesAWildcardOverAPublicSuffix(TlsProvider provider) throws Exception {
    IssuedCertificate wide = root.leaf("localhost").dnsNames("localhost", "*.co.uk").serverAuth().issue();
    scenario.assertServerRefused(scenario.client(root.certificate(), CertificateProfile.CA_BROWSER_FORUM, provider),
        wide, provider, RejectionReason.MALFORMED_CERTIFICATE,
        "has the wildcard name \"*.co.uk\" over the public suffix co.uk");
  }

  @Test
  void aConformingServerCertificate_isAccepted() {
    try (MtlsContext client = strictClient()) {
      assertAllowed(client.verifier().verifyServer(root.server("localhost", "*.example.co.uk").chain(), "localhost"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"*.github.io", "*.com", "w*.example.com", "*.*.example.com"})
  void wildcards_overAPublicSuffixOrNotTheWholeLeftmostLabel_areRefused(String wildcard) {
    try (MtlsContext client = strictClient()) {
      assertRefused(client.verifier().verifyServer(root.server("localhost", wildcard).chain(), "localhost"),
          RejectionReason.MALFORMED_CERTIFICATE, "\"" + wildcard + "\"");
    }
  }

  @Test
  void anUnderscoreInADnsName_isRefused() {
    try (MtlsContext client = strictClient()) {
      assertRefused(client.verifier().verifyServer(root.server("localhost", "my_host.example.com").chain(),
          "localhost"), RejectionReason.MALFORMED_CERTIFICATE, "\"my_host.example.com\" with an underscore");
    }
  }

  @Test
  void anyExtendedKeyUsage_orACriticalOne_onTheServerCertificate_isRefused() throws IOException {
    IssuedCertificate any = root.leaf("localhost").dnsNames("localhost").serverAuth()
        .extendedKeyUsages(CaExtensions.ANY_EXTENDED_KEY_USAGE).issue();
    IssuedCertificate critical = root.leaf("localhost").dnsNames("localhost")
        .extension("2.5.29.37", true, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth).getEncoded()).issue();
    try (MtlsContext client = strictClient()) {
      assertRefused(client.verifier().verifyServer(any.chain(), "localhost"), RejectionReason.MALFORMED_CERTIFICATE,
          "has anyExtendedKeyUsage");
      assertRefused(client.verifier().verifyServer(critical.chain(), "localhost"),
          RejectionReason.MALFORMED_CERTIFICATE, "has a critical extended key usage");
    }
  }

  @Test
  void theCommonName_mustBeOneOfTheSubjectAlternativeNames_inCanonicalForm() {
    IssuedCertificate other = root.leaf("other.example").dnsNames("localhost").serverAuth().issue();
    IssuedCertificate upperCase = root.leaf("LOCALHOST").dnsNames("localhost").serverAuth().issue();
    IssuedCertificate longIpv6 = root.leaf("0:0:0:0:0:0:0:1").dnsNames("localhost").ipAddresses("::1")
        .serverAuth().issue();
    IssuedCertificate canonicalIpv6 = root.leaf("::1").dnsNames("localhost").ipAddresses("::1").serverAuth().issue();
    try (MtlsContext client = strictClient()) {
      assertRefused(client.verifier().verifyServer(other.chain(), "localhost"), RejectionReason.MALFORMED_CERTIFICATE,
          "has the subject common name \"other.example\", which is not one of its subject alternative names");
      assertRefused(client.verifier().verifyServer(upperCase.chain(), "localhost"),
          RejectionReason.MALFORMED_CERTIFICATE, "\"LOCALHOST\"");
      assertRefused(client.verifier().verifyServer(longIpv6.chain(), "localhost"),
          RejectionReason.MALFORMED_CERTIFICATE, "\"0:0:0:0:0:0:0:1\"");
      assertAllowed(client.verifier().verifyServer(canonicalIpv6.chain(), "localhost"));
    }
  }

  @Test
  void aRootWithAnExtendedKeyUsage_isRefused() {
    TestCa usageRoot = TestCa.builder().commonName("Usage Root")
        .extensions(CaExtensions.builder().extendedKeyUsages(CaExtensions.SERVER_AUTH).build()).build();
    try (MtlsContext client = scenario.client(usageRoot.certificate(), CertificateProfile.CA_BROWSER_FORUM,
        TlsProvider.JDK)) {
      assertRefused(client.verifier().verifyServer(usageRoot.server("localhost").chain(), "localhost"),
          RejectionReason.MALFORMED_CERTIFICATE, "trust anchor CN=Usage Root has an extended key usage");
    }
    try (MtlsContext client = scenario.client(usageRoot.certificate(), CertificateProfile.RFC_5280, TlsProvider.JDK)) {
      assertAllowed(client.verifier().verifyServer(usageRoot.server("localhost").chain(), "localhost"));
    }
  }

  @Test
  void certificateProfile_isSetOnce() {
    assertThatThrownBy(() -> MtlsContext.forClient().certificateProfile(CertificateProfile.CA_BROWSER_FORUM)
        .certificateProfile(CertificateProfile.RFC_5280))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("certificateProfile was already set to CA_BROWSER_FORUM");
  }

  private MtlsContext strictClient() {
    return scenario.client(root.certificate(), CertificateProfile.CA_BROWSER_FORUM, TlsProvider.JDK);
  }
}
