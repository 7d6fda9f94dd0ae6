package dev.mtls.client;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code redis-server}, run for a test on 127.0.0.1 with TLS only ({@code port 0},
 * {@code tls-port}) and {@code tls-auth-clients yes}: clients need a certificate from the
 * given CA. The files are written at run time from testkit certificates. When the binary is
 * missing the test is skipped, with the reason, unless {@code CI=true}: then it fails, as
 * {@code .ci/run} installs it.
 */
final class RedisServer implements AutoCloseable {
  private static final String BINARY = "redis-server";
  private final Process process;
  private final int port;
  private final ConcurrentLinkedQueue<String> log = new ConcurrentLinkedQueue<>();
  private final Object logged = new Object();

  private RedisServer(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts the server, and returns once it says it accepts connections (at most 20 s). */
  static RedisServer start(Path dir, IssuedCertificate certificate, TestCa clients) throws Exception {
    Path binary = binary();
    Path crt = Files.writeString(dir.resolve("redis.crt"), certificate.chainPem());
    Path key = Files.writeString(dir.resolve("redis.key"), certificate.privateKeyPem());
    Path ca = clients.writeCertificatePem(dir.resolve("clients-ca.crt"));
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    Process process = new ProcessBuilder(List.of(binary.toString(),
        "--port", "0", "--tls-port", Integer.toString(port), "--bind", "127.0.0.1",
        "--tls-cert-file", crt.toString(), "--tls-key-file", key.toString(),
        "--tls-ca-cert-file", ca.toString(), "--tls-auth-clients", "yes",
        "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--loglevel", "notice"))
        .redirectErrorStream(true)
        .start();
    RedisServer server = new RedisServer(process, port);
    CountDownLatch ready = new CountDownLatch(1);
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          server.log.add(line);
          synchronized (server.logged) {
            server.logged.notifyAll();
          }
          if (line.contains("Ready to accept connections")) {
            ready.countDown();
          }
        }
      } catch (IOException e) {
        // the process ended
      }
    }, "test-redis-log");
    reader.setDaemon(true);
    reader.start();
    if (!ready.await(20, TimeUnit.SECONDS)) {
      server.close();
      fail("redis-server did not start within 20 s; its output: " + server.log);
    }
    return server;
  }

  int port() {
    return port;
  }

  /**
   * Waits until the server has written a line containing {@code text}.
   *
   * @return whether it did within {@code seconds}
   */
  boolean awaitLog(String text, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    synchronized (logged) {
      while (log.stream().noneMatch(line -> line.contains(text))) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(logged, left);
      }
      return true;
    }
  }

  /** What the server wrote, for assertion messages. */
  List<String> log() {
    return List.copyOf(log);
  }

  private static Path binary() {
    Optional<Path> found = Optional.empty();
    String path = System.getenv("PATH");
    for (String directory : (path == null ? "" : path).split(File.pathSeparator)) {
      Path candidate = Path.of(directory.isEmpty() ? "." : directory, BINARY);
      if (Files.isExecutable(candidate)) {
        found = Optional.of(candidate);
        break;
      }
    }
    if (found.isEmpty() && "true".equalsIgnoreCase(System.getenv("CI"))) {
      fail("redis-server is not on the PATH and CI=true: .ci/run installs it (apt-get install redis-server)");
    }
    assumeTrue(found.isPresent(), "redis-server is not installed (Debian: apt-get install redis-server; .ci/run"
        + " installs it), and CI is not set: the test against a real Redis over TLS is skipped");
    return found.get();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
