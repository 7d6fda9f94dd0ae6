package dev.mtls.cli.probe;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.mtls.core.MtlsContext;
import dev.mtls.testkit.IssuedCertificate;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Servers a probe meets, on 127.0.0.1: the JDK's HTTPS server set up as users set it up from a
 * server context's {@code sslContext()} (or from a JDK context, for material the library would
 * refuse to serve, such as an expired certificate), and a plain HTTP port that answers bytes
 * that are not HTTP with 400, as nginx does.
 */
final class ProbeServer implements AutoCloseable {
  private final int port;
  private final AutoCloseable stop;

  private ProbeServer(int port, AutoCloseable stop) {
    this.port = port;
    this.stop = stop;
  }

  static ProbeServer https(MtlsContext server) throws IOException {
    return https(server.sslContext());
  }

  /** An HTTPS server of the JDK alone presenting {@code certificate} whatever its dates, asking for no client certificate. */
  static ProbeServer jdkHttps(IssuedCertificate certificate) throws Exception {
    char[] password = "probe-test".toCharArray();
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(certificate.keyStore(password), password);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return https(context);
  }

  private static ProbeServer https(SSLContext context) throws IOException {
    HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    https.setHttpsConfigurator(new HttpsConfigurator(context));
    ExecutorService executor = Executors.newFixedThreadPool(2);
    https.setExecutor(executor);
    https.createContext("/", exchange -> {
      byte[] body = "{\"status\":\"ok\"}".getBytes(StandardCharsets.US_ASCII);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    https.start();
    return new ProbeServer(https.getAddress().getPort(), () -> {
      https.stop(0);
      executor.shutdownNow();
    });
  }

  static ProbeServer strictPlainHttp() throws IOException {
    ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(() -> {
      while (!socket.isClosed()) {
        try (Socket client = socket.accept()) {
          client.setSoTimeout(10_000);
          if (client.getInputStream().read() >= 0) {
            OutputStream out = client.getOutputStream();
            out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
            out.flush();
          }
        } catch (IOException e) {
          // a client gone, or close(): next connection
        }
      }
    }, "probe-test-plain-http");
    acceptor.setDaemon(true);
    acceptor.start();
    return new ProbeServer(socket.getLocalPort(), socket);
  }

  int port() {
    return port;
  }

  String url(String host) {
    return "https://" + host + ":" + port + "/health";
  }

  @Override
  public void close() throws Exception {
    stop.close();
  }
}
