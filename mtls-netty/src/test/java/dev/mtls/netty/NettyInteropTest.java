package dev.mtls.netty;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;
import dev.mtls.core.ClientAuth;
import dev.mtls.core.IdentitySource;
import dev.mtls.core.MtlsContext;
import dev.mtls.core.PeerIdentity;
import dev.mtls.core.PeerPolicy;
import dev.mtls.core.TrustSource;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The adapters interoperate: a Netty client against the JDK's {@code HttpsServer} holding the
 * core server context's {@code SSLContext}, and a JDK client (the core client context's
 * sockets) against the Netty server, on both Netty providers.
 */
class NettyInteropTest {
  private final TestCa ca = TestCa.create();

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.mtls.netty.Stack#providers")
  void nettyClient_talksToAJdkHttpsServer_builtFromTheCoreContext(Stack stack) throws Exception {
    stack.assumeAvailable();
    try (MtlsContext serverContext = server(); MtlsContext client = client(ca.client("orders"));
        NettyClient clients = new NettyClient(stack)) {
      HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      https.setHttpsConfigurator(new HttpsConfigurator(serverContext.sslContext()));
      https.createContext("/", exchange -> {
        X509Certificate peer = (X509Certificate) ((HttpsExchange) exchange).getSSLSession().getPeerCertificates()[0];
        byte[] body = ("hello " + PeerIdentity.of(List.of(peer)).commonName().orElseThrow() + "\n").getBytes(UTF_8);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      });
      https.start();
      try {
        NettyClient.Outcome outcome = clients.exchange(client, MtlsSslContexts.forClient(client, stack.provider()),
            https.getAddress().getPort(), "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        assertThat(outcome.answer()).startsWith("HTTP/1.1 200");
        assertThat(outcome.verification().isSuccess()).isTrue();
      } finally {
        https.stop(0);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.mtls.netty.Stack#providers")
  void jdkClient_talksToTheNettyServer(Stack stack) throws Exception {
    stack.assumeAvailable();
    try (MtlsContext serverContext = server(); NettyServer netty = new NettyServer(stack, serverContext);
        MtlsContext client = client(ca.client("orders"))) {
      try (SSLSocket socket = (SSLSocket) client.socketFactory().createSocket("localhost", netty.port())) {
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write("hi\n".getBytes(UTF_8));
        socket.getOutputStream().flush();
        String answer = new BufferedReader(new InputStreamReader(socket.getInputStream(), UTF_8)).readLine();

        assertThat(answer).isEqualTo("hello orders -");
        assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
      }
      assertThat(netty.nextEvent().peer().orElseThrow().commonName()).contains("orders");
    }
  }

  private MtlsContext server() {
    IssuedCertificate identity = ca.server("localhost");
    return MtlsContext.forServer()
        .identity(IdentitySource.of(identity.privateKey(), identity.chain()))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .clientAuth(ClientAuth.REQUIRED)
        .peerPolicy(PeerPolicy.builder().allowCommonNames("orders").build())
        .build();
  }

  private MtlsContext client(IssuedCertificate identity) {
    return MtlsContext.forClient()
        .identity(IdentitySource.of(identity.privateKey(), identity.chain()))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .build();
  }
}
