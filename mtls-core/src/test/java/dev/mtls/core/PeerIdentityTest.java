package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import java.net.URI;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PeerIdentityTest {
  private static TestCa root;
  private static TestCa intermediate;

  @BeforeAll
  static void createCa() {
    root = TestCa.builder().commonName("Prod Root CA").build();
    intermediate = root.newIntermediate("Prod Issuing CA");
  }

  private static PeerIdentity identityOf(IssuedCertificate issued) {
    return PeerIdentity.of(issued.fullChain());
  }

  private static PeerIdentity withSubject(String rfc2253) {
    return identityOf(root.leaf("ignored").subject(rfc2253).issue());
  }

  @Test
  void of_readsEveryField_ofAClientCertificate() throws Exception {
    IssuedCertificate issued = intermediate.leaf("orders")
        .dnsNames("orders.prod.svc", "orders")
        .ipAddresses("192.0.2.7", "2001:db8:0:0:0:0:0:7")
        .spiffeId("spiffe://prod.example/ns/shop/sa/orders")
        .uris("https://id.example/orders")
        .emails("orders@example.com")
        .clientAuth()
        .issue();

    PeerIdentity peer = identityOf(issued);

    X509Certificate leaf = issued.certificate();
    assertThat(peer.certificate()).isSameAs(leaf);
    assertThat(peer.chain()).containsExactlyElementsOf(issued.fullChain());
    assertThat(peer.commonName()).contains("orders");
    assertThat(peer.commonNames()).containsExactly("orders");
    assertThat(peer.dnsNames()).containsExactly("orders.prod.svc", "orders");
    assertThat(peer.ipAddresses()).containsExactly("192.0.2.7", "2001:db8::7");
    assertThat(peer.uris()).containsExactly(
        URI.create("spiffe://prod.example/ns/shop/sa/orders"), URI.create("https://id.example/orders"));
    assertThat(peer.emails()).containsExactly("orders@example.com");
    assertThat(peer.spiffeId()).contains(SpiffeId.parse("spiffe://prod.example/ns/shop/sa/orders"));
    assertThat(peer.subject()).isEqualTo(leaf.getSubjectX500Principal());
    assertThat(peer.issuer()).isEqualTo(intermediate.subject());
    assertThat(peer.serialNumber()).isEqualTo(issued.serialNumber());
    assertThat(peer.notBefore()).isEqualTo(leaf.getNotBefore().toInstant());
    assertThat(peer.notAfter()).isEqualTo(leaf.getNotAfter().toInstant());
    assertThat(peer.extendedKeyUsages()).containsExactly(KeyPurpose.CLIENT_AUTH.oid());
    assertThat(peer.sha256Fingerprint()).isEqualTo(
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(leaf.getEncoded())));
    assertThat(peer.sha256Fingerprint()).hasSize(64).matches("[0-9a-f]+");
  }

  @Test
  void ipAddresses_areWrittenInRfc5952Form() {
    PeerIdentity peer = identityOf(root.leaf("ips")
        .ipAddresses("::1", "::", "2001:DB8:0:0:1:0:0:1", "2001:db8:0:1:1:1:1:1", "fe80::1:0:0:0",
            "1:0:0:2:0:0:0:3", "10.0.0.255")
        .issue());

    // RFC 5952: longest zero run compressed (the first when tied), a lone zero group kept.
    assertThat(peer.ipAddresses()).containsExactly(
        "::1", "::", "2001:db8::1:0:0:1", "2001:db8:0:1:1:1:1:1", "fe80::1:0:0:0",
        "1:0:0:2::3", "10.0.0.255");
  }

  @Test
  void of_givesEmptyListsAndNoSpiffeId_whenTheCertificateHasNoSans() {
    PeerIdentity peer = identityOf(root.leaf("plain").issue());

    assertThat(peer.dnsNames()).isEmpty();
    assertThat(peer.ipAddresses()).isEmpty();
    assertThat(peer.uris()).isEmpty();
    assertThat(peer.emails()).isEmpty();
    assertThat(peer.spiffeId()).isEmpty();
    assertThat(peer.extendedKeyUsages()).isEmpty();
  }

  @Test
  void commonName_ignoresACnInsideAnotherAttributeValue() {
    PeerIdentity peer = withSubject("OU=CN\\=admin,O=Example");

    assertThat(peer.commonNames()).isEmpty();
    assertThat(peer.commonName()).isEmpty();
  }

  @Test
  void commonName_isEmpty_whenTheSubjectHasTwoCns() {
    PeerIdentity peer = withSubject("CN=admin,CN=guest");

    assertThat(peer.commonName()).isEmpty();
    assertThat(peer.commonNames()).containsExactlyInAnyOrder("admin", "guest");
  }

  @Test
  void commonName_keepsAnEscapedComma_asPartOfTheValue() {
    PeerIdentity peer = withSubject("CN=admin\\,evil,O=Example");

    assertThat(peer.commonName()).contains("admin,evil");
  }

  @Test
  void commonName_isFoundInsideAMultiValuedRdn() {
    PeerIdentity peer = withSubject("CN=orders+OU=shop,O=Example");

    assertThat(peer.commonName()).contains("orders");
  }

  @Test
  void commonName_keepsUnicodeLookAlikes_asDifferentNames() {
    PeerIdentity peer = withSubject("CN=\u0430dmin");

    assertThat(peer.commonName()).contains("\u0430dmin");
    assertThat(peer.commonName()).isNotEqualTo(java.util.Optional.of("admin"));
  }

  @Test
  void commonName_keepsATrailingSpaceAndANul() {
    assertThat(withSubject("CN=admin\\ ").commonName()).contains("admin ");
    assertThat(withSubject("CN=admin\\00").commonName()).contains("admin\0");
  }

  @Test
  void spiffeId_isEmpty_whenTheCertificateHasTwoSpiffeUris() {
    PeerIdentity peer = identityOf(root.leaf("two")
        .spiffeId("spiffe://prod.example/a")
        .spiffeId("spiffe://prod.example/b")
        .issue());

    assertThat(peer.spiffeId()).isEmpty();
    assertThat(peer.uris()).hasSize(2);
  }

  @Test
  void spiffeId_isEmpty_whenTheOnlySpiffeUriIsInvalid() {
    PeerIdentity peer = identityOf(root.leaf("bad").uris("spiffe://Prod.Example/a").issue());

    assertThat(peer.spiffeId()).isEmpty();
    assertThat(peer.uris()).containsExactly(URI.create("spiffe://Prod.Example/a"));
  }

  @Test
  void spiffeId_isEmpty_whenAnInvalidSpiffeUriComesWithAValidOne() {
    PeerIdentity peer = identityOf(root.leaf("mixed")
        .uris("spiffe://prod.example/a", "SPIFFE://prod.example/b")
        .issue());

    assertThat(peer.spiffeId()).isEmpty();
  }

  @Test
  void of_failsNamingTheUri_whenAUriSanIsNotAUri() {
    IssuedCertificate issued = root.leaf("broken").uris("https://exa mple/").issue();

    assertThatThrownBy(() -> identityOf(issued))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot read the peer's certificate")
        .hasMessageContaining("\"https://exa mple/\" is not a URI");
  }

  @Test
  void of_fails_whenTheChainIsEmpty() {
    assertThatThrownBy(() -> PeerIdentity.of(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the peer's certificate chain is empty");
  }

  @Test
  void equals_comparesTheCertificate_notTheChain() {
    IssuedCertificate issued = intermediate.leaf("orders").issue();
    PeerIdentity withPath = PeerIdentity.of(issued.fullChain());
    PeerIdentity leafOnly = PeerIdentity.of(List.of(issued.certificate()));
    PeerIdentity other = identityOf(intermediate.leaf("orders").issue());

    assertThat(withPath).isEqualTo(leafOnly).hasSameHashCodeAs(leafOnly);
    assertThat(withPath).isNotEqualTo(other);
  }

  @Test
  void describe_namesCnSpiffeIdSerialAndIssuer() {
    IssuedCertificate issued = intermediate.leaf("orders")
        .spiffeId("spiffe://prod.example/ns/a/sa/b")
        .issue();

    PeerIdentity peer = identityOf(issued);

    assertThat(peer.describe()).isEqualTo("CN=orders (spiffe://prod.example/ns/a/sa/b), serial "
        + issued.serialNumber().toString(16) + ", issuer CN=Prod Issuing CA");
    assertThat(peer.toString()).isEqualTo("PeerIdentity[" + peer.describe() + "]");
  }

  @Test
  void describe_escapesControlCharacters_fromTheCertificate() {
    PeerIdentity peer = withSubject("CN=admin\\0Aforged log line");

    assertThat(peer.commonName()).contains("admin\nforged log line");
    assertThat(peer.describe()).startsWith("CN=admin\\u000aforged log line,").doesNotContain("\n");
  }

  @Test
  void describe_usesTheWholeSubject_whenThereIsNoSingleCn() {
    PeerIdentity peer = withSubject("CN=a,CN=b");

    assertThat(peer.describe()).startsWith("CN=a,CN=b, serial ");
  }

  @Test
  void describe_namesTheDnsName_whenThereIsNoSpiffeId() {
    PeerIdentity peer = identityOf(root.server("api.example", "www.example"));

    assertThat(peer.describe()).startsWith("CN=api.example (DNS api.example and 1 more), serial ");
  }
}
