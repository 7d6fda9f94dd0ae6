package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import java.io.IOException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * CVE-2026-8763: Bouncy Castle up to 1.84 compared a DNS name with a trailing dot
 * ({@code host.evil.example.}, the absolute form of {@code host.evil.example}) literally, so it
 * escaped an excluded subtree {@code evil.example}. These names must be refused under a CA's
 * name constraints, both where PKIX judges them (an intermediate's constraints) and where
 * {@code AnchorNameConstraints} does (the trust anchor's own certificate), by the verifier and
 * in a real handshake on either provider. Bouncy Castle 1.87 treats the dotted name as its
 * dot-less form, so {@code host.example.com.} stays within a permitted {@code example.com}.
 * On Bouncy Castle 1.84 the excluded-subtree cases here are accepted.
 */
class NameConstraintsTrailingDotTest {
  private final TestCa root = TestCa.create();
  private final IssuedCertificate serverCertificate = root.server("localhost");
  private final RecordingListener recording = new RecordingListener();

  @ParameterizedTest
  @ValueSource(strings = {"host.evil.example.", "HOST.EVIL.EXAMPLE.", "evil.example.", "host.evil.example"})
  void intermediateWithAnExcludedSubtree_refusesTheNameWithOrWithoutTrailingDot(String dnsName) throws Exception {
    NameConstrainedCa issuing = NameConstrainedCa.intermediate(root, "Excluding CA", List.of(), List.of("evil.example"));
    try (MtlsContext server = server(root.certificate(), TlsProvider.JDK)) {
      assertRefused(server.verifier().verify(issuing.clientWithDnsName(dnsName).chain()));
      assertThat(server.verifier().verify(issuing.clientWithDnsName("host.good.example").chain()).isAllowed())
          .as("a name outside the excluded subtree").isTrue();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"host.other.org.", "host.other.org", "example.com.evil.org."})
  void intermediateWithAPermittedSubtree_refusesANameOutsideIt(String dnsName) throws Exception {
    NameConstrainedCa issuing = NameConstrainedCa.intermediate(root, "Permitting CA", List.of("example.com"), List.of());
    try (MtlsContext server = server(root.certificate(), TlsProvider.JDK)) {
      assertRefused(server.verifier().verify(issuing.clientWithDnsName(dnsName).chain()));
      assertThat(server.verifier().verify(issuing.clientWithDnsName("host.example.com").chain()).isAllowed()).isTrue();
    }
  }

  @Test
  void theAbsoluteFormOfAPermittedName_isWithinTheSubtree_underAnIntermediateAndUnderTheAnchor() throws Exception {
    // Bouncy Castle 1.87 reads "host.example.com." as "host.example.com" (1.84 refused it):
    // the same reading that closes the excluded-subtree bypass.
    NameConstrainedCa issuing = NameConstrainedCa.intermediate(root, "Permitting CA", List.of("example.com"), List.of());
    try (MtlsContext server = server(root.certificate(), TlsProvider.JDK)) {
      assertThat(server.verifier().verify(issuing.clientWithDnsName("host.example.com.").chain()).isAllowed()).isTrue();
    }
    NameConstrainedCa anchor = NameConstrainedCa.root("Permitting Root", List.of("example.com"), List.of());
    try (MtlsContext server = server(anchor.certificate(), TlsProvider.JDK)) {
      assertThat(server.verifier().verify(anchor.clientWithDnsName("host.example.com.").chain()).isAllowed()).isTrue();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"host.evil.example.", "HOST.EVIL.EXAMPLE.", "host.evil.example"})
  void anchorWithAnExcludedSubtree_refusesTheNameWithOrWithoutTrailingDot(String dnsName) throws Exception {
    NameConstrainedCa anchor = NameConstrainedCa.root("Excluding Root", List.of(), List.of("evil.example"));
    try (MtlsContext server = server(anchor.certificate(), TlsProvider.JDK)) {
      Verdict verdict = server.verifier().verify(anchor.clientWithDnsName(dnsName).chain());
      assertRefused(verdict);
      assertThat(((Verdict.Rejected) verdict).detail()).contains("outside the name constraints of trust anchor");
      assertThat(server.verifier().verify(anchor.clientWithDnsName("host.good.example").chain()).isAllowed()).isTrue();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"host.other.org.", "host.other.org"})
  void anchorWithAPermittedSubtree_refusesANameOutsideIt(String dnsName) throws Exception {
    NameConstrainedCa anchor = NameConstrainedCa.root("Permitting Root", List.of("example.com"), List.of());
    try (MtlsContext server = server(anchor.certificate(), TlsProvider.JDK)) {
      assertRefused(server.verifier().verify(anchor.clientWithDnsName(dnsName).chain()));
      assertThat(server.verifier().verify(anchor.clientWithDnsName("host.example.com").chain()).isAllowed()).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void handshake_refusesATrailingDotNameUnderAnIntermediatesExcludedSubtree(TlsProvider provider) throws Exception {
    NameConstrainedCa issuing = NameConstrainedCa.intermediate(root, "Excluding CA", List.of(), List.of("evil.example"));
    assertHandshakeRefused(server(root.certificate(), provider), issuing.clientWithDnsName("host.evil.example."));
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void handshake_refusesATrailingDotNameOutsideAnIntermediatesPermittedSubtree(TlsProvider provider) throws Exception {
    NameConstrainedCa issuing = NameConstrainedCa.intermediate(root, "Permitting CA", List.of("example.com"), List.of());
    assertHandshakeRefused(server(root.certificate(), provider), issuing.clientWithDnsName("host.other.org."));
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void handshake_refusesATrailingDotNameUnderTheAnchorsExcludedSubtree(TlsProvider provider) throws Exception {
    NameConstrainedCa anchor = NameConstrainedCa.root("Excluding Root", List.of(), List.of("evil.example"));
    assertHandshakeRefused(server(anchor.certificate(), provider), anchor.clientWithDnsName("host.evil.example."));
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void handshake_refusesATrailingDotNameOutsideTheAnchorsPermittedSubtree(TlsProvider provider) throws Exception {
    NameConstrainedCa anchor = NameConstrainedCa.root("Permitting Root", List.of("example.com"), List.of());
    assertHandshakeRefused(server(anchor.certificate(), provider), anchor.clientWithDnsName("host.other.org."));
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void handshake_letsInANameWithinTheConstraints(TlsProvider provider) throws Exception {
    NameConstrainedCa anchor = NameConstrainedCa.root("Permitting Root", List.of("example.com"), List.of());
    try (MtlsContext server = server(anchor.certificate(), provider);
        LoopbackServer loopback = new LoopbackServer(server)) {
      LoopbackClient.connect(carelessClient(anchor.clientWithDnsName("host.example.com")), "localhost",
          loopback.port());
      assertThat(loopback.nextOutcome().succeeded()).isTrue();
      assertThat(recording.rejected).isEmpty();
    }
  }

  @Test
  void theFixtureWritesTheTrailingDotAsGiven() throws Exception {
    NameConstrainedCa anchor = NameConstrainedCa.root("Any Root", List.of("example.com"), List.of());
    X509Certificate leaf = anchor.clientWithDnsName("host.evil.example.").certificate();
    assertThat(leaf.getSubjectAlternativeNames()).containsExactly(List.of(2, "host.evil.example."));
  }

  private void assertHandshakeRefused(MtlsContext context, NameConstrainedCa.Leaf client) throws Exception {
    try (MtlsContext server = context;
        LoopbackServer loopback = new LoopbackServer(server)) {
      assertThatThrownBy(() -> LoopbackClient.connect(carelessClient(client), "localhost", loopback.port()))
          .isInstanceOf(IOException.class);
      assertThat(loopback.nextOutcome().succeeded()).isFalse();
      assertThat(recording.rejected).singleElement()
          .satisfies(r -> assertThat(r.rejected().reason()).as(r.rejected().detail())
              .isEqualTo(RejectionReason.UNTRUSTED_ISSUER));
    }
  }

  private static void assertRefused(Verdict verdict) {
    assertThat(verdict).isInstanceOfSatisfying(Verdict.Rejected.class,
        r -> assertThat(r.reason()).as(r.detail()).isEqualTo(RejectionReason.UNTRUSTED_ISSUER));
  }

  private MtlsContext server(X509Certificate anchor, TlsProvider provider) {
    return MtlsContext.forServer()
        .identity(IdentitySource.of(serverCertificate.privateKey(), serverCertificate.chain()))
        .trust(TrustSource.of(List.of(anchor)))
        .peerPolicy(PeerPolicy.anyTrustedPeer())
        .provider(provider)
        .listener(recording)
        .build();
  }

  /** A plain JDK client presenting whatever it is given: the peer an attacker would run. */
  private SSLSocketFactory carelessClient(NameConstrainedCa.Leaf client) throws Exception {
    char[] password = "test".toCharArray();
    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    keyStore.load(null, null);
    keyStore.setKeyEntry("client", client.privateKey(), password, client.chain().toArray(new X509Certificate[0]));
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(keyStore, password);
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(root.trustStore());
    SSLContext context = SSLContext.getInstance("TLSv1.3");
    context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
    return context.getSocketFactory();
  }
}
