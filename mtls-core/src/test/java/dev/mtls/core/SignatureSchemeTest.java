package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.core.internal.tls.JdkSignatureSchemes;
import dev.mtls.core.internal.tls.ProvidedEngines;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.bouncycastle.jsse.BCSSLEngine;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * No SHA-1 (or DSA) signature scheme is offered or accepted where the provider lets us say
 * so: always with Bouncy Castle, from Java 19 on with the JDK.
 */
class SignatureSchemeTest {
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

  @Test
  void theAllowedSchemes_includeNoSha1OrDsa() {
    assertThat(TlsPolicy.SIGNATURE_SCHEMES).noneMatch(s -> s.contains("sha1") || s.startsWith("dsa"));
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
