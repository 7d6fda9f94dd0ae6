package dev.mtls.cli.probe;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The chain a server presents, whether or not it is trusted: for showing what a refused server
 * sent, as {@code openssl s_client} does. A second connection, whose handshake this side
 * always aborts on receiving the server's certificate: it sends no client certificate and no
 * request, and nothing it learns is trusted; it is bounded by the probe's timeout.
 */
final class ServerChain {
  private ServerChain() {}

  /**
   * The server's chain as presented.
   *
   * @return the chain, leaf first, or empty when the server sent none within the timeout
   */
  static List<X509Certificate> fetch(String host, int port, Duration timeout) {
    AtomicReference<List<X509Certificate>> seen = new AtomicReference<>(List.of());
    int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
    try (Socket tcp = new Socket()) {
      tcp.connect(new InetSocketAddress(host, port), millis);
      tcp.setSoTimeout(millis);
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(null, new TrustManager[] {new Recorder(seen)}, null);
      try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(tcp, host, port, false)) {
        socket.startHandshake();
      }
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      // the handshake is aborted on purpose, or the server is gone: what was seen is the answer
    }
    return seen.get();
  }

  /** Keeps the server's chain and refuses it, so the handshake goes no further. */
  private static final class Recorder extends X509ExtendedTrustManager {
    private final AtomicReference<List<X509Certificate>> seen;

    Recorder(AtomicReference<List<X509Certificate>> seen) {
      this.seen = seen;
    }

    private void record(X509Certificate[] chain) throws CertificateException {
      seen.set(List.of(chain));
      throw new CertificateException("chain recorded for display only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      record(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      record(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      record(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      throw new CertificateException("a probe judges no clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      throw new CertificateException("a probe judges no clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("a probe judges no clients");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
