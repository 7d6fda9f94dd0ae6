package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import java.io.IOException;
import java.security.KeyManagementException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Containers take an {@code SSLContext} and then overwrite what its engines and sockets
 * negotiate with their own defaults. Each scenario sets an engine up the way a real
 * container does (the calls, in their order, are those of Tomcat 11, Jetty 12, the JDK's
 * {@code HttpsServer} and Netty's {@code JdkSslContext}), then real handshakes show that
 * the context's policy still wins: TLS 1.3 only, and a client certificate required.
 */
class ContainerEngineTest {
  private static final TlsPolicy TLS12_ONLY =
      TlsPolicy.of(List.of("TLSv1.2"), List.of("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"));

  private final TestCa ca = TestCa.create();
  private final IssuedCertificate serverCertificate = ca.server("localhost");
  private final IssuedCertificate clientCertificate = ca.client("orders");

  /** How a container sets up the engine for one connection. */
  enum Container {
    /** Tomcat 11 with certificateVerification="none" and its default protocols. */
    TOMCAT(context -> {
      SSLEngine engine = context.createSSLEngine();
      engine.setUseClientMode(false);
      engine.setEnabledCipherSuites(jvmImplementedSuites());
      engine.setEnabledProtocols(new String[] {"TLSv1.2", "TLSv1.3"});
      SSLParameters parameters = engine.getSSLParameters();
      parameters.setUseCipherSuitesOrder(false);
      parameters.setApplicationProtocols(new String[] {"http/1.1"});
      parameters.setNeedClientAuth(false);
      parameters.setWantClientAuth(false);
      engine.setSSLParameters(parameters);
      return engine;
    }),
    /** Jetty 12's SslContextFactory.Server with wantClientAuth=true. */
    JETTY(context -> {
      SSLEngine engine = context.createSSLEngine("127.0.0.1", 40000);
      engine.setUseClientMode(false);
      SSLParameters parameters = engine.getSSLParameters();
      parameters.setEndpointIdentificationAlgorithm(null);
      parameters.setUseCipherSuitesOrder(true);
      parameters.setProtocols(context.getSupportedSSLParameters().getProtocols());
      parameters.setCipherSuites(context.getSupportedSSLParameters().getCipherSuites());
      parameters.setWantClientAuth(true);
      engine.setSSLParameters(parameters);
      return engine;
    }),
    /** The JDK's HttpsServer with the default HttpsConfigurator. */
    HTTPS_SERVER(context -> {
      SSLEngine engine = context.createSSLEngine("127.0.0.1", 40000);
      engine.setUseClientMode(false);
      engine.setSSLParameters(context.getDefaultSSLParameters());
      return engine;
    }),
    /** The JDK's HttpsServer with a configurator that sets the legacy flags, both off. */
    HTTPS_SERVER_LEGACY(context -> {
      SSLEngine engine = context.createSSLEngine("127.0.0.1", 40000);
      engine.setUseClientMode(false);
      engine.setEnabledCipherSuites(jvmImplementedSuites());
      engine.setNeedClientAuth(false);
      engine.setWantClientAuth(false);
      engine.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
      return engine;
    }),
    /** Netty's JdkSslContext with ClientAuth.NONE. */
    NETTY(context -> {
      SSLEngine engine = context.createSSLEngine();
      engine.setEnabledCipherSuites(engine.getSupportedCipherSuites());
      engine.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
      engine.setUseClientMode(false);
      SSLParameters parameters = engine.getSSLParameters();
      parameters.setEndpointIdentificationAlgorithm(null);
      engine.setSSLParameters(parameters);
      return engine;
    });

    final Function<SSLContext, SSLEngine> setUp;

    Container(Function<SSLContext, SSLEngine> setUp) {
      this.setUp = setUp;
    }
  }

  static Stream<Arguments> containersAndProviders() {
    List<Arguments> all = new ArrayList<>();
    for (Container container : Container.values()) {
      for (TlsProvider provider : TlsProvider.values()) {
        all.add(Arguments.of(container, provider));
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("containersAndProviders")
  void containerOverwritingTheEngine_stillGetsTls13_withARequiredClientCertificate(Container container,
      TlsProvider provider) throws Exception {
    try (MtlsContext server = server(provider, ClientAuth.REQUIRED);
        MtlsContext client = client(provider, TlsPolicy.MODERN, true);
        MtlsContext anonymous = client(provider, TlsPolicy.MODERN, false);
        MtlsContext tls12 = client(provider, TLS12_ONLY, true);
        EngineLoopbackServer loopback = new EngineLoopbackServer(() -> container.setUp.apply(server.sslContext()))) {
      SSLSession session = LoopbackClient.connect(client, "localhost", loopback.port());
      LoopbackServer.Outcome outcome = loopback.nextOutcome();
      assertThat(outcome.succeeded()).as("server: %s", outcome.failure()).isTrue();
      assertThat(session.getProtocol()).isEqualTo("TLSv1.3");
      assertThat(((X509Certificate) outcome.session().getPeerCertificates()[0]).getSerialNumber())
          .isEqualTo(clientCertificate.serialNumber());

      assertThatThrownBy(() -> LoopbackClient.connect(anonymous, "localhost", loopback.port()))
          .as("a client without a certificate").isInstanceOf(IOException.class);
      assertThat(loopback.nextOutcome().succeeded()).isFalse();

      assertThatThrownBy(() -> LoopbackClient.connect(tls12, "localhost", loopback.port()))
          .as("a TLS 1.2 client").isInstanceOf(IOException.class);
      assertThat(loopback.nextOutcome().succeeded()).isFalse();
    }
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void optionalServer_keepsAskingForACertificate_whenTomcatSaysNone(TlsProvider provider) {
    try (MtlsContext server = server(provider, ClientAuth.OPTIONAL)) {
      SSLEngine engine = Container.TOMCAT.setUp.apply(server.sslContext());
      assertThat(engine.getWantClientAuth()).isTrue();
      engine.setNeedClientAuth(true);
      assertThat(engine.getNeedClientAuth()).as("raising is allowed").isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void protocolsOrSuitesOutsideThePolicy_areRefused_namingBothLists_andLeaveTheEngineAsItWas(TlsProvider provider) {
    try (MtlsContext server = server(provider, ClientAuth.REQUIRED)) {
      SSLEngine engine = server.sslContext().createSSLEngine();

      assertThatThrownBy(() -> engine.setEnabledProtocols(new String[] {"TLSv1.2"}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("[TLSv1.2]").hasMessageContaining("[TLSv1.3]");
      assertThatThrownBy(() -> engine.setEnabledCipherSuites(new String[] {"TLS_RSA_WITH_AES_128_CBC_SHA"}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("TLS_RSA_WITH_AES_128_CBC_SHA").hasMessageContaining("TLS_AES_256_GCM_SHA384");
      SSLParameters tls12 = new SSLParameters(null, new String[] {"TLSv1.2"});
      assertThatThrownBy(() -> engine.setSSLParameters(tls12)).isInstanceOf(IllegalArgumentException.class);

      assertThat(engine.getEnabledProtocols()).containsExactly("TLSv1.3");
      assertThat(engine.getNeedClientAuth()).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void enginesAndSockets_cannotBeSwitchedToTheOtherRole(TlsProvider provider) {
    try (MtlsContext server = server(provider, ClientAuth.REQUIRED);
        MtlsContext client = client(provider, TlsPolicy.MODERN, true)) {
      assertThatThrownBy(() -> server.sslContext().createSSLEngine().setUseClientMode(true))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("forClient()");
      assertThatThrownBy(() -> client.sslContext().createSSLEngine("localhost", 443).setUseClientMode(false))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("forServer()");
      assertThatThrownBy(() -> client.sslContext().getServerSocketFactory())
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("accepts no connections");
      assertThatThrownBy(client::serverSocketFactory).isInstanceOf(IllegalStateException.class);
    }
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void clientEngine_asTheJdkHttpClientSetsItUp_keepsThePolicyAndPassesAlpnThrough(TlsProvider provider) {
    try (MtlsContext client = client(provider, TlsPolicy.MODERN, true)) {
      SSLContext context = client.sslContext();
      SSLEngine engine = context.createSSLEngine("localhost", 443);
      engine.setUseClientMode(true);
      SSLParameters parameters = context.getDefaultSSLParameters();
      // The HttpClient copies need-client-auth onto client engines: harmless there.
      parameters.setNeedClientAuth(true);
      parameters.setApplicationProtocols(new String[] {"h2", "http/1.1"});
      parameters.setEndpointIdentificationAlgorithm(null);
      engine.setSSLParameters(parameters);

      SSLParameters kept = engine.getSSLParameters();
      // The host name is the ServerIdentity rule's to check, in the trust manager: the setting
      // passes through, and switching it off removes no check (next test).
      assertThat(kept.getEndpointIdentificationAlgorithm()).isNull();
      assertThat(kept.getApplicationProtocols()).containsExactly("h2", "http/1.1");
      assertThat(kept.getProtocols()).containsExactly("TLSv1.3");
    }
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void clientSocket_whoseEndpointIdentificationIsSwitchedOff_stillRefusesAServerNotNamingTheHost(
      TlsProvider provider) throws Exception {
    try (MtlsContext server = server(provider, ClientAuth.REQUIRED);
        MtlsContext client = client(provider, TlsPolicy.MODERN, true);
        LoopbackServer loopback = new LoopbackServer(server)) {
      // The server's certificate names "localhost" only, not the IP address.
      try (SSLSocket socket = (SSLSocket) client.sslContext().getSocketFactory()
          .createSocket("127.0.0.1", loopback.port())) {
        socket.setSoTimeout(10_000);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm(null);
        socket.setSSLParameters(parameters);
        assertThatThrownBy(socket::startHandshake).isInstanceOf(IOException.class);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void alpn_passesThroughEnginesAndSockets(TlsProvider provider) throws Exception {
    try (MtlsContext server = server(provider, ClientAuth.REQUIRED);
        MtlsContext client = client(provider, TlsPolicy.MODERN, true);
        EngineLoopbackServer loopback = new EngineLoopbackServer(() -> {
          SSLEngine engine = server.sslContext().createSSLEngine();
          engine.setHandshakeApplicationProtocolSelector((e, offered) -> offered.contains("h2") ? "h2" : null);
          return engine;
        })) {
      try (SSLSocket socket = (SSLSocket) client.socketFactory().createSocket("localhost", loopback.port())) {
        socket.setSoTimeout(10_000);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setApplicationProtocols(new String[] {"h2", "http/1.1"});
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        assertThat(socket.getInputStream().readNBytes(6)).hasSize(6);
        assertThat(socket.getApplicationProtocol()).isEqualTo("h2");
        socket.getOutputStream().write('.');
      }
      assertThat(loopback.nextOutcome().succeeded()).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void serverSocketSetters_keepThePolicy_forTheConnectionsTheyAccept(TlsProvider provider) throws Exception {
    try (MtlsContext server = server(provider, ClientAuth.REQUIRED);
        MtlsContext client = client(provider, TlsPolicy.MODERN, true);
        MtlsContext anonymous = client(provider, TlsPolicy.MODERN, false);
        LoopbackServer loopback = new LoopbackServer(server, serverSocket -> {
          serverSocket.setEnabledProtocols(new String[] {"TLSv1.2", "TLSv1.3"});
          serverSocket.setNeedClientAuth(false);
          serverSocket.setWantClientAuth(false);
          SSLParameters parameters = serverSocket.getSSLParameters();
          parameters.setNeedClientAuth(false);
          serverSocket.setSSLParameters(parameters);
          assertThat(serverSocket.getEnabledProtocols()).containsExactly("TLSv1.3");
          assertThat(serverSocket.getNeedClientAuth()).isTrue();
        })) {
      assertThat(LoopbackClient.connect(client, "localhost", loopback.port()).getProtocol()).isEqualTo("TLSv1.3");
      assertThat(loopback.nextOutcome().succeeded()).isTrue();
      assertThatThrownBy(() -> LoopbackClient.connect(anonymous, "localhost", loopback.port()))
          .isInstanceOf(IOException.class);
      assertThat(loopback.nextOutcome().succeeded()).isFalse();
    }
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void theHeldContext_offersThePolicy_asItsDefaultAndSupportedParameters(TlsProvider provider) throws Exception {
    try (MtlsContext server = server(provider, ClientAuth.REQUIRED)) {
      SSLContext context = server.sslContext();
      for (SSLParameters parameters : List.of(context.getDefaultSSLParameters(), context.getSupportedSSLParameters())) {
        assertThat(parameters.getProtocols()).containsExactly("TLSv1.3");
        assertThat(parameters.getCipherSuites()).containsExactlyElementsOf(TlsPolicy.MODERN.cipherSuites());
        assertThat(parameters.getNeedClientAuth()).isTrue();
      }
      assertThat(context.getProvider().getName()).isEqualTo("mtls");
      // Netty's JdkSslContext ignores a context's parameters when its provider is the JDK's default.
      assertThat(context.getProvider()).isNotEqualTo(SSLContext.getDefault().getProvider());
      assertThatThrownBy(() -> context.init(null, null, null)).isInstanceOf(KeyManagementException.class);
      assertThat(server.sslContext()).isSameAs(context);
    }
  }

  private MtlsContext server(TlsProvider provider, ClientAuth clientAuth) {
    return MtlsContext.forServer()
        .identity(IdentitySource.of(serverCertificate.privateKey(), serverCertificate.chain()))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .clientAuth(clientAuth)
        .peerPolicy(PeerPolicy.anyTrustedPeer())
        .provider(provider)
        .logging(false)
        .build();
  }

  private MtlsContext client(TlsProvider provider, TlsPolicy policy, boolean withIdentity) {
    ClientContextBuilder builder = MtlsContext.forClient()
        .trust(TrustSource.of(List.of(ca.certificate())))
        .tlsPolicy(policy)
        .provider(provider)
        .logging(false);
    if (withIdentity) {
      builder.identity(IdentitySource.of(clientCertificate.privateKey(), clientCertificate.chain()));
    }
    return builder.build();
  }

  private static String[] jvmImplementedSuites() {
    try {
      return SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

}
