package dev.mtls.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mtls.core.ClientAuth;
import dev.mtls.core.IdentitySource;
import dev.mtls.core.MtlsContext;
import dev.mtls.core.PeerPolicy;
import dev.mtls.core.TrustSource;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import io.netty.handler.ssl.SslProvider;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Without {@code netty-tcnative} on the class path (the {@code without-tcnative} surefire
 * execution), OpenSSL is reported unavailable with its cause, asking for it fails with a
 * message that says what to add, and the JDK provider works: no {@code NoClassDefFoundError}.
 */
class OpenSslAbsentTest {

  @Test
  void withoutTcnative_openSslIsUnavailable_withACause_andTheJdkProviderStillServes() throws Exception {
    assumeTrue(Boolean.getBoolean("mtls.test.withoutTcnative"), "runs in the without-tcnative execution only");
    assertThat(MtlsSslContexts.isAvailable(SslProvider.OPENSSL)).isFalse();
    assertThat(MtlsSslContexts.unavailabilityCause(SslProvider.OPENSSL)).isPresent();

    TestCa ca = TestCa.create();
    IssuedCertificate identity = ca.server("localhost");
    try (MtlsContext server = MtlsContext.forServer()
        .identity(IdentitySource.of(identity.privateKey(), identity.chain()))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .clientAuth(ClientAuth.REQUIRED)
        .peerPolicy(PeerPolicy.anyTrustedPeer())
        .build()) {
      assertThatThrownBy(() -> MtlsSslContexts.forServer(server, SslProvider.OPENSSL))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("the OPENSSL provider is not available")
          .hasMessageContaining("netty-tcnative-boringssl-static");
      Stack jdk = new Stack(SslProvider.JDK, Stack.Transport.NIO);
      IssuedCertificate orders = ca.client("orders");
      try (NettyServer netty = new NettyServer(jdk, server);
          NettyClient clients = new NettyClient(jdk);
          MtlsContext client = MtlsContext.forClient()
              .identity(IdentitySource.of(orders.privateKey(), orders.chain()))
              .trust(TrustSource.of(List.of(ca.certificate()))).build()) {
        assertThat(clients.exchange(client, MtlsSslContexts.forClient(client, SslProvider.JDK), netty.port()).answer())
            .isEqualTo("hello orders -");
      }
    }
  }
}
