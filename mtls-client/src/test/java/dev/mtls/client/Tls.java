package dev.mtls.client;

import dev.mtls.core.ClientContextBuilder;
import dev.mtls.core.IdentitySource;
import dev.mtls.core.MtlsContext;
import dev.mtls.core.PeerPolicy;
import dev.mtls.core.ServerContextBuilder;
import dev.mtls.core.TrustSource;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** Server and client contexts for the tests, from certificates the testkit issues at run time. */
final class Tls {
  private Tls() {}

  /** A server presenting {@code certificate} that requires a client certificate from {@code clients}. */
  static ServerContextBuilder server(IssuedCertificate certificate, TestCa clients) {
    return MtlsContext.forServer()
        .identity(IdentitySource.of(certificate.privateKey(), certificate.chain()))
        .trust(TrustSource.of(List.of(clients.certificate())))
        .peerPolicy(PeerPolicy.anyTrustedPeer())
        .logging(false);
  }

  /**
   * A server context of the JDK alone, presenting {@code certificate} whatever its dates (the
   * library refuses to load an expired identity), for servers as they are found in the wild.
   */
  static SSLContext jdkServer(IssuedCertificate certificate) throws Exception {
    char[] password = "test".toCharArray();
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(certificate.keyStore(password), password);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }

  /** A client presenting {@code certificate} (none when {@code null}) that trusts {@code servers}. */
  static ClientContextBuilder client(IssuedCertificate certificate, TestCa servers) {
    ClientContextBuilder builder = MtlsContext.forClient()
        .trust(TrustSource.of(List.of(servers.certificate())))
        .logging(false);
    if (certificate != null) {
      builder.identity(IdentitySource.of(certificate.privateKey(), certificate.chain()));
    }
    return builder;
  }
}
