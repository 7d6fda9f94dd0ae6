package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.PemFiles;
import dev.mtls.testkit.TestCa;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A server connection does one handshake: a client asking for a second one (TLS 1.2
 * renegotiation, {@code openssl s_client -tls1_2} and its {@code R} command) has its connection
 * closed by the server, without a second handshake, on both providers, over the server sockets
 * and over a held {@code sslContext()}'s engines; and a server application asking for one is
 * refused. The JDK's own switch for this is JVM-wide; Bouncy Castle would answer with a warning
 * and keep the connection.
 */
class RenegotiationTest {
  @TempDir Path dir;

  private final TestCa ca = TestCa.create();
  private final IssuedCertificate clientCertificate = ca.client("renegotiating-client");

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void clientRenegotiation_overTheServerSockets_closesTheConnection(TlsProvider provider) throws Exception {
    Openssl.assumeInstalled();
    try (MtlsContext server = server(provider); LoopbackServer loopback = new LoopbackServer(server)) {
      Renegotiation renegotiation = renegotiate(loopback.port());

      assertThat(loopback.nextOutcome().succeeded()).as("the first handshake").isTrue();
      renegotiation.assertClosedByTheServer();
      LoopbackServer.Outcome afterwards = loopback.nextOutcome();
      assertThat(afterwards.succeeded()).isFalse();
      assertThat(afterwards.failure()).hasMessageContaining("renegotiation refused");
    }
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void clientRenegotiation_overAHeldSslContextsEngines_closesTheConnection(TlsProvider provider) throws Exception {
    Openssl.assumeInstalled();
    try (MtlsContext server = server(provider)) {
      SSLContext held = server.sslContext();
      try (EngineLoopbackServer loopback = new EngineLoopbackServer(held::createSSLEngine)) {
        Renegotiation renegotiation = renegotiate(loopback.port());

        assertThat(loopback.nextOutcome().succeeded()).as("the first handshake").isTrue();
        renegotiation.assertClosedByTheServer();
        LoopbackServer.Outcome afterwards = loopback.nextOutcome();
        assertThat(afterwards.succeeded()).isFalse();
        assertThat(afterwards.failure()).hasMessageContaining("renegotiation refused");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void serverAskingForASecondTls12Handshake_isRefused_overSockets(TlsProvider provider) throws Exception {
    try (MtlsContext server = server(provider); MtlsContext client = client(provider);
        SSLServerSocket serverSocket = (SSLServerSocket) server.serverSocketFactory()
            .createServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Throwable> second = CompletableFuture.supplyAsync(() -> {
        try (SSLSocket accepted = (SSLSocket) serverSocket.accept()) {
          accepted.startHandshake();
          accepted.getOutputStream().write('.');
          accepted.getOutputStream().flush();
          assertThatThrownBy(accepted::startHandshake).isInstanceOf(SSLHandshakeException.class)
              .hasMessageContaining("renegotiation is refused");
          // The refusal sent nothing: the connection still carries data.
          accepted.getOutputStream().write('!');
          accepted.getOutputStream().flush();
          return null;
        } catch (IOException | AssertionError e) {
          return e;
        }
      });
      try (SSLSocket socket = (SSLSocket) client.socketFactory().createSocket("localhost", serverSocket.getLocalPort())) {
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        InputStream in = socket.getInputStream();
        assertThat(in.read()).isEqualTo('.');
        assertThat(in.read()).isEqualTo('!');
      }
      assertThat(second.get(10, TimeUnit.SECONDS)).isNull();
    }
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void serverAskingForASecondTls12Handshake_isRefused_overEngines(TlsProvider provider) throws Exception {
    try (MtlsContext server = server(provider); MtlsContext client = client(provider)) {
      SSLEngine serverEngine = server.sslContext().createSSLEngine();
      EngineHandshake handshake = EngineHandshake.run(client.newEngine("localhost", 443), serverEngine);
      assertThat(handshake.serverFailure()).isNull();
      assertThat(serverEngine.getSession().getProtocol()).isEqualTo("TLSv1.2");

      assertThatThrownBy(serverEngine::beginHandshake).isInstanceOf(SSLHandshakeException.class)
          .hasMessageContaining("renegotiation is refused");
    }
  }

  /** Connects with openssl, sends {@code R} once the connection is up, and waits for it to end. */
  private Renegotiation renegotiate(int port) throws Exception {
    PemFiles clientFiles = clientCertificate.writePem(dir.resolve("client"));
    List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
        "-servername", "localhost", "-tls1_2", "-CAfile", clientFiles.caCertificate().toString(),
        "-cert", clientFiles.certificate().toString(), "-key", clientFiles.privateKey().toString()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    StringBuilder output = new StringBuilder();
    CompletableFuture<Void> greeted = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (InputStream in = process.getInputStream()) {
        byte[] buffer = new byte[4096];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          synchronized (output) {
            output.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            if (output.indexOf("hello") >= 0) {
              greeted.complete(null);
            }
          }
        }
      } catch (IOException e) {
        // the process ended
      }
      greeted.complete(null);
    }, "openssl-output");
    reader.setDaemon(true);
    reader.start();
    OutputStream stdin = process.getOutputStream();
    try {
      greeted.get(20, TimeUnit.SECONDS); // the server's greeting: the first handshake is done
      stdin.write("R\n".getBytes(StandardCharsets.US_ASCII));
      stdin.flush();
      // With the connection still open, openssl waits for more input: only the server closing it ends openssl.
      boolean ended = process.waitFor(10, TimeUnit.SECONDS);
      reader.join(TimeUnit.SECONDS.toMillis(5));
      synchronized (output) {
        return new Renegotiation(ended, output.toString());
      }
    } finally {
      stdin.close();
      process.destroyForcibly();
    }
  }

  private MtlsContext server(TlsProvider provider) {
    return MtlsContext.forServer()
        .identity(MtlsContextHandshakeTest.identity(ca.server("localhost")))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .peerPolicy(PeerPolicy.anyTrustedPeer())
        .tlsPolicy(TlsPolicy.COMPATIBLE)
        .provider(provider)
        .logging(false)
        .build();
  }

  private MtlsContext client(TlsProvider provider) {
    return MtlsContext.forClient()
        .identity(MtlsContextHandshakeTest.identity(clientCertificate))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .tlsPolicy(TlsPolicy.of(List.of("TLSv1.2"), List.of("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384")))
        .provider(provider)
        .logging(false)
        .build();
  }

  /** How an openssl renegotiation attempt ended. */
  private record Renegotiation(boolean endedByItself, String output) {
    void assertClosedByTheServer() {
      assertThat(output).as("openssl asked").contains("RENEGOTIATING");
      String after = output.substring(output.indexOf("RENEGOTIATING"));
      assertThat(after).as("openssl verified the server again: a second handshake").doesNotContain("verify return");
      assertThat(endedByItself).as("the connection was still open: %s", output).isTrue();
    }
  }
}
