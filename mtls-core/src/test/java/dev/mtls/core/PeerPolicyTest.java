package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PeerPolicyTest {
  private static TestCa root;
  private static TestCa issuing;
  private static TestCa otherRoot;

  @BeforeAll
  static void createCas() {
    root = TestCa.builder().commonName("Prod Root CA").build();
    issuing = root.newIntermediate("Prod Issuing CA");
    // Same DN as the production root, different key: only a DN rule can confuse them.
    otherRoot = TestCa.builder().commonName("Prod Root CA").build();
  }

  @Test
  void ipAllowList_comparesAddressesByValue_andRangesByPrefix() {
    PeerPolicy policy = PeerPolicy.builder().allowIpAddresses("2001:DB8::7", "192.0.2.0/25", "::ffff:10.0.0.0/104").build();

    assertThat(policy.check(peer(issuing.leaf("a").ipAddresses("2001:db8:0:0::7").issue()), KeyPurpose.CLIENT_AUTH))
        .isNull();
    assertThat(policy.check(peer(issuing.leaf("b").ipAddresses("192.0.2.127").issue()), KeyPurpose.CLIENT_AUTH))
        .isNull();
    assertThat(policy.check(peer(issuing.leaf("c").ipAddresses("10.9.8.7").issue()), KeyPurpose.CLIENT_AUTH))
        .as("an IPv4-mapped range holds the IPv4 addresses").isNull();
    assertThat(policy.check(peer(issuing.leaf("d").ipAddresses("192.0.2.128", "2001:db8::8").issue()),
        KeyPurpose.CLIENT_AUTH)).extracting(Verdict.Rejected::detail).asString()
        .endsWith("no name matches the allow-lists (IP [2001:DB8::7, 192.0.2.0/25, ::ffff:10.0.0.0/104]);"
            + " the peer has IP [192.0.2.128, 2001:db8::8]");
  }

  @Test
  void emailAllowList_followsRfc5280_localPartExact_domainCaseInsensitive() {
    PeerPolicy policy = PeerPolicy.builder().allowEmails("ops@Example.com", "*@robots.example").build();

    assertThat(policy.check(peer(issuing.leaf("a").emails("ops@EXAMPLE.COM").issue()), KeyPurpose.CLIENT_AUTH))
        .isNull();
    assertThat(policy.check(peer(issuing.leaf("b").emails("any.one@robots.example").issue()), KeyPurpose.CLIENT_AUTH))
        .isNull();
    for (String email : List.of("OPS@example.com", "ops@example.com.evil", "ops@sub.example.com", "xops@example.com",
        "ops@robots.example.evil", "x@a.robots.example")) {
      assertThat(policy.check(peer(issuing.leaf("c").emails(email).issue()), KeyPurpose.CLIENT_AUTH))
          .as(email).extracting(Verdict.Rejected::reason).isEqualTo(RejectionReason.IDENTITY_NOT_ALLOWED);
    }
  }

  @Test
  void ipAndEmailAllowLists_refuseMalformedEntries_atConfigurationTime() {
    assertThatThrownBy(() -> PeerPolicy.builder().allowIpAddresses("10.0.0.1/8"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("allowIpAddresses: invalid IP address pattern \"10.0.0.1/8\": bits are set after the prefix");
    assertThatThrownBy(() -> PeerPolicy.builder().allowIpAddresses("0.0.0.0/0"))
        .hasMessageContaining("anyTrustedPeer()");
    assertThatThrownBy(() -> PeerPolicy.builder().allowIpAddresses("10.0.0.0/33"))
        .hasMessageContaining("the prefix length must be 0 to 32");
    assertThatThrownBy(() -> PeerPolicy.builder().allowIpAddresses("010.0.0.1"))
        .hasMessageContaining("without leading zeros");
    assertThatThrownBy(() -> PeerPolicy.builder().allowIpAddresses("host.example"))
        .hasMessageContaining("not an IPv4 or IPv6 literal");
    assertThatThrownBy(() -> PeerPolicy.builder().allowEmails("example.com"))
        .hasMessageContaining("local-part@domain");
    assertThatThrownBy(() -> PeerPolicy.builder().allowEmails("ops@*.example.com"))
        .hasMessageContaining("wildcards are not allowed in the domain");
    assertThatThrownBy(() -> PeerPolicy.builder().allowEmails("o*s@example.com"))
        .hasMessageContaining("'*' must be the whole local part");
    assertThatThrownBy(() -> PeerPolicy.builder().allowEmails("ops@exa mple.com"))
        .hasMessageContaining("U+0020");
  }

  private static PeerIdentity client(String commonName) {
    return PeerIdentity.of(issuing.client(commonName).fullChain());
  }

  private static PeerIdentity peer(IssuedCertificate issued) {
    return PeerIdentity.of(issued.fullChain());
  }

  @Test
  void check_allowsAPeer_whoseCnIsOnTheList() {
    PeerPolicy policy = PeerPolicy.builder().allowCommonNames("orders", "payments").build();

    assertThat(policy.check(client("payments"), KeyPurpose.CLIENT_AUTH)).isNull();
  }

  @Test
  void check_refusesAPeer_onNoList_namingThePeerAndTheLists() {
    PeerPolicy policy = PeerPolicy.builder()
        .allowCommonNames("orders", "payments")
        .allowSpiffeIds("spiffe://prod.example/ns/*/sa/ingester")
        .build();
    PeerIdentity billing = client("billing");

    Verdict.Rejected rejected = policy.check(billing, KeyPurpose.CLIENT_AUTH);

    assertThat(rejected).isNotNull();
    assertThat(rejected.reason()).isEqualTo(RejectionReason.IDENTITY_NOT_ALLOWED);
    assertThat(rejected.peer()).isSameAs(billing);
    assertThat(rejected.toString()).isEqualTo("IDENTITY_NOT_ALLOWED: CN=billing, serial "
        + billing.serialNumber().toString(16) + ", issuer CN=Prod Issuing CA: no name matches"
        + " the allow-lists (CN [orders, payments]; SPIFFE [spiffe://prod.example/ns/*/sa/ingester]);"
        + " the peer has no SPIFFE ID");
  }

  @Test
  void check_allowsAPeer_whenAnyOneRuleMatches() {
    PeerPolicy policy = PeerPolicy.builder()
        .allowCommonNames("orders")
        .allowDnsNames("*.svc.cluster.local")
        .allowUris("https://id.example/team/*")
        .allowSpiffeIds("spiffe://prod.example/ns/*/sa/ingester")
        .build();

    assertThat(policy.check(client("orders"), KeyPurpose.CLIENT_AUTH)).isNull();
    assertThat(policy.check(peer(issuing.leaf("x").dnsNames("other.example", "a.svc.cluster.local")
        .issue()), KeyPurpose.CLIENT_AUTH)).isNull();
    assertThat(policy.check(peer(issuing.leaf("x").uris("https://id.example/team/blue").issue()),
        KeyPurpose.CLIENT_AUTH)).isNull();
    assertThat(policy.check(peer(issuing.leaf("x").spiffeId("spiffe://prod.example/ns/eu/sa/ingester")
        .issue()), KeyPurpose.CLIENT_AUTH)).isNull();
    assertThat(policy.check(peer(issuing.leaf("x").dnsNames("a.b.svc.cluster.local")
        .spiffeId("spiffe://prod.example/ns/eu/sa/other").issue()), KeyPurpose.CLIENT_AUTH))
        .extracting(Verdict.Rejected::reason).isEqualTo(RejectionReason.IDENTITY_NOT_ALLOWED);
  }

  @Test
  void check_refusesDnAttacks_thatOnlyLookLikeAnAllowedCn() {
    PeerPolicy policy = PeerPolicy.builder().allowCommonNames("admin").build();

    for (String subject : List.of(
        "OU=CN\\=admin,O=Example", "CN=admin,CN=guest", "CN=guest,CN=admin", "CN=admin\\,evil",
        "CN=\u0430dmin", "CN=admin\\ ", "CN=admin\\00", "CN=Admin")) {
      PeerIdentity attacker = peer(issuing.leaf("x").subject(subject).clientAuth().issue());

      assertThat(policy.check(attacker, KeyPurpose.CLIENT_AUTH))
          .as(subject)
          .extracting(Verdict.Rejected::reason)
          .isEqualTo(RejectionReason.IDENTITY_NOT_ALLOWED);
    }
    assertThat(policy.check(peer(issuing.leaf("x").subject("CN=admin,O=Example").issue()),
        KeyPurpose.CLIENT_AUTH)).isNull();
  }

  @Test
  void check_explainsThatTwoCnsNameNoOne() {
    PeerPolicy policy = PeerPolicy.builder().allowCommonNames("admin").build();

    Verdict.Rejected rejected = policy.check(
        peer(issuing.leaf("x").subject("CN=admin,CN=guest").issue()), KeyPurpose.CLIENT_AUTH);

    assertThat(rejected.detail()).endsWith(
        "; the peer has 2 CNs [guest, admin] (a CN rule needs exactly one)");
  }

  @Test
  void check_neverMatchesADnsSanWithNonAscii() {
    PeerPolicy policy = PeerPolicy.builder().allowDnsNames("*.example").build();
    PeerIdentity peer = peer(issuing.leaf("x").dnsNames("b\u00fccher.example").issue());

    assertThat(policy.check(peer, KeyPurpose.CLIENT_AUTH))
        .extracting(Verdict.Rejected::reason)
        .isEqualTo(RejectionReason.IDENTITY_NOT_ALLOWED);
  }

  @Test
  void anyTrustedPeer_allowsAnyName_butStillChecksTheRolesKeyUsage() {
    PeerPolicy policy = PeerPolicy.anyTrustedPeer();
    PeerIdentity server = peer(issuing.server("api.example"));

    assertThat(policy.check(client("anyone"), KeyPurpose.CLIENT_AUTH)).isNull();
    assertThat(policy.check(server, KeyPurpose.SERVER_AUTH)).isNull();
    Verdict.Rejected rejected = policy.check(server, KeyPurpose.CLIENT_AUTH);
    assertThat(rejected.reason()).isEqualTo(RejectionReason.WRONG_KEY_USAGE);
    assertThat(rejected.detail()).isEqualTo(server.describe()
        + ": has extended key usages [serverAuth] but a client needs clientAuth");
    assertThat(policy).hasToString("PeerPolicy[any trusted peer, extended key usage: per role]");
  }

  @Test
  void check_followsRfc5280_whenThePolicyNamesNoPurpose() {
    PeerPolicy policy = PeerPolicy.anyTrustedPeer();
    PeerIdentity noEku = peer(issuing.leaf("plain").issue());
    PeerIdentity anyEku = peer(issuing.leaf("any").extendedKeyUsages("2.5.29.37.0").issue());
    PeerIdentity both = peer(issuing.leaf("both").serverAuth().clientAuth().issue());
    PeerIdentity email = peer(issuing.leaf("mail").extendedKeyUsages("1.3.6.1.5.5.7.3.4").issue());

    assertThat(policy.check(noEku, KeyPurpose.CLIENT_AUTH)).isNull();
    assertThat(policy.check(noEku, KeyPurpose.SERVER_AUTH)).isNull();
    assertThat(policy.check(anyEku, KeyPurpose.CLIENT_AUTH)).isNull();
    assertThat(policy.check(both, KeyPurpose.SERVER_AUTH)).isNull();
    assertThat(policy.check(client("c"), KeyPurpose.SERVER_AUTH).detail())
        .endsWith(": has extended key usages [clientAuth] but a server needs serverAuth");
    assertThat(policy.check(email, KeyPurpose.CLIENT_AUTH).detail())
        .endsWith(": has extended key usages [emailProtection] but a client needs clientAuth");
  }

  @Test
  void requireExtendedKeyUsage_isStrict_aboutCertificatesWithoutTheExtension() {
    PeerPolicy policy = PeerPolicy.builder()
        .allowAnyTrustedPeer()
        .requireExtendedKeyUsage(KeyPurpose.CLIENT_AUTH)
        .build();
    PeerIdentity noEku = peer(issuing.leaf("plain").issue());

    Verdict.Rejected rejected = policy.check(noEku, KeyPurpose.CLIENT_AUTH);

    assertThat(rejected.reason()).isEqualTo(RejectionReason.WRONG_KEY_USAGE);
    assertThat(rejected.detail()).isEqualTo(noEku.describe()
        + ": has no extended key usage extension but the policy requires clientAuth");
    assertThat(policy.check(client("c"), KeyPurpose.CLIENT_AUTH)).isNull();
    assertThat(policy.check(peer(issuing.leaf("a").extendedKeyUsages("2.5.29.37.0").issue()),
        KeyPurpose.CLIENT_AUTH)).isNull();
    assertThat(policy.check(peer(issuing.server("s.example")), KeyPurpose.CLIENT_AUTH).detail())
        .endsWith(": has extended key usages [serverAuth] but the policy requires clientAuth");
  }

  @Test
  void requireIssuer_byDn_acceptsTheIssuerOrAnyCaAboveIt() {
    PeerIdentity peer = client("orders");

    for (X500Principal issuer : List.of(issuing.subject(), root.subject())) {
      PeerPolicy policy = PeerPolicy.builder().allowCommonNames("orders").requireIssuer(issuer)
          .build();
      assertThat(policy.check(peer, KeyPurpose.CLIENT_AUTH)).as(issuer.getName()).isNull();
    }
  }

  @Test
  void requireIssuer_byDn_refusesAnotherIssuer_beforeLookingAtKeyUsageOrName() {
    PeerPolicy policy = PeerPolicy.builder()
        .allowCommonNames("orders")
        .requireIssuer(new X500Principal("CN=Dev CA"))
        .build();
    PeerIdentity server = peer(issuing.server("billing.example"));

    Verdict.Rejected rejected = policy.check(server, KeyPurpose.CLIENT_AUTH);

    assertThat(rejected.reason()).isEqualTo(RejectionReason.ISSUER_NOT_ALLOWED);
    assertThat(rejected.detail()).isEqualTo(server.describe()
        + ": not issued under a required issuer [CN=Dev CA]; its path is"
        + " CN=billing.example <- CN=Prod Issuing CA <- CN=Prod Root CA");
  }

  @Test
  void requireIssuer_byCertificate_wantsThatExactCa_notOneWithTheSameName() {
    PeerPolicy policy = PeerPolicy.builder()
        .allowCommonNames("orders")
        .requireIssuer(otherRoot.certificate())
        .build();
    PeerIdentity peer = client("orders");

    Verdict.Rejected rejected = policy.check(peer, KeyPurpose.CLIENT_AUTH);

    assertThat(rejected.reason()).isEqualTo(RejectionReason.ISSUER_NOT_ALLOWED);
    assertThat(rejected.detail()).contains("[certificate CN=Prod Root CA serial ");
    assertThat(PeerPolicy.builder().allowCommonNames("orders").requireIssuer(root.certificate())
        .build().check(peer, KeyPurpose.CLIENT_AUTH)).isNull();
    assertThat(PeerPolicy.builder().allowCommonNames("orders")
        .requireIssuer(issuing.certificate()).build().check(peer, KeyPurpose.CLIENT_AUTH)).isNull();
  }

  @Test
  void requireIssuer_byCertificate_doesNotCountTheLeafItself() {
    IssuedCertificate leaf = issuing.leaf("orders").issue();
    PeerPolicy policy = PeerPolicy.builder()
        .allowCommonNames("orders")
        .requireIssuer(issuing.certificate())
        .build();

    assertThat(policy.check(PeerIdentity.of(List.of(issuing.certificate())), KeyPurpose.CLIENT_AUTH))
        .extracting(Verdict.Rejected::reason)
        .isEqualTo(RejectionReason.ISSUER_NOT_ALLOWED);
    assertThat(policy.check(peer(leaf), KeyPurpose.CLIENT_AUTH)).isNull();
  }

  @Test
  void requireIssuer_calledTwice_acceptsEither() {
    PeerPolicy policy = PeerPolicy.builder()
        .allowAnyTrustedPeer()
        .requireIssuer(new X500Principal("CN=Old CA"))
        .requireIssuer(issuing.subject())
        .build();

    assertThat(policy.check(client("x"), KeyPurpose.CLIENT_AUTH)).isNull();
  }

  @Test
  void requireIssuer_refusesALeafCertificate() {
    IssuedCertificate leaf = issuing.client("orders");

    assertThatThrownBy(() -> PeerPolicy.builder().requireIssuer(leaf.certificate()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("requireIssuer: \"CN=orders\" (serial " + leaf.serialNumber().toString(16)
            + ") is not a CA certificate: it has no basic constraints with cA=true");
  }

  @Test
  void build_refusesAPolicyThatAllowsNoOne() {
    assertThatThrownBy(() -> PeerPolicy.builder().requireIssuer(root.subject()).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the peer policy allows no peer: name the allowed peers with"
            + " allowCommonNames, allowDnsNames, allowUris, allowSpiffeIds, allowIpAddresses or allowEmails, or allow every peer"
            + " the trust anchors accept with PeerPolicy.anyTrustedPeer()");
  }

  @Test
  void build_refusesAnyTrustedPeerMixedWithAllowLists() {
    assertThatThrownBy(() -> PeerPolicy.builder().allowAnyTrustedPeer().allowCommonNames("a")
        .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("allowAnyTrustedPeer() was combined with allow-lists");
  }

  @Test
  void allowMethods_refuseAnEmptyList_nulls_blanks_andBadPatterns_namingTheValue() {
    PeerPolicy.Builder builder = PeerPolicy.builder();

    assertThatThrownBy(builder::allowCommonNames)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("allowCommonNames() was given no names: name at least one allowed peer, or use"
            + " PeerPolicy.anyTrustedPeer()");
    assertThatThrownBy(() -> builder.allowDnsNames("a.example", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("allowDnsNames: name #2 is null");
    assertThatThrownBy(() -> builder.allowUris("  "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("allowUris: name #1 is blank: \"  \"");
    assertThatThrownBy(() -> builder.allowSpiffeIds("spiffe://prod.example/ns/*/sa/ingester",
        "spiffe://Prod.example/x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("allowSpiffeIds: invalid SPIFFE ID pattern \"spiffe://Prod.example/x\": the"
            + " trust domain must be lower case");
    assertThatThrownBy(() -> builder.allowDnsNames("a*.example"))
        .hasMessageStartingWith("allowDnsNames: invalid DNS name pattern \"a*.example\"");
    // A failed call adds nothing: the valid SPIFFE pattern before the bad one is not kept.
    assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void requireExtendedKeyUsage_refusesASecondDifferentPurpose() {
    assertThatThrownBy(() -> PeerPolicy.builder()
        .requireExtendedKeyUsage(KeyPurpose.CLIENT_AUTH)
        .requireExtendedKeyUsage(KeyPurpose.SERVER_AUTH))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("extended key usage was already required: CLIENT_AUTH");
  }

  @Test
  void toString_listsEveryRule() {
    PeerPolicy policy = PeerPolicy.builder()
        .allowCommonNames("orders", "payments", "orders")
        .allowDnsNames("*.svc.cluster.local")
        .allowUris("https://id.example/team/*")
        .allowSpiffeIds("spiffe://prod.example/ns/*/sa/ingester")
        .requireIssuer(new X500Principal("CN=Prod CA"))
        .requireExtendedKeyUsage(KeyPurpose.CLIENT_AUTH)
        .build();

    assertThat(policy).hasToString("PeerPolicy[CN [orders, payments], DNS [*.svc.cluster.local],"
        + " URI [https://id.example/team/*], SPIFFE [spiffe://prod.example/ns/*/sa/ingester],"
        + " issuer [CN=Prod CA], extended key usage: clientAuth]");
  }
}
