package dev.mtls.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.core.MtlsContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLSocket;

/** Clients of the containers under test: the JDK's HttpClient, and raw requests over TLS. */
final class Clients {
  /** Bounds every answer read: the tests' answers are a few hundred bytes. */
  private static final int MAX_ANSWER = 64 * 1024;

  private Clients() {}

  /** An HTTP/1.1 client with the client context's TLS; one per test, so sessions are its own. */
  static HttpClient http(MtlsContext client) {
    return HttpClient.newBuilder()
        .sslContext(client.sslContext())
        .sslParameters(client.sslParameters())
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10))
        .build();
  }

  static HttpResponse<String> get(HttpClient http, int port, String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + path))
            .timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A GET of a path sent byte for byte as given, for paths a client would normalise first. */
  static Answer raw(MtlsContext client, int port, String rawPath) throws IOException {
    try (SSLSocket socket = (SSLSocket) client.socketFactory().createSocket("localhost", port)) {
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      out.write(("GET " + rawPath + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      byte[] buffer = new byte[4096];
      int n;
      while ((n = in.read(buffer)) > 0) {
        answer.write(buffer, 0, n);
        assertThat(answer.size()).as("answer size").isLessThan(MAX_ANSWER);
      }
      return Answer.parse(answer.toString(StandardCharsets.ISO_8859_1));
    }
  }

  /** An HTTP answer as it came over the wire. */
  record Answer(int status, String head, String body) {
    static Answer parse(String text) {
      int end = text.indexOf("\r\n\r\n");
      String head = end < 0 ? text : text.substring(0, end);
      String body = end < 0 ? "" : text.substring(end + 4);
      String[] statusLine = head.split(" ", 3);
      int status = statusLine.length > 1 && statusLine[1].matches("\\d{3}") ? Integer.parseInt(statusLine[1]) : -1;
      return new Answer(status, head, body);
    }
  }
}
