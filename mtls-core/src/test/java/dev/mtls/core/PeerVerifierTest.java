package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.KeyUsage;
import dev.mtls.testkit.TestCa;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every rejection reason, produced by the verifier from a real certificate made for it.
 * The handshake tests show the same verifier at work inside the handshake.
 */
class PeerVerifierTest {
  @TempDir Path dir;

  private final TestCa ca = TestCa.create();
  private final IssuedCertificate serverCertificate = ca.server("localhost");

  @Test
  void allowedClient_getsItsIdentity() {
    try (MtlsContext server = server(PeerPolicy.builder().allowCommonNames("orders").build(), null)) {
      Verdict verdict = server.verifier().verify(ca.client("orders").chain());

      assertThat(verdict).isInstanceOfSatisfying(Verdict.Allowed.class, allowed -> {
        assertThat(allowed.peer().commonName()).contains("orders");
        // The identity carries the validated path, up to and including the anchor.
        assertThat(allowed.peer().chain()).last().isEqualTo(ca.certificate());
      });
    }
  }

  @Test
  void noCertificate() {
    try (MtlsContext server = server(PeerPolicy.anyTrustedPeer(), null)) {
      assertReason(server.verifier().verify(List.of()), RejectionReason.NO_CERTIFICATE);
      assertReason(server.verifier().verify((X509Certificate[]) null), RejectionReason.NO_CERTIFICATE);
    }
  }

  @Test
  void caCertificateAsLeaf_isRefused_whenItsKeyMayOnlySignCertificates() {
    TestCa intermediate = ca.newIntermediate("Intermediate CA");
    try (MtlsContext server = server(PeerPolicy.anyTrustedPeer(), null)) {
      assertReason(server.verifier().verify(intermediate.chain()), RejectionReason.WRONG_KEY_USAGE);
    }
  }

  @Test
  void caCertificateAsLeaf_isMalformed_whenThePolicyRequiresAnEndEntityCertificate() {
    IssuedCertificate caAsPeer = ca.leaf("gateway").certificateAuthority().clientAuth().issue();
    PeerPolicy endEntityOnly = PeerPolicy.builder().allowAnyTrustedPeer().requireEndEntityCertificate().build();
    try (MtlsContext lenient = server(PeerPolicy.anyTrustedPeer(), null);
        MtlsContext strict = server(endEntityOnly, null)) {
      assertThat(lenient.verifier().verify(caAsPeer.chain()).isAllowed()).isTrue();
      assertReason(strict.verifier().verify(caAsPeer.chain()), RejectionReason.MALFORMED_CERTIFICATE);
    }
  }

  @Test
  void clientOfAnotherCa_isUntrusted_evenWithTheSameIssuerName() {
    TestCa impostor = TestCa.builder().commonName(ca.subject().getName().substring(3)).build();
    try (MtlsContext server = server(PeerPolicy.anyTrustedPeer(), null)) {
      Verdict verdict = server.verifier().verify(impostor.client("orders").chain());
      assertReason(verdict, RejectionReason.UNTRUSTED_ISSUER);
      assertThat(((Verdict.Rejected) verdict).detail()).contains("orders");
    }
  }

  @Test
  void expiredAndNotYetValid() {
    try (MtlsContext server = server(PeerPolicy.anyTrustedPeer(), null)) {
      assertReason(server.verifier().verify(ca.leaf("old").clientAuth().expired().issue().chain()),
          RejectionReason.EXPIRED);
      assertReason(server.verifier().verify(ca.leaf("early").clientAuth().notYetValid().issue().chain()),
          RejectionReason.NOT_YET_VALID);
    }
  }

  @Test
  void clockSkew_toleratesACertificateJustPastItsEnd() {
    IssuedCertificate almost = ca.leaf("almost").clientAuth()
        .notBefore(ca.clock().instant().minus(Duration.ofDays(1)))
        .notAfter(ca.clock().instant().minusSeconds(30))
        .issue();
    try (MtlsContext strict = server(PeerPolicy.anyTrustedPeer(), null);
        MtlsContext lenient = MtlsContext.forServer()
            .identity(MtlsContextHandshakeTest.identity(serverCertificate))
            .trust(TrustSource.of(List.of(ca.certificate())))
            .peerPolicy(PeerPolicy.builder().allowCommonNames("almost").build())
            .clockSkew(Duration.ofMinutes(2))
            .logging(false)
            .build()) {
      assertReason(strict.verifier().verify(almost.chain()), RejectionReason.EXPIRED);
      assertThat(lenient.verifier().verify(almost.chain()).isAllowed()).isTrue();
    }
  }

  @Test
  void revokedClient_andClientWithoutCrlCoverage() {
    IssuedCertificate revoked = ca.client("revoked");
    ca.revoke(revoked);
    Path crl = ca.writeCrl(dir.resolve("ca.crl"));
    TestCa intermediate = ca.newIntermediate("Team CA");
    try (MtlsContext server = server(PeerPolicy.anyTrustedPeer(), Revocation.crls().file(crl).build())) {
      assertReason(server.verifier().verify(revoked.chain()), RejectionReason.REVOKED);
      assertThat(server.verifier().verify(ca.client("fine").chain()).isAllowed()).isTrue();
      // The intermediate's CRL is not configured: the leaf's revocation status is unknown.
      assertReason(server.verifier().verify(intermediate.client("unknown").chain()),
          RejectionReason.REVOCATION_UNKNOWN);
    }
  }

  @Test
  void issuerNotAllowed() {
    TestCa teamA = ca.newIntermediate("Team A CA");
    TestCa teamB = ca.newIntermediate("Team B CA");
    try (MtlsContext server = server(PeerPolicy.builder().allowCommonNames("orders")
        .requireIssuer(teamA.certificate()).build(), null)) {
      assertThat(server.verifier().verify(teamA.client("orders").chain()).isAllowed()).isTrue();
      assertReason(server.verifier().verify(teamB.client("orders").chain()), RejectionReason.ISSUER_NOT_ALLOWED);
    }
  }

  @Test
  void identityNotAllowed() {
    try (MtlsContext server = server(PeerPolicy.builder().allowCommonNames("orders").build(), null)) {
      assertReason(server.verifier().verify(ca.client("billing").chain()), RejectionReason.IDENTITY_NOT_ALLOWED);
    }
  }

  @Test
  void serverCertificateUsedAsClient_hasWrongKeyUsage() {
    try (MtlsContext server = server(PeerPolicy.anyTrustedPeer(), null)) {
      assertReason(server.verifier().verify(ca.server("api.example").chain()), RejectionReason.WRONG_KEY_USAGE);
    }
  }

  @Test
  void leafWhoseKeyMayNotSign_hasWrongKeyUsage() {
    try (MtlsContext server = server(PeerPolicy.anyTrustedPeer(), null)) {
      assertReason(server.verifier().verify(ca.leaf("crl-signer").clientAuth().keyUsage(KeyUsage.CRL_SIGN).issue().chain()),
          RejectionReason.WRONG_KEY_USAGE);
      assertReason(server.verifier().verify(ca.leaf("encrypt-only").clientAuth()
          .keyUsage(KeyUsage.KEY_ENCIPHERMENT).issue().chain()), RejectionReason.WRONG_KEY_USAGE);
    }
  }

  @Test
  void namesFromAnUntrustedCertificate_cannotForgeALogLine() {
    TestCa evil = TestCa.builder().commonName("Evil\nINFO forged log line").build();
    try (MtlsContext server = server(PeerPolicy.anyTrustedPeer(), null)) {
      Verdict verdict = server.verifier().verify(evil.leaf("x\ny").clientAuth().issue().chain());
      assertReason(verdict, RejectionReason.UNTRUSTED_ISSUER);
      assertThat(((Verdict.Rejected) verdict).detail()).doesNotContain("\n").contains("forged log line");
    }
  }

  @Test
  void verdicts_cannotBeMadeOutsideTheLibrary() {
    for (Class<?> type : List.of(Verdict.Allowed.class, Verdict.Rejected.class)) {
      assertThat(type.getDeclaredConstructors()).allSatisfy(constructor -> assertThat(
          Modifier.isPublic(constructor.getModifiers()) || Modifier.isProtected(constructor.getModifiers()))
          .as("%s is open to other packages", constructor).isFalse());
      assertThat(Modifier.isFinal(type.getModifiers())).as("%s is final", type).isTrue();
    }
  }

  private MtlsContext server(PeerPolicy policy, Revocation revocation) {
    ServerContextBuilder builder = MtlsContext.forServer()
        .identity(MtlsContextHandshakeTest.identity(serverCertificate))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .peerPolicy(policy)
        .logging(false);
    if (revocation != null) {
      builder.revocation(revocation);
    }
    return builder.build();
  }

  private static void assertReason(Verdict verdict, RejectionReason reason) {
    assertThat(verdict).isInstanceOfSatisfying(Verdict.Rejected.class,
        rejected -> assertThat(rejected.reason()).as(rejected.toString()).isEqualTo(reason));
  }
}
