package dev.mtls.core;

import static dev.mtls.core.ChainScenario.assertAllowed;
import static dev.mtls.core.ChainScenario.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.testkit.CaExtensions;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import java.io.IOException;
import java.util.stream.IntStream;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Name constraints through the chain (RFC 5280, 4.2.1.10): a wildcard name is judged by the
 * names it may match, constraints in the wrong place or of the wrong form refuse the chain,
 * and a chain whose constraints would take seconds to check is refused before the work. On
 * the code before these rules, the wildcard, form and cost cases were accepted (the hostile
 * chain after about a second of work).
 */
class PathNameConstraintsTest {
  private static final String NAME_CONSTRAINTS = "2.5.29.30";

  private final TestCa root = TestCa.create();
  private final ChainScenario scenario = new ChainScenario();

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void handshake_refusesAWildcard_thatMayMatchAnExcludedName(TlsProvider provider) throws Exception {
    TestCa issuing = root.newIntermediate("Corp CA",
        CaExtensions.builder().excludedDnsNames("admin.corp.example").build());
    scenario.assertClientRefused(scenario.server(root.certificate(), provider), client(issuing, "*.corp.example"),
        RejectionReason.UNTRUSTED_ISSUER,
        "the wildcard name *.corp.example may match the excluded name admin.corp.example, excluded by the name"
            + " constraints of issuing certificate CN=Corp CA");
  }

  @ParameterizedTest
  @ValueSource(strings = {"*.CORP.example", "*.corp.example."})
  void aWildcard_isJudgedByTheNamesItMayMatch_underTheTrustAnchorToo(String wildcard) {
    TestCa constrainedRoot = TestCa.builder().commonName("Corp Root")
        .extensions(CaExtensions.builder().excludedDnsNames("Admin.corp.example").build()).build();
    try (MtlsContext server = scenario.server(constrainedRoot.certificate(), TlsProvider.JDK)) {
      assertRefused(server.verifier().verify(client(constrainedRoot, wildcard).chain()),
          RejectionReason.UNTRUSTED_ISSUER, "may match the excluded name admin.corp.example");
    }
  }

  @Test
  void aWildcard_thatCannotMatchTheExcludedName_isLetIn() {
    TestCa issuing = root.newIntermediate("Corp CA",
        CaExtensions.builder().excludedDnsNames("x.admin.corp.example", "corp.other").build());
    try (MtlsContext server = scenario.server(root.certificate(), TlsProvider.JDK)) {
      assertAllowed(server.verifier().verify(client(issuing, "*.corp.example").chain()));
    }
  }

  @Test
  void aWildcard_wideThanThePermittedSubtree_isRefused() {
    // Holds already: PKIX finds *.corp.example outside of web.corp.example.
    TestCa issuing = root.newIntermediate("Web CA",
        CaExtensions.builder().permittedDnsNames("web.corp.example").build());
    try (MtlsContext server = scenario.server(root.certificate(), TlsProvider.JDK)) {
      assertRefused(server.verifier().verify(client(issuing, "*.corp.example").chain()),
          RejectionReason.UNTRUSTED_ISSUER, "");
      assertAllowed(server.verifier().verify(client(issuing, "*.web.corp.example").chain()));
    }
  }

  @Test
  void nameConstraintsInAnEndEntityCertificate_refuseTheChain() throws IOException {
    IssuedCertificate leaf = root.leaf("orders").clientAuth()
        .extension(NAME_CONSTRAINTS, true, permitted("example.com").getEncoded()).issue();
    try (MtlsContext server = scenario.server(root.certificate(), TlsProvider.JDK)) {
      assertRefused(server.verifier().verify(leaf.chain()), RejectionReason.UNTRUSTED_ISSUER,
          "is an end-entity certificate with name constraints");
    }
  }

  @Test
  void nonCriticalNameConstraints_refuseTheChain() throws IOException {
    TestCa issuing = root.newIntermediate("Lax CA", CaExtensions.builder()
        .extension(NAME_CONSTRAINTS, false, permitted("example.com").getEncoded()).build());
    try (MtlsContext server = scenario.server(root.certificate(), TlsProvider.JDK)) {
      assertRefused(server.verifier().verify(client(issuing, "a.example.com").chain()),
          RejectionReason.UNTRUSTED_ISSUER, "CN=Lax CA has name constraints that are not marked critical");
    }
  }

  @Test
  void aDnsNameSubtreeWithALeadingPeriod_refusesTheChain() {
    TestCa issuing = root.newIntermediate("Dotted CA",
        CaExtensions.builder().permittedDnsNames(".example.com").build());
    try (MtlsContext server = scenario.server(root.certificate(), TlsProvider.JDK)) {
      assertRefused(server.verifier().verify(client(issuing, "a.example.com").chain()),
          RejectionReason.UNTRUSTED_ISSUER, "the dNSName subtree \".example.com\" starts with a period");
    }
  }

  @Test
  void nameConstraintsWithoutSubtrees_orWithAnEmptyList_refuseTheChain() throws IOException {
    TestCa empty = root.newIntermediate("Empty CA", CaExtensions.builder()
        .extension(NAME_CONSTRAINTS, true, new DERSequence().getEncoded()).build());
    TestCa emptyList = root.newIntermediate("Empty List CA", CaExtensions.builder()
        .extension(NAME_CONSTRAINTS, true,
            new DERSequence(new DERTaggedObject(false, 1, new DERSequence())).getEncoded()).build());
    try (MtlsContext server = scenario.server(root.certificate(), TlsProvider.JDK)) {
      assertRefused(server.verifier().verify(client(empty, "a.example.com").chain()),
          RejectionReason.UNTRUSTED_ISSUER, "neither permitted nor excluded subtrees");
      // Holds already: PKIX cannot decode an empty list of subtrees.
      assertRefused(server.verifier().verify(client(emptyList, "a.example.com").chain()),
          RejectionReason.UNTRUSTED_ISSUER, "Name constraints extension could not be decoded");
    }
  }

  @Test
  void aChainWhoseConstraintsWouldTakeSecondsToCheck_isRefusedBeforeTheWork() {
    TestCa hostile = root.newIntermediate("Hostile CA", CaExtensions.builder()
        .excludedDnsNames(IntStream.range(0, 512).mapToObj(i -> "x" + i + ".example").toArray(String[]::new))
        .build());
    IssuedCertificate leaf = hostile.leaf("orders").clientAuth()
        .dnsNames(IntStream.range(0, 512).mapToObj(i -> "n" + i + ".corp.example").toArray(String[]::new)).issue();
    try (MtlsContext server = scenario.server(root.certificate(), TlsProvider.JDK)) {
      long start = System.nanoTime();
      assertRefused(server.verifier().verify(leaf.chain()), RejectionReason.UNTRUSTED_ISSUER,
          "the chain's name constraints ask for 524800 comparisons of names with subtrees, more than the 16384");
      assertThat((System.nanoTime() - start) / 1_000_000).as("milliseconds").isLessThan(1_000);
    }
  }

  @Test
  void aChainWithinTheCostBound_isCheckedInFull() {
    TestCa issuing = root.newIntermediate("Busy CA", CaExtensions.builder()
        .excludedDnsNames(IntStream.range(0, 64).mapToObj(i -> "x" + i + ".example").toArray(String[]::new))
        .build());
    IssuedCertificate leaf = issuing.leaf("orders").clientAuth()
        .dnsNames(IntStream.range(0, 64).mapToObj(i -> "n" + i + ".corp.example").toArray(String[]::new)).issue();
    try (MtlsContext server = scenario.server(root.certificate(), TlsProvider.JDK)) {
      assertAllowed(server.verifier().verify(leaf.chain()));
    }
  }

  private static IssuedCertificate client(TestCa issuer, String dnsName) {
    return issuer.leaf("client").dnsNames(dnsName).clientAuth().issue();
  }

  private static NameConstraints permitted(String dnsName) {
    return new NameConstraints(new GeneralSubtree[] {new GeneralSubtree(new GeneralName(GeneralName.dNSName, dnsName))},
        null);
  }
}
