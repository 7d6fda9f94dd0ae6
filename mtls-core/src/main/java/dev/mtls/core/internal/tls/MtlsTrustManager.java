package dev.mtls.core.internal.tls;

import dev.mtls.core.Verdict;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;
import org.jspecify.annotations.Nullable;

/**
 * The context's trust manager: every peer chain goes through the context's verifier, the one
 * the adapters use, during the handshake, so a refused peer never reaches the application.
 * On the client side it also has the server's host name checked when the engine or socket
 * asks for endpoint identification (as the JDK's own trust manager does). Lock-free: the
 * verifier reads the current trust and revocation snapshots.
 */
public final class MtlsTrustManager extends X509ExtendedTrustManager {
  private final BiFunction<List<X509Certificate>, @Nullable String, Verdict> verifier;
  private final Supplier<List<X509Certificate>> acceptedIssuers;

  /**
   * Creates the trust manager.
   *
   * @param verifier the context's verifier as the handshake uses it: takes the peer's chain
   *     (leaf first) and the host name the certificate must name ({@code null} for none), and
   *     applies the context's handshake rules, reporting a refusal to the context's listeners
   * @param acceptedIssuers the current trust anchors, advertised to clients
   */
  public MtlsTrustManager(BiFunction<List<X509Certificate>, @Nullable String, Verdict> verifier,
      Supplier<List<X509Certificate>> acceptedIssuers) {
    this.verifier = verifier;
    this.acceptedIssuers = acceptedIssuers;
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    check(chain, null, null);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    check(chain, null, null);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(chain, null, null);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    check(chain, null, null);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    if (socket instanceof SSLSocket ssl && socket.isConnected()) {
      check(chain, ssl.getSSLParameters(), peerHost(ssl));
    } else {
      check(chain, null, null);
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(chain, engine == null ? null : engine.getSSLParameters(), engine == null ? null : engine.getPeerHost());
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return acceptedIssuers.get().toArray(new X509Certificate[0]);
  }

  private void check(X509Certificate[] chain, @Nullable SSLParameters parameters, @Nullable String host)
      throws CertificateException {
    String algorithm = parameters == null ? null : parameters.getEndpointIdentificationAlgorithm();
    boolean checkHost = algorithm != null && !algorithm.isEmpty();
    if (checkHost && (host == null || host.isEmpty())) {
      throw new CertificateException("endpoint identification (" + algorithm
          + ") is on, but the connection has no peer host name to check the certificate against");
    }
    List<X509Certificate> peer = chain == null ? List.of() : Arrays.asList(chain.clone());
    Verdict verdict = verifier.apply(peer, checkHost ? host : null);
    if (verdict instanceof Verdict.Rejected rejected) {
      throw new CertificateException(rejected.toString());
    }
  }

  private static @Nullable String peerHost(SSLSocket socket) {
    if (socket.getHandshakeSession() != null && socket.getHandshakeSession().getPeerHost() != null) {
      return socket.getHandshakeSession().getPeerHost();
    }
    return socket.getRemoteSocketAddress() instanceof InetSocketAddress address ? address.getHostString() : null;
  }
}
