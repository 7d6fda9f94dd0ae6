package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.core.internal.tls.JdkSignatureSchemes;
import dev.mtls.core.internal.tls.ProvidedEngines;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import java.lang.reflect.Method;
import java.security.AlgorithmConstraints;
import java.security.AlgorithmParameters;
import java.security.CryptoPrimitive;
import java.security.Key;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.bouncycastle.jsse.BCSSLEngine;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * No SHA-1 (or DSA) signature scheme is in the list of schemes where the provider takes one
 * (always with Bouncy Castle, from Java 19 on with the JDK), and every engine keeps the
 * algorithm constraints that refuse them on every Java version, whatever a container sets.
 * {@link HandshakeSignatureTest} shows both in real handshakes.
 */
class SignatureSchemeTest {
  private static final Set<CryptoPrimitive> SIGNATURE = EnumSet.of(CryptoPrimitive.SIGNATURE);
  private final TestCa ca = TestCa.create();
  private final IssuedCertificate serverCertificate = ca.server("localhost");

  @Test
  void bouncyCastleEngines_offerNoSha1Schemes() {
    try (MtlsContext server = server(TlsProvider.BOUNCY_CASTLE)) {
      SSLEngine engine = server.newEngine();
      // A container overwriting the parameters does not bring the other schemes back.
      engine.setSSLParameters(engine.getSSLParameters());
      String[] schemes = ((BCSSLEngine) ProvidedEngines.of(engine)).getParameters().getSignatureSchemes();
      assertThat(schemes).isNotEmpty().containsExactlyElementsOf(TlsPolicy.SIGNATURE_SCHEMES);
    }
  }

  @Test
  void jdkParameters_offerNoSha1Schemes_whereTheJdkLetsUs() throws Exception {
    try (MtlsContext server = server(TlsProvider.JDK)) {
      SSLEngine engine = server.newEngine();
      engine.setSSLParameters(new SSLParameters());
      SSLParameters parameters = engine.getSSLParameters();
      // Java 17 has no per-context setting, only a JVM-wide property that a library must not
      // set; CI runs this suite on JDK 25 as well.
      Assumptions.assumeTrue(JdkSignatureSchemes.isSupported(), "SSLParameters.setSignatureSchemes needs Java 19+");
      Method getter = SSLParameters.class.getMethod("getSignatureSchemes");
      List<String> schemes = Arrays.asList((String[]) getter.invoke(parameters));
      assertThat(schemes).isNotEmpty().noneMatch(s -> s.contains("sha1") || s.startsWith("dsa"));
    }
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void engines_keepTheConstraintsAgainstSha1_andAddAContainersOwn(TlsProvider provider) {
    try (MtlsContext server = server(provider)) {
      SSLEngine engine = server.newEngine();
      assertRefusesSha1(engine.getSSLParameters().getAlgorithmConstraints());
      assertPermitsStrongSignatures(engine.getSSLParameters().getAlgorithmConstraints());

      // A container sets whole parameters without constraints: ours stay.
      engine.setSSLParameters(new SSLParameters(engine.getEnabledCipherSuites(), engine.getEnabledProtocols()));
      assertRefusesSha1(engine.getSSLParameters().getAlgorithmConstraints());
      assertPermitsStrongSignatures(engine.getSSLParameters().getAlgorithmConstraints());

      // A container sets its own: both must permit.
      SSLParameters withOwn = engine.getSSLParameters();
      withOwn.setAlgorithmConstraints(new RefusingRsa());
      engine.setSSLParameters(withOwn);
      AlgorithmConstraints kept = engine.getSSLParameters().getAlgorithmConstraints();
      assertRefusesSha1(kept);
      assertThat(kept.permits(SIGNATURE, "SHA256withRSA", null)).as("the container's refusal").isFalse();
      assertThat(kept.permits(SIGNATURE, "SHA256withECDSA", null)).isTrue();

      // Reading the combined constraints back and setting them again does not stack them.
      engine.setSSLParameters(engine.getSSLParameters());
      assertThat(engine.getSSLParameters().getAlgorithmConstraints()).isSameAs(kept);
    }
  }

  @Test
  void contextParameters_carryTheConstraints() {
    try (MtlsContext server = server(TlsProvider.JDK)) {
      assertRefusesSha1(server.sslParameters().getAlgorithmConstraints());
      assertPermitsStrongSignatures(server.sslParameters().getAlgorithmConstraints());
      assertRefusesSha1(server.sslContext().getDefaultSSLParameters().getAlgorithmConstraints());
    }
  }

  @Test
  void theAllowedSchemes_includeNoSha1OrDsa() {
    assertThat(TlsPolicy.SIGNATURE_SCHEMES).noneMatch(s -> s.contains("sha1") || s.startsWith("dsa"));
  }

  private static void assertRefusesSha1(AlgorithmConstraints constraints) {
    assertThat(constraints).isNotNull();
    for (String refused : List.of("SHA1withECDSA", "ecdsa_sha1", "SHA1withRSA", "rsa_pkcs1_sha1", "SHA224withECDSA",
        "ecdsa_sha224", "SHA256withDSA", "dsa_sha256", "MD5withRSA", "DSA")) {
      assertThat(constraints.permits(SIGNATURE, refused, null)).as(refused).isFalse();
    }
    // Not a signature: the suites' business.
    assertThat(constraints.permits(Set.of(CryptoPrimitive.MAC), "HmacSHA1", null)).isTrue();
  }

  private static void assertPermitsStrongSignatures(AlgorithmConstraints constraints) {
    for (String permitted : List.of("SHA256withECDSA", "ecdsa_secp256r1_sha256", "RSASSA-PSS", "rsa_pss_rsae_sha256",
        "Ed25519", "EdDSA", "SHA384withRSA", "EC", "RSA")) {
      assertThat(constraints.permits(SIGNATURE, permitted, null)).as(permitted).isTrue();
    }
  }

  /** A container's constraints: no RSA signatures. */
  private static final class RefusingRsa implements AlgorithmConstraints {
    @Override
    public boolean permits(Set<CryptoPrimitive> primitives, String algorithm, AlgorithmParameters parameters) {
      return !algorithm.toUpperCase(java.util.Locale.ROOT).contains("RSA");
    }

    @Override
    public boolean permits(Set<CryptoPrimitive> primitives, Key key) {
      return true;
    }

    @Override
    public boolean permits(Set<CryptoPrimitive> primitives, String algorithm, Key key, AlgorithmParameters parameters) {
      return permits(primitives, algorithm, parameters);
    }
  }

  private MtlsContext server(TlsProvider provider) {
    return MtlsContext.forServer()
        .identity(IdentitySource.of(serverCertificate.privateKey(), serverCertificate.chain()))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .peerPolicy(PeerPolicy.anyTrustedPeer())
        .provider(provider)
        .build();
  }
}
