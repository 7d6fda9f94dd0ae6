package dev.mtls.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/** Connects a client context to a loopback server and reads its greeting. */
final class LoopbackClient {
  private LoopbackClient() {}

  /**
   * Connects, completes the handshake and reads the server's "hello".
   *
   * @return the client's session
   * @throws IOException when the handshake or the read fails (as a refused peer's does)
   */
  static SSLSession connect(MtlsContext client, String host, int port) throws IOException {
    return connect(client.socketFactory(), host, port);
  }

  /** The same with any socket factory, for peers that are not built with this library. */
  static SSLSession connect(SSLSocketFactory factory, String host, int port) throws IOException {
    try (SSLSocket socket = (SSLSocket) factory.createSocket(host, port)) {
      socket.setSoTimeout(10_000);
      socket.setTcpNoDelay(true);
      socket.startHandshake();
      InputStream in = socket.getInputStream();
      byte[] greeting = in.readNBytes(6);
      if (!new String(greeting, StandardCharsets.US_ASCII).equals("hello\n")) {
        throw new IOException("no greeting from the server: " + new String(greeting, StandardCharsets.US_ASCII));
      }
      socket.getOutputStream().write('.');
      return socket.getSession();
    }
  }
}
