package dev.mtls.it.adapter;

import dev.mtls.core.MtlsContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/** Clients that connect to an {@link AdapterServer}, complete the handshake and read its greeting. */
final class Clients {
  private static final int TIMEOUT_MILLIS = 10_000;

  private Clients() {}

  /**
   * Connects with a client context's own socket factory.
   *
   * @return the client's session
   * @throws IOException when the handshake or the read fails, as a refused peer's does
   */
  static SSLSession connect(MtlsContext client, int port) throws IOException {
    Socket plain = new Socket();
    try {
      plain.connect(new InetSocketAddress("localhost", port), TIMEOUT_MILLIS);
      SSLSocket tls = (SSLSocket) client.socketFactory().createSocket(plain, "localhost", port, true);
      tls.setSoTimeout(TIMEOUT_MILLIS);
      tls.startHandshake();
      return greet(tls);
    } finally {
      plain.close();
    }
  }

  /** Connects with a client adapter's SunJSSE context. */
  static SSLSession connect(JsseAdapter client, int port) throws IOException {
    return greet(client.connect("localhost", port));
  }

  private static SSLSession greet(SSLSocket tls) throws IOException {
    try (tls) {
      byte[] greeting = tls.getInputStream().readNBytes(6);
      if (!new String(greeting, StandardCharsets.US_ASCII).equals("hello\n")) {
        throw new IOException("no greeting from the server: " + new String(greeting, StandardCharsets.US_ASCII));
      }
      tls.getOutputStream().write('.');
      return tls.getSession();
    }
  }
}
