package dev.mtls.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;
import dev.mtls.core.MtlsContext;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The JDK's own HTTPS server on 127.0.0.1, set up as users set it up, from a server context's
 * {@code sslContext()}; or a plain HTTP one. Every path answers {@code serial=<hex> port=<n>}:
 * the serial of the client's certificate and the client's port, which tells connections
 * apart. Path {@code /close} also closes the connection after the answer.
 */
final class TestHttpsServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final String scheme;

  private TestHttpsServer(HttpServer server, String scheme) {
    this.server = server;
    this.scheme = scheme;
    server.createContext("/", this::answer);
    server.setExecutor(executor);
    server.start();
  }

  static TestHttpsServer https(MtlsContext context) throws IOException {
    return https(context.sslContext());
  }

  /** An HTTPS server on any {@code SSLContext}: one not made by this library, say. */
  static TestHttpsServer https(SSLContext context) throws IOException {
    HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    https.setHttpsConfigurator(new HttpsConfigurator(context));
    return new TestHttpsServer(https, "https");
  }

  static TestHttpsServer plainHttp() throws IOException {
    return new TestHttpsServer(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50),
        "http");
  }

  int port() {
    return server.getAddress().getPort();
  }

  URI uri(String path) {
    return uri(scheme, "localhost", path);
  }

  URI uri(String scheme, String host, String path) {
    return URI.create(scheme + "://" + host + ":" + port() + path);
  }

  private void answer(HttpExchange exchange) throws IOException {
    String serial = "none";
    if (exchange instanceof HttpsExchange https) {
      try {
        Certificate[] chain = https.getSSLSession().getPeerCertificates();
        serial = ((X509Certificate) chain[0]).getSerialNumber().toString(16);
      } catch (SSLPeerUnverifiedException e) {
        serial = "none";
      }
    }
    byte[] body = ("serial=" + serial + " port=" + exchange.getRemoteAddress().getPort())
        .getBytes(StandardCharsets.US_ASCII);
    if (exchange.getRequestURI().getPath().equals("/close")) {
      exchange.getResponseHeaders().set("Connection", "close");
    }
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
