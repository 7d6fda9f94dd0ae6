package dev.mtls.it.adapter;

import dev.mtls.core.IdentitySource;
import dev.mtls.core.MtlsContext;
import dev.mtls.core.PeerPolicy;
import dev.mtls.core.ReloadPolicy;
import dev.mtls.core.TlsProvider;
import dev.mtls.core.TrustSource;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import java.util.List;
import javax.net.ssl.SSLSession;

/**
 * A mutual-TLS handshake between two {@link TlsProvider#BOUNCY_CASTLE} contexts, the server
 * behind the {@link JsseAdapter}, the client on core's own BCJSSE sockets; run in the tests'
 * JVM and, as {@link #main(String[])}, in one launched with bctls on the class path.
 */
public final class BouncyCastleHandshake {
  static final String BCJSSE = "org.bouncycastle.jsse.provider.BouncyCastleJsseProvider";

  private BouncyCastleHandshake() {}

  /**
   * Runs the handshake and prints what it saw; exits with status 1 on any failure.
   *
   * @param args none
   */
  public static void main(String[] args) {
    try {
      System.out.println("handshake: " + run());
    } catch (Throwable e) {
      e.printStackTrace(System.out);
      System.exit(1);
    }
  }

  /**
   * Builds the contexts and makes the handshake.
   *
   * @return the protocol, and where bctls was found
   * @throws Exception when the handshake fails or a context cannot be built
   */
  static String run() throws Exception {
    Throwable unavailable = TlsProvider.BOUNCY_CASTLE.unavailabilityCause();
    if (unavailable != null) {
      throw new AssertionError("Bouncy Castle JSSE is not available: " + unavailable, unavailable);
    }
    TestCa ca = TestCa.create();
    IssuedCertificate serverCertificate = ca.server("localhost");
    IssuedCertificate clientCertificate = ca.client("orders");
    try (MtlsContext server = MtlsContext.forServer()
            .identity(IdentitySource.of(serverCertificate.privateKey(), serverCertificate.chain()))
            .trust(TrustSource.of(List.of(ca.certificate())))
            .peerPolicy(PeerPolicy.builder().allowCommonNames("orders").build())
            .provider(TlsProvider.BOUNCY_CASTLE)
            .reload(ReloadPolicy.disabled())
            .build();
        JsseAdapter adapter = JsseAdapter.of(server);
        AdapterServer loopback = new AdapterServer(adapter);
        MtlsContext client = MtlsContext.forClient()
            .identity(IdentitySource.of(clientCertificate.privateKey(), clientCertificate.chain()))
            .trust(TrustSource.of(List.of(ca.certificate())))
            .provider(TlsProvider.BOUNCY_CASTLE)
            .reload(ReloadPolicy.disabled())
            .build()) {
      SSLSession session = Clients.connect(client, loopback.port());
      AdapterServer.Outcome outcome = loopback.nextOutcome();
      if (!outcome.succeeded()) {
        throw new AssertionError("the server refused the client", outcome.failure());
      }
      if (!outcome.session().getPeerCertificates()[0].equals(clientCertificate.certificate())) {
        throw new AssertionError("the server saw another client certificate");
      }
      if (!session.getClass().getName().startsWith("org.bouncycastle.jsse.")) {
        throw new AssertionError("the client's session is not BCJSSE's: " + session.getClass().getName());
      }
      return session.getProtocol() + ", bctls in " + Class.forName(BCJSSE).getModule();
    }
  }
}
