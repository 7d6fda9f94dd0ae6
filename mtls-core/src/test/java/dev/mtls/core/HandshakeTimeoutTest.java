package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.testkit.TestCa;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The context's handshake timeout holds on the sockets its server sockets accept: a server
 * with a small thread pool, as an application builds one on {@code serverSocketFactory()},
 * under a few hundred connections that send nothing or half a ClientHello, closes each of
 * them once its time is up, and meanwhile serves a real client; after the handshake the
 * application's own SO_TIMEOUT (none) applies again.
 */
class HandshakeTimeoutTest {
  /** Long enough for a real handshake on a busy two-core machine, short enough for a test. */
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static final int THREADS = 16;
  private static final int STALLED = 300;
  /** A TLS record header announcing a 512-byte ClientHello, and the start of that hello: then nothing. */
  private static final byte[] HALF_A_CLIENT_HELLO = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03,
      0x03, 0x11, 0x22, 0x33, 0x44};

  private final TestCa ca = TestCa.create();

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void stalledHandshakes_areClosedAfterTheTimeout_whileARealClientIsServed(TlsProvider provider) throws Exception {
    try (MtlsContext server = server(provider, TIMEOUT); MtlsContext client = client(provider);
        PooledServer pooled = new PooledServer(server)) {
      long start = System.nanoTime();
      List<Socket> stalled = new ArrayList<>();
      long[] connected = new long[STALLED];
      try {
        for (int i = 0; i < STALLED; i++) {
          Socket socket = new Socket();
          stalled.add(socket);
          socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), pooled.port()), 5_000);
          connected[i] = System.nanoTime();
          socket.setSoTimeout(20_000); // the test's own bound on waiting for the server to close it
          if (i % 3 == 0) {
            socket.getOutputStream().write(HALF_A_CLIENT_HELLO);
          }
        }

        // A real client, queued behind them all in a pool they have pinned.
        long clientStart = System.nanoTime();
        String greeting = greeting(client, pooled.port());
        long clientMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - clientStart);
        assertThat(greeting).isEqualTo("hello\n");
        assertThat(clientMillis).as("the real client's wait, ms").isLessThan(TIMEOUT.toMillis() + 5_000);

        // Every stalled connection is closed by the server (end of stream, or a reset), and not
        // before its time was up: seen here no earlier than it happened.
        for (int i = 0; i < STALLED; i++) {
          assertThat(closedByTheServer(stalled.get(i))).as("connection %s closed by the server", i).isTrue();
          assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - connected[i]))
              .as("connection %s closed after, ms", i).isGreaterThanOrEqualTo(TIMEOUT.toMillis());
        }
        long allClosedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(allClosedMillis).as("until all were closed, ms").isLessThan(TIMEOUT.toMillis() + 10_000);
        assertThat(pooled.failures.await(10, TimeUnit.SECONDS)).as("every stalled handshake failed on the server")
            .isTrue();
      } finally {
        for (Socket socket : stalled) {
          socket.close();
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void afterTheHandshake_theApplicationsTimeoutApplies_notTheHandshakeTimeout(TlsProvider provider) throws Exception {
    try (MtlsContext server = server(provider, Duration.ofMillis(600)); MtlsContext client = client(provider);
        ServerSocket serverSocket = server.serverSocketFactory().createServerSocket(0, 50,
            InetAddress.getLoopbackAddress())) {
      CountDownLatch handshaken = new CountDownLatch(1);
      CountDownLatch read = new CountDownLatch(1);
      AtomicInteger received = new AtomicInteger(-2);
      int[] timeouts = new int[2];
      Thread serving = new Thread(() -> {
        try (SSLSocket accepted = (SSLSocket) serverSocket.accept()) {
          accepted.setSoTimeout(0); // the application waits as long as it takes
          accepted.startHandshake();
          timeouts[0] = accepted.getSoTimeout();
          handshaken.countDown();
          received.set(accepted.getInputStream().read());
          timeouts[1] = accepted.getSoTimeout();
        } catch (IOException e) {
          received.set(-3);
        } finally {
          handshaken.countDown();
          read.countDown();
        }
      }, "serving");
      serving.start();
      try (SSLSocket socket = (SSLSocket) client.socketFactory().createSocket("localhost", serverSocket.getLocalPort())) {
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        assertThat(handshaken.await(10, TimeUnit.SECONDS)).isTrue();
        // Idle for three times the handshake timeout (long enough for a handshake on a busy
        // machine): the server keeps waiting for the request.
        assertThat(read.await(1800, TimeUnit.MILLISECONDS)).as("the server's read ended early").isFalse();
        socket.getOutputStream().write('x');
        socket.getOutputStream().flush();
        assertThat(read.await(10, TimeUnit.SECONDS)).isTrue();
      }
      serving.join(10_000);
      assertThat(received.get()).isEqualTo('x');
      assertThat(timeouts).containsExactly(0, 0);
    }
  }

  @Test
  void handshakeTimeout_isTenSecondsByDefault_andBounded() {
    try (MtlsContext server = server(TlsProvider.JDK, null)) {
      assertThat(server.handshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
    }
    try (MtlsContext server = server(TlsProvider.JDK, Duration.ofSeconds(3))) {
      assertThat(server.handshakeTimeout()).isEqualTo(Duration.ofSeconds(3));
    }
    assertThatThrownBy(() -> MtlsContext.forServer().handshakeTimeout(Duration.ofMillis(99)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("handshakeTimeout must be between 100ms and 5m: 99ms");
    assertThatThrownBy(() -> MtlsContext.forClient().handshakeTimeout(Duration.ofMinutes(6)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("handshakeTimeout must be between 100ms and 5m: 6m");
    assertThatThrownBy(() -> MtlsContext.forServer().handshakeTimeout(Duration.ofSeconds(1))
        .handshakeTimeout(Duration.ofSeconds(2)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("handshakeTimeout was already set to 1s");
  }

  /** Reads until the server closes the connection; false if the test's bound passed first. */
  private static boolean closedByTheServer(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    try {
      while (true) {
        int b = in.read();
        if (b < 0) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (SocketException e) {
      return true; // reset by the server
    }
  }

  private static String greeting(MtlsContext client, int port) throws IOException {
    try (SSLSocket socket = (SSLSocket) client.socketFactory().createSocket("localhost", port)) {
      socket.setSoTimeout(15_000);
      socket.startHandshake();
      String greeting = new String(socket.getInputStream().readNBytes(6), StandardCharsets.US_ASCII);
      socket.getOutputStream().write('.');
      socket.getOutputStream().flush();
      return greeting;
    }
  }

  private MtlsContext server(TlsProvider provider, Duration timeout) {
    ServerContextBuilder builder = MtlsContext.forServer()
        .identity(MtlsContextHandshakeTest.identity(ca.server("localhost")))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .peerPolicy(PeerPolicy.anyTrustedPeer())
        .provider(provider)
        .logging(false);
    return (timeout == null ? builder : builder.handshakeTimeout(timeout)).build();
  }

  private MtlsContext client(TlsProvider provider) {
    return MtlsContext.forClient()
        .identity(MtlsContextHandshakeTest.identity(ca.client("real-client")))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .provider(provider)
        .logging(false)
        .build();
  }

  /**
   * A server as an application writes one on {@code serverSocketFactory()}: an accept loop
   * handing each connection to a fixed pool, which handshakes, greets and waits for one byte,
   * with no SO_TIMEOUT of its own.
   */
  private static final class PooledServer implements AutoCloseable {
    /** Counted down by each failed handshake: the stalled ones. */
    final CountDownLatch failures = new CountDownLatch(STALLED);
    private final ServerSocket serverSocket;
    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    private final Thread acceptor;

    PooledServer(MtlsContext context) throws IOException {
      serverSocket = context.serverSocketFactory().createServerSocket(0, 2 * STALLED, InetAddress.getLoopbackAddress());
      acceptor = new Thread(this::acceptLoop, "pooled-server-accept");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return serverSocket.getLocalPort();
    }

    private void acceptLoop() {
      while (!serverSocket.isClosed()) {
        try {
          Socket accepted = serverSocket.accept();
          pool.execute(() -> serve((SSLSocket) accepted));
        } catch (IOException e) {
          return; // closed
        }
      }
    }

    private void serve(SSLSocket socket) {
      try (socket) {
        socket.startHandshake();
        socket.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        socket.getInputStream().read();
      } catch (IOException e) {
        failures.countDown();
      }
    }

    @Override
    public void close() throws Exception {
      serverSocket.close();
      pool.shutdown();
      assertThat(pool.awaitTermination(15, TimeUnit.SECONDS)).as("the pool's threads ended").isTrue();
      acceptor.join(5_000);
    }
  }
}
