package dev.mtls.it.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.core.TlsProvider;
import org.junit.jupiter.api.Test;

/**
 * {@link TlsProvider#BOUNCY_CASTLE} for an application on the module path, with bctls where
 * its build tool put it. Core only {@code requires static org.bouncycastle.tls}: on the module
 * path bctls is resolved through the {@code java.security.Provider} service it provides.
 */
class BouncyCastleProviderTest {
  @Test
  void bouncyCastleContexts_handshake_withBctlsOnTheModulePath() throws Exception {
    assertThat(Class.forName(BouncyCastleHandshake.BCJSSE).getModule().getName()).isEqualTo("org.bouncycastle.tls");
    assertThat(TlsProvider.BOUNCY_CASTLE.description()).startsWith("Bouncy Castle JSSE bctls ");

    assertThat(BouncyCastleHandshake.run()).startsWith("TLSv1.3, bctls in module org.bouncycastle.tls");
  }
}

