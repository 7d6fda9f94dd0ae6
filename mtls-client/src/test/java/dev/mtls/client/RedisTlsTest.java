package dev.mtls.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;


import dev.mtls.core.MtlsContext;
import dev.mtls.testkit.TestCa;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Redis over TLS with {@code tls-auth-clients yes}, reached through the socket factory
 * of {@link MtlsSockets}, as Redis drivers take it, speaking RESP: a client with the library's
 * certificate gets {@code PONG}; one without a certificate is refused.
 */
class RedisTlsTest {
  private static final byte[] PING = "*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII);

  private final TestCa ca = TestCa.create();

  @Test
  void clientWithTheLibrarysCertificate_getsPong(@TempDir Path dir) throws Exception {
    try (RedisServer redis = RedisServer.start(dir, ca.server("localhost"), ca);
        MtlsContext client = Tls.client(ca.client("worker"), ca).build()) {
      assertThat(ping(MtlsSockets.of(client), redis.port())).as("redis log: %s", redis.log()).isEqualTo("+PONG");
    }
  }

  @Test
  void clientOfAnotherCa_isRefused(@TempDir Path dir) throws Exception {
    try (RedisServer redis = RedisServer.start(dir, ca.server("localhost"), ca);
        MtlsContext client = Tls.client(TestCa.create().client("worker"), ca).build()) {
      IOException failure = catchThrowableOfType(IOException.class, () -> ping(MtlsSockets.of(client), redis.port()));

      assertThat(failure).as("redis answered a client of another CA").isNotNull();
      assertThat(redis.awaitLog("certificate verify failed", 10)).as("redis log: %s", redis.log()).isTrue();
    }
  }

  @Test
  void clientWithoutCertificate_isRefused(@TempDir Path dir) throws Exception {
    try (RedisServer redis = RedisServer.start(dir, ca.server("localhost"), ca);
        MtlsContext client = Tls.client(null, ca).build()) {
      MtlsSockets tls = MtlsSockets.of(client);

      IOException failure = catchThrowableOfType(IOException.class, () -> ping(tls, redis.port()));

      assertThat(failure).as("redis answered a client without a certificate").isNotNull();
      assertThat(redis.awaitLog("peer did not return a certificate", 10)).as("redis log: %s", redis.log()).isTrue();
    }
  }

  /** PING over a new TLS connection; the first line of the answer. */
  private static String ping(MtlsSockets tls, int port) throws IOException {
    try (SSLSocket socket = (SSLSocket) tls.socketFactory().createSocket("localhost", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(PING);
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder line = new StringBuilder();
      for (int c = in.read(); c >= 0 && c != '\r' && line.length() < 1024; c = in.read()) {
        line.append((char) c);
      }
      if (line.length() == 0) {
        throw new IOException("redis closed the connection without an answer");
      }
      return line.toString();
    }
  }
}
