package dev.mtls.core;

import static dev.mtls.core.LoadingFixtures.rsaKeyPair;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.core.internal.material.IdentityMaterial;
import dev.mtls.core.internal.material.TrustMaterial;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.KeyFormat;
import dev.mtls.testkit.KeyType;
import dev.mtls.testkit.PemFiles;
import dev.mtls.testkit.TestCa;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves that loaded material works in SunJSSE: a TLS 1.3 handshake over loopback with client
 * authentication, from plain JDK key and trust managers filled with what the sources loaded.
 */
class LoadedMaterialHandshakeTest {
  private static final char[] PASSWORD = "handshake".toCharArray();

  @TempDir Path dir;
  private final ExecutorService server = Executors.newSingleThreadExecutor();

  @AfterEach
  void stopServer() {
    server.shutdownNow();
  }

  @Test
  void handshake_succeeds_withEcP256IdentitiesFromSec1Pem() throws Exception {
    TestCa ca = TestCa.create();
    assertMutualHandshake(ca,
        ca.leaf("server").dnsNames("localhost").keyType(KeyType.EC_P256).issue(),
        ca.leaf("client").keyType(KeyType.EC_P384).issue(), KeyFormat.SEC1);
  }

  @Test
  void handshake_succeeds_withRsaIdentitiesFromPkcs1Pem() throws Exception {
    TestCa ca = TestCa.builder().commonName("RSA CA").keyType(KeyType.RSA_2048).build();
    assertMutualHandshake(ca,
        ca.leaf("server").dnsNames("localhost").keyPair(rsaKeyPair()).issue(),
        ca.leaf("client").keyPair(rsaKeyPair()).issue(), KeyFormat.PKCS1);
  }

  @Test
  void handshake_succeeds_withEd25519IdentitiesFromPkcs8Pem() throws Exception {
    TestCa ca = TestCa.builder().commonName("Ed25519 CA").keyType(KeyType.ED25519).build();
    assertMutualHandshake(ca,
        ca.leaf("server").dnsNames("localhost").keyType(KeyType.ED25519).issue(),
        ca.leaf("client").keyType(KeyType.ED25519).issue(), KeyFormat.PKCS8);
  }

  private void assertMutualHandshake(
      TestCa ca, IssuedCertificate serverCert, IssuedCertificate clientCert, KeyFormat format)
      throws Exception {
    PemFiles serverFiles = serverCert.writePem(dir.resolve("server"), format);
    PemFiles clientFiles = clientCert.writePem(dir.resolve("client"), format);
    IdentityMaterial serverIdentity =
        IdentitySource.pemFiles(serverFiles.chain(), serverFiles.privateKey()).loader().load();
    IdentityMaterial clientIdentity =
        IdentitySource.pemFiles(clientFiles.chain(), clientFiles.privateKey()).loader().load();
    TrustMaterial trust = TrustSource.pemFile(serverFiles.caCertificate()).loader().load();

    SSLContext serverContext = context(serverIdentity, trust);
    SSLContext clientContext = context(clientIdentity, trust);
    try (SSLServerSocket listener = (SSLServerSocket) serverContext.getServerSocketFactory()
        .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      listener.setNeedClientAuth(true);
      listener.setEnabledProtocols(new String[] {"TLSv1.3"});
      Future<SSLSession> accepted = server.submit(() -> {
        try (SSLSocket socket = (SSLSocket) listener.accept()) {
          socket.startHandshake();
          socket.getOutputStream().write(1); // lets the client finish reading
          return socket.getSession();
        }
      });
      try (SSLSocket socket = (SSLSocket) clientContext.getSocketFactory()
          .createSocket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
        socket.setEnabledProtocols(new String[] {"TLSv1.3"});
        socket.startHandshake();
        assertThat(socket.getInputStream().read()).isEqualTo(1);
        SSLSession clientSide = socket.getSession();
        assertThat(clientSide.getProtocol()).isEqualTo("TLSv1.3");
        assertThat(clientSide.getPeerCertificates()[0]).isEqualTo(serverCert.certificate());
      }
      SSLSession serverSide = accepted.get(10, TimeUnit.SECONDS);
      assertThat(serverSide.getPeerCertificates()[0]).isEqualTo(clientCert.certificate());
    }
  }

  private static SSLContext context(IdentityMaterial identity, TrustMaterial trust)
      throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry("identity", identity.privateKey(), PASSWORD,
        identity.chain().toArray(new Certificate[0]));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
    kmf.init(keys, PASSWORD);

    KeyStore anchors = KeyStore.getInstance("PKCS12");
    anchors.load(null, null);
    for (int i = 0; i < trust.anchors().size(); i++) {
      anchors.setCertificateEntry("anchor-" + i, trust.anchors().get(i));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(anchors);

    SSLContext context = SSLContext.getInstance("TLSv1.3");
    context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return context;
  }
}
