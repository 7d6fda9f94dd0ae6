package dev.mtls.client;

import dev.mtls.core.ClientContextBuilder;
import dev.mtls.core.IdentitySource;
import dev.mtls.core.MtlsContext;
import dev.mtls.core.PeerPolicy;
import dev.mtls.core.ServerContextBuilder;
import dev.mtls.core.ServerIdentity;
import dev.mtls.core.TrustSource;
import dev.mtls.testkit.CertificateBuilder;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** Server and client contexts for the tests, from certificates the testkit issues at run time. */
final class Tls {
  /** The server a SPIFFE-named client expects. */
  static final String PAYMENTS = "spiffe://prod.example/payments";
  /** Another server of the same CA. */
  static final String ORDERS = "spiffe://prod.example/orders";

  private Tls() {}

  /** A server certificate named by a SPIFFE ID (its only URI SAN), with these DNS names (maybe none). */
  static IssuedCertificate spiffeServer(TestCa ca, String spiffeId, String... dnsNames) {
    CertificateBuilder leaf = ca.leaf(spiffeId.substring(spiffeId.lastIndexOf('/') + 1)).serverAuth().spiffeId(spiffeId);
    return (dnsNames.length == 0 ? leaf : leaf.dnsNames(dnsNames)).issue();
  }

  /** A client as {@link #client} that insists on the server {@link #PAYMENTS}, whatever the host. */
  static ClientContextBuilder paymentsClient(IssuedCertificate certificate, TestCa servers) {
    return client(certificate, servers)
        .serverIdentity(ServerIdentity.peer(PeerPolicy.builder().allowSpiffeIds(PAYMENTS).build()));
  }

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
