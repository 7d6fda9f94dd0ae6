package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.core.internal.material.IdentityMaterial;
import dev.mtls.core.internal.tls.IdentityHolder;
import dev.mtls.core.internal.tls.IdentityKeyManager;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.security.AlgorithmConstraints;
import java.security.AlgorithmParameters;
import java.security.CryptoPrimitive;
import java.security.Key;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The key manager offers the identity only when its key can sign with a scheme the peer
 * accepts: against a peer that accepts only SHA-1 signatures it offers no key (and the
 * handshake fails), instead of leaving the provider to sign with SHA-1. Shown inside plain JDK
 * contexts, without the library's algorithm constraints, so the refusal is the key manager's
 * own. (JDK 25 refuses SHA-1 handshake signatures itself, and does not ask the key manager
 * then; a client accepting only RSA signatures from an EC server makes it ask on every JDK.)
 */
class IdentityKeyManagerTest {
  private static final String SUITE = "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";

  private final TestCa ca = TestCa.create();
  private final IssuedCertificate serverCertificate = ca.server("localhost");
  private final IssuedCertificate clientCertificate = ca.client("client");

  @Test
  void serverKey_isNotOffered_toAClientThatAcceptsOnlySha1Signatures() throws Exception {
    Recording keys = new Recording(keyManager(serverCertificate));
    SSLContext client = Sha1OnlyPeer.context(clientCertificate, serverCertificate.certificate());
    try (SSLServerSocket server = plainServer(keys)) {
      CompletableFuture<Optional<IOException>> served = serveOne(server);
      assertThatThrownBy(() -> {
        try (SSLSocket socket = Sha1OnlyPeer.clientSocket(client, server.getLocalPort(), "TLSv1.2")) {
          socket.startHandshake();
        }
      }).isInstanceOf(IOException.class);
      assertThat(served.get(10, TimeUnit.SECONDS)).isPresent();
    }
    assertThat(keys.answers).as("what the key manager answered when asked").allMatch(Objects::isNull);
  }

  @Test
  void serverKey_isNotOffered_toAClientThatAcceptsNoSchemeItsKeyCanSignWith() throws Exception {
    Recording keys = new Recording(keyManager(serverCertificate)); // an EC key
    SSLContext client = SSLContext.getInstance("TLS", "SunJSSE");
    client.init(null, new TrustManager[] {Sha1OnlyPeer.trusting(serverCertificate.certificate())}, null);
    try (SSLServerSocket server = plainServer(keys)) {
      CompletableFuture<Optional<IOException>> served = serveOne(server);
      assertThatThrownBy(() -> {
        try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket("localhost", server.getLocalPort())) {
          SSLParameters parameters = socket.getSSLParameters();
          parameters.setAlgorithmConstraints(new OnlyRsaSignatures());
          socket.setSSLParameters(parameters);
          socket.setSoTimeout(10_000);
          socket.startHandshake();
        }
      }).isInstanceOf(IOException.class);
      assertThat(served.get(10, TimeUnit.SECONDS)).isPresent();
    }
    assertThat(keys.answers).as("what the key manager answered").isNotEmpty().containsOnlyNulls();
  }

  @Test
  void serverKey_isOffered_toAClientThatAcceptsSha256() throws Exception {
    Recording keys = new Recording(keyManager(serverCertificate));
    SSLContext client = SSLContext.getInstance("TLS", "SunJSSE");
    client.init(null, new TrustManager[] {Sha1OnlyPeer.trusting(serverCertificate.certificate())}, null);
    try (SSLServerSocket server = plainServer(keys)) {
      CompletableFuture<Optional<IOException>> served = serveOne(server);
      try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket("localhost", server.getLocalPort())) {
        socket.setSoTimeout(10_000);
        socket.startHandshake();
      }
      assertThat(served.get(10, TimeUnit.SECONDS)).isEmpty();
    }
    assertThat(keys.answers).isNotEmpty().doesNotContainNull();
  }

  @Test
  void clientKey_isNotOffered_toAServerThatAcceptsOnlySha1Signatures() throws Exception {
    Recording keys = new Recording(keyManager(clientCertificate));
    SSLContext server = Sha1OnlyPeer.context(serverCertificate, clientCertificate.certificate());
    SSLContext client = SSLContext.getInstance("TLS", "SunJSSE");
    client.init(new KeyManager[] {keys}, new TrustManager[] {Sha1OnlyPeer.trusting(serverCertificate.certificate())},
        null);
    try (SSLServerSocket serverSocket = Sha1OnlyPeer.serverSocket(server, "TLSv1.2")) {
      CompletableFuture<Optional<IOException>> served = serveOne(serverSocket);
      try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket("localhost", serverSocket.getLocalPort())) {
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        socket.getInputStream().read();
      } catch (IOException expected) {
        // the server refuses a client without a certificate
      }
      assertThat(served.get(10, TimeUnit.SECONDS)).as("the server accepted a SHA-1 CertificateVerify").isPresent();
    }
    assertThat(keys.answers).as("what the key manager answered when asked").allMatch(Objects::isNull);
  }

  private static IdentityKeyManager keyManager(IssuedCertificate identity) {
    return new IdentityKeyManager(new IdentityHolder(
        new IdentityMaterial(identity.privateKey(), identity.chain(), "test identity")));
  }

  /** A JDK server of TLS 1.2, without the library's constraints, presenting what the key manager gives. */
  private static SSLServerSocket plainServer(X509ExtendedKeyManager keys) throws Exception {
    SSLContext context = SSLContext.getInstance("TLS", "SunJSSE");
    context.init(new KeyManager[] {keys}, null, null);
    SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory()
        .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    SSLParameters parameters = server.getSSLParameters();
    parameters.setProtocols(new String[] {"TLSv1.2"});
    parameters.setCipherSuites(new String[] {SUITE});
    server.setSSLParameters(parameters);
    return server;
  }

  /** Accepts one connection and handshakes: empty when it succeeded, the failure otherwise. */
  private static CompletableFuture<Optional<IOException>> serveOne(SSLServerSocket server) {
    return CompletableFuture.supplyAsync(() -> {
      try (SSLSocket socket = (SSLSocket) server.accept()) {
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        socket.getOutputStream().write('.');
        socket.getOutputStream().flush();
        return Optional.empty();
      } catch (IOException e) {
        return Optional.of(e);
      }
    });
  }

  /** A client's constraints that permit RSA signatures only (ECDHE key exchange passes). */
  private static final class OnlyRsaSignatures implements AlgorithmConstraints {
    @Override
    public boolean permits(Set<CryptoPrimitive> primitives, String algorithm, @Nullable AlgorithmParameters parameters) {
      return !primitives.contains(CryptoPrimitive.SIGNATURE) || algorithm.toUpperCase(Locale.ROOT).contains("RSA");
    }

    @Override
    public boolean permits(Set<CryptoPrimitive> primitives, Key key) {
      return true;
    }

    @Override
    public boolean permits(Set<CryptoPrimitive> primitives, String algorithm, Key key,
        @Nullable AlgorithmParameters parameters) {
      return permits(primitives, algorithm, parameters);
    }
  }

  /** Delegates, keeping every alias the key manager chose. */
  private static final class Recording extends X509ExtendedKeyManager {
    final List<@Nullable String> answers = new CopyOnWriteArrayList<>();
    private final X509ExtendedKeyManager delegate;

    Recording(X509ExtendedKeyManager delegate) {
      this.delegate = delegate;
    }

    private @Nullable String recorded(@Nullable String alias) {
      answers.add(alias);
      return alias;
    }

    @Override
    public String @Nullable [] getClientAliases(String keyType, Principal @Nullable [] issuers) {
      return delegate.getClientAliases(keyType, issuers);
    }

    @Override
    public @Nullable String chooseClientAlias(String[] keyType, Principal @Nullable [] issuers, @Nullable Socket socket) {
      return recorded(delegate.chooseClientAlias(keyType, issuers, socket));
    }

    @Override
    public @Nullable String chooseEngineClientAlias(String[] keyType, Principal @Nullable [] issuers,
        @Nullable SSLEngine engine) {
      return recorded(delegate.chooseEngineClientAlias(keyType, issuers, engine));
    }

    @Override
    public String @Nullable [] getServerAliases(String keyType, Principal @Nullable [] issuers) {
      return delegate.getServerAliases(keyType, issuers);
    }

    @Override
    public @Nullable String chooseServerAlias(String keyType, Principal @Nullable [] issuers, @Nullable Socket socket) {
      return recorded(delegate.chooseServerAlias(keyType, issuers, socket));
    }

    @Override
    public @Nullable String chooseEngineServerAlias(String keyType, Principal @Nullable [] issuers,
        @Nullable SSLEngine engine) {
      return recorded(delegate.chooseEngineServerAlias(keyType, issuers, engine));
    }

    @Override
    public X509Certificate @Nullable [] getCertificateChain(String alias) {
      return delegate.getCertificateChain(alias);
    }

    @Override
    public @Nullable PrivateKey getPrivateKey(String alias) {
      return delegate.getPrivateKey(alias);
    }
  }
}
