package dev.mtls.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/** One HTTPS GET over a new connection from a socket factory, for tests; answers the status code. */
final class HttpsGet {
  private HttpsGet() {}

  static int status(SSLSocketFactory factory, int port) throws IOException {
    try (SSLSocket socket = (SSLSocket) factory.createSocket("localhost", port)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      String response = new String(in.readNBytes(64 * 1024), StandardCharsets.US_ASCII);
      if (!response.startsWith("HTTP/1.1 ")) {
        throw new IOException("no HTTP response: " + response);
      }
      return Integer.parseInt(response.substring(9, 12));
    }
  }
}
