package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TlsPolicyTest {
  @Test
  void modern_isTls13Only_withThreeAeadSuites() {
    assertThat(TlsPolicy.MODERN.protocols()).containsExactly("TLSv1.3");
    assertThat(TlsPolicy.MODERN.cipherSuites()).containsExactly(
        "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_GCM_SHA256");
  }

  @Test
  void compatible_addsTls12_withEcdheAeadSuitesOnly() {
    assertThat(TlsPolicy.COMPATIBLE.protocols()).containsExactly("TLSv1.3", "TLSv1.2");
    assertThat(TlsPolicy.COMPATIBLE.cipherSuites())
        .filteredOn(s -> !s.startsWith("TLS_AES") && !s.startsWith("TLS_CHACHA"))
        .allSatisfy(s -> assertThat(s).startsWith("TLS_ECDHE_").containsPattern("GCM|CHACHA20_POLY1305"));
  }

  @Test
  void builtInPolicies_offerTheHybridFirst_thenEcdhe_andNoFiniteFieldGroup() {
    for (TlsPolicy policy : List.of(TlsPolicy.MODERN, TlsPolicy.COMPATIBLE,
        TlsPolicy.of(List.of("TLSv1.3"), List.of("TLS_AES_128_GCM_SHA256")))) {
      assertThat(policy.namedGroups()).containsExactly("X25519MLKEM768", "x25519", "secp256r1", "secp384r1");
      assertThat(policy.groupsRequired()).isFalse();
    }
  }

  @Test
  void withNamedGroups_requiresEachGroup_inTheOrderGiven() {
    TlsPolicy policy = TlsPolicy.MODERN.withNamedGroups(List.of("x25519mlkem768", " X25519 "));

    assertThat(policy.namedGroups()).containsExactly("X25519MLKEM768", "x25519");
    assertThat(policy.groupsRequired()).isTrue();
    assertThat(policy.protocols()).isEqualTo(TlsPolicy.MODERN.protocols());
    assertThat(policy).isNotEqualTo(TlsPolicy.MODERN)
        .isEqualTo(TlsPolicy.MODERN.withNamedGroups(List.of("X25519MLKEM768", "x25519")));
    assertThat(policy.toString()).contains("groups[X25519MLKEM768, x25519]");
  }

  @Test
  void withNamedGroups_refusesFiniteFieldGroups_duplicates_andGroupsNoProtocolCanUse() {
    assertThatThrownBy(() -> TlsPolicy.MODERN.withNamedGroups(List.of("x25519", "ffdhe2048")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("key-exchange group not allowed: \"ffdhe2048\"");
    assertThatThrownBy(() -> TlsPolicy.MODERN.withNamedGroups(List.of("x25519", "X25519")))
        .hasMessage("key-exchange group listed twice: x25519");
    assertThatThrownBy(() -> TlsPolicy.MODERN.withNamedGroups(List.of()))
        .hasMessageContaining("no key-exchange group given");
    assertThatThrownBy(() -> TlsPolicy.COMPATIBLE.withNamedGroups(List.of("X25519MLKEM768")))
        .hasMessageContaining("protocol TLSv1.2 has no key-exchange group");
    TlsPolicy tls12 = TlsPolicy.of(List.of("TLSv1.2"), List.of("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"));
    assertThatThrownBy(() -> tls12.withNamedGroups(List.of("x25519", "X25519MLKEM768")))
        .hasMessageContaining("hybrid key-exchange groups need TLSv1.3");
  }

  @Test
  void of_refusesCbcSuites_naming_them() {
    assertThatThrownBy(() -> TlsPolicy.of(List.of("TLSv1.2"), List.of("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256");
  }

  @Test
  void of_refusesStaticRsaKeyExchange() {
    assertThatThrownBy(() -> TlsPolicy.of(List.of("TLSv1.2"), List.of("TLS_RSA_WITH_AES_128_GCM_SHA256")))
        .hasMessageContaining("TLS_RSA_WITH_AES_128_GCM_SHA256");
  }

  @Test
  void of_refusesOldProtocols() {
    assertThatThrownBy(() -> TlsPolicy.of(List.of("TLSv1.1"), List.of("TLS_AES_128_GCM_SHA256")))
        .hasMessageContaining("TLSv1.1");
  }

  @Test
  void of_refusesTls12SuiteWithoutTls12() {
    assertThatThrownBy(() -> TlsPolicy.of(List.of("TLSv1.3"),
        List.of("TLS_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")))
        .hasMessageContaining("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256").hasMessageContaining("TLSv1.2");
  }

  @Test
  void of_refusesAProtocolLeftWithoutSuite() {
    assertThatThrownBy(() -> TlsPolicy.of(List.of("TLSv1.3", "TLSv1.2"), List.of("TLS_AES_128_GCM_SHA256")))
        .hasMessageContaining("TLSv1.2 has no cipher suite");
  }

  @Test
  void of_refusesDuplicates_andBlanks() {
    assertThatThrownBy(() -> TlsPolicy.of(List.of("TLSv1.3", "tlsv1.3"), List.of("TLS_AES_128_GCM_SHA256")))
        .hasMessageContaining("listed twice");
    assertThatThrownBy(() -> TlsPolicy.of(List.of("TLSv1.3"), List.of(" ")))
        .hasMessageContaining("blank");
  }

  @Test
  void of_acceptsANarrowerPolicy() {
    TlsPolicy policy = TlsPolicy.of(List.of("TLSv1.3"), List.of("TLS_CHACHA20_POLY1305_SHA256"));
    assertThat(policy.protocols()).containsExactly("TLSv1.3");
    assertThat(policy.cipherSuites()).containsExactly("TLS_CHACHA20_POLY1305_SHA256");
    assertThat(policy).isEqualTo(TlsPolicy.of(List.of("1.3"), List.of("tls_chacha20_poly1305_sha256")));
  }
}
