package dev.mtls.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Real TLS 1.3 handshakes between a JDK server and a JDK client over loopback, with mutual
 * authentication, using the key and trust stores the testkit makes.
 */
class TlsHandshakeTest {
  private static final char[] PASSWORD = "changeit".toCharArray();
  private static final int TIMEOUT_MILLIS = 5_000;

  private final ExecutorService executor = Executors.newSingleThreadExecutor();

  @AfterEach
  void stopServer() throws InterruptedException {
    executor.shutdownNow();
    assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void mutualHandshake_succeeds_andBothSidesSeeTheExpectedPeer() throws Exception {
    TestCa ca = TestCa.create();
    IssuedCertificate server = server(ca, KeyType.EC_P256);
    IssuedCertificate client = ca.client("orders");

    Peers peers = handshake(server, ca, client, ca);

    assertThat(peers.seenByClient()).containsExactly(server.certificate());
    assertThat(peers.seenByServer()).containsExactly(client.certificate());
  }

  @Test
  void mutualHandshake_throughIntermediates_sendsTheChainWithoutTheRoot() throws Exception {
    TestCa root = TestCa.create();
    TestCa serverIssuer = root.newIntermediate("Server Issuing CA");
    TestCa clientIssuer = root.newIntermediate("Policy CA").newIntermediate("Client Issuing CA");
    IssuedCertificate server = server(serverIssuer, KeyType.EC_P256);
    IssuedCertificate client = clientIssuer.client("orders");

    Peers peers = handshake(server, root, client, root);

    assertThat(peers.seenByClient()).containsExactlyElementsOf(server.chain());
    assertThat(peers.seenByServer()).containsExactlyElementsOf(client.chain());
  }

  /**
   * SunJSSE (JDK 17 and 25) negotiates TLS 1.3 with EC P-256/P-384, RSA and Ed25519
   * certificates and keys alike.
   */
  @ParameterizedTest
  @EnumSource(value = KeyType.class, names = {"EC_P256", "EC_P384", "RSA_2048", "ED25519"})
  void mutualHandshake_withLeavesAndCaOfEveryKeyType(KeyType keyType) throws Exception {
    TestCa ca = keyType == KeyType.RSA_2048
        ? TestCa.create()
        : TestCa.builder().keyType(keyType).build();
    IssuedCertificate server = server(ca, keyType);
    IssuedCertificate client = keyType == KeyType.RSA_2048
        ? ca.leaf("orders").clientAuth().keyPair(SharedKeys.rsa2048()).issue()
        : ca.leaf("orders").clientAuth().keyType(keyType).issue();

    Peers peers = handshake(server, ca, client, ca);

    assertThat(peers.seenByClient()).containsExactly(server.certificate());
    assertThat(peers.seenByServer()).containsExactly(client.certificate());
  }

  @Test
  void clientFromAnotherCa_presentingItsCertificate_isRejectedByTheServer() throws Exception {
    TestCa ca = TestCa.create();
    IssuedCertificate server = server(ca, KeyType.EC_P256);
    IssuedCertificate stranger = TestCa.create().client("mallory");

    assertHandshakeFailsOnTheServer(
        server, context(stranger, ca, PresentAnyway::new), "PKIX path building failed");
  }

  @Test
  void clientWithOnlyAForeignCertificate_sendsNone_andIsRejectedByTheServer() throws Exception {
    // SunJSSE offers only certificates issued by a CA the server names in its request.
    TestCa ca = TestCa.create();
    IssuedCertificate server = server(ca, KeyType.EC_P256);
    IssuedCertificate stranger = TestCa.create().client("mallory");

    assertHandshakeFailsOnTheServer(
        server, context(stranger, ca), "Empty client certificate chain");
  }

  @Test
  void clientCertificate_withoutClientAuthUsage_isRejectedByTheServer() throws Exception {
    TestCa ca = TestCa.create();
    IssuedCertificate server = server(ca, KeyType.EC_P256);
    IssuedCertificate serverOnly = ca.leaf("orders").serverAuth().issue();

    assertHandshakeFailsOnTheServer(
        server, context(serverOnly, ca), "Extended key usage does not permit use for TLS client");
  }

  @Test
  void expiredClientCertificate_isRejectedByTheServer() throws Exception {
    TestCa ca = TestCa.create();
    IssuedCertificate server = server(ca, KeyType.EC_P256);
    IssuedCertificate expired = ca.leaf("orders").clientAuth().expired().issue();

    assertHandshakeFailsOnTheServer(
        server, context(expired, ca, PresentAnyway::new), "validity check failed");
  }

  @Test
  void serverFromAnotherCa_isRejectedByTheClient() throws Exception {
    TestCa ca = TestCa.create();
    IssuedCertificate server = server(TestCa.create(), KeyType.EC_P256);

    try (SSLServerSocket listener = listen(context(server, ca))) {
      Future<List<Certificate>> serverSide = executor.submit(() -> accept(listener));
      assertThatThrownBy(() -> connect(listener, context(ca.client("orders"), ca)))
          .isInstanceOf(SSLHandshakeException.class)
          .hasMessageContaining("PKIX path building failed");
      // The server reads the client's alert, or finds the connection already closed.
      assertThatThrownBy(() -> serverSide.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause().isInstanceOfAny(SSLException.class, SocketException.class);
    }
  }

  private void assertHandshakeFailsOnTheServer(
      IssuedCertificate server, SSLContext client, String serverReason) throws Exception {
    try (SSLServerSocket listener = listen(context(server, server.issuer()))) {
      Future<List<Certificate>> serverSide = executor.submit(() -> accept(listener));
      // In TLS 1.3 the client finishes its handshake before the server judges its
      // certificate: the client learns of the rejection when it reads.
      // The client may also find the connection closed under it before it reads the alert.
      assertThatThrownBy(() -> connect(listener, client))
          .isInstanceOfAny(SSLException.class, SocketException.class);
      assertThatThrownBy(() -> serverSide.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause().isInstanceOf(SSLHandshakeException.class)
          .hasMessageContaining(serverReason);
    }
  }

  private record Peers(List<Certificate> seenByClient, List<Certificate> seenByServer) {}

  private Peers handshake(
      IssuedCertificate server, TestCa serverTrusts, IssuedCertificate client,
      TestCa clientTrusts) throws Exception {
    try (SSLServerSocket listener = listen(context(server, serverTrusts))) {
      Future<List<Certificate>> serverSide = executor.submit(() -> accept(listener));
      List<Certificate> seenByClient = connect(listener, context(client, clientTrusts));
      return new Peers(seenByClient, serverSide.get(10, TimeUnit.SECONDS));
    }
  }

  private static IssuedCertificate server(TestCa ca, KeyType keyType) {
    CertificateBuilder builder =
        ca.leaf("localhost").dnsNames("localhost").ipAddresses("127.0.0.1").serverAuth();
    return keyType == KeyType.RSA_2048
        ? builder.keyPair(SharedKeys.rsa2048()).issue()
        : builder.keyType(keyType).issue();
  }

  private static SSLContext context(IssuedCertificate identity, TestCa trusted)
      throws GeneralSecurityException {
    return context(identity, trusted, keyManager -> keyManager);
  }

  private static SSLContext context(
      IssuedCertificate identity, TestCa trusted,
      UnaryOperator<X509ExtendedKeyManager> keyManagerWrapper) throws GeneralSecurityException {
    KeyManagerFactory keyManagers = KeyManagerFactory.getInstance("PKIX");
    keyManagers.init(identity.keyStore(PASSWORD), PASSWORD);
    X509ExtendedKeyManager keyManager =
        keyManagerWrapper.apply((X509ExtendedKeyManager) keyManagers.getKeyManagers()[0]);
    TrustManagerFactory trustManagers = TrustManagerFactory.getInstance("PKIX");
    trustManagers.init(trusted.trustStore());
    SSLContext context = SSLContext.getInstance("TLSv1.3");
    context.init(new KeyManager[] {keyManager}, trustManagers.getTrustManagers(), null);
    return context;
  }

  /**
   * A client key manager that presents its certificate whatever the server asks for, as a
   * non-JDK client (or an attacker) may: the JDK's own would send none, or pass over an
   * expired one.
   */
  private static final class PresentAnyway extends X509ExtendedKeyManager {
    private final X509ExtendedKeyManager delegate;

    PresentAnyway(X509ExtendedKeyManager delegate) {
      this.delegate = delegate;
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
      for (String keyType : keyTypes) {
        // Asking without issuers: any alias of the key type, whoever issued it.
        String[] aliases = delegate.getClientAliases(keyType, null);
        if (aliases != null && aliases.length > 0) {
          return aliases[0];
        }
      }
      return null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return delegate.getClientAliases(keyType, null);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return delegate.getServerAliases(keyType, issuers);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return delegate.chooseServerAlias(keyType, issuers, socket);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return delegate.getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return delegate.getPrivateKey(alias);
    }
  }

  private static SSLServerSocket listen(SSLContext context) throws IOException {
    SSLServerSocket listener = (SSLServerSocket) context.getServerSocketFactory()
        .createServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
    listener.setEnabledProtocols(new String[] {"TLSv1.3"});
    listener.setNeedClientAuth(true);
    listener.setSoTimeout(TIMEOUT_MILLIS);
    return listener;
  }

  /** Accepts one connection, completes the handshake, answers one byte; returns the peer. */
  private static List<Certificate> accept(SSLServerSocket listener) throws IOException {
    try (SSLSocket socket = (SSLSocket) listener.accept()) {
      socket.setSoTimeout(TIMEOUT_MILLIS);
      socket.startHandshake();
      List<Certificate> peer = List.of(socket.getSession().getPeerCertificates());
      socket.getOutputStream().write(42);
      socket.getOutputStream().flush();
      return peer;
    }
  }

  /** Connects, checks the server's name, reads the server's byte; returns the peer. */
  private static List<Certificate> connect(SSLServerSocket listener, SSLContext context)
      throws IOException {
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
      socket.connect(
          new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort()),
          TIMEOUT_MILLIS);
      socket.setSoTimeout(TIMEOUT_MILLIS);
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setProtocols(new String[] {"TLSv1.3"});
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      socket.setSSLParameters(parameters);
      socket.startHandshake();
      int answer = socket.getInputStream().read();
      assertThat(answer).as("byte from server").isEqualTo(42);
      return List.of(socket.getSession().getPeerCertificates());
    }
  }
}
