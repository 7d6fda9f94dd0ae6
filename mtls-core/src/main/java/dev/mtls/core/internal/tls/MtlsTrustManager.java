package dev.mtls.core.internal.tls;

import dev.mtls.core.PeerRejectedException;
import dev.mtls.core.Verdict;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;
import org.jspecify.annotations.Nullable;

/**
 * The context's trust manager: every peer chain goes through the context's verifier, the one
 * the adapters use, during the handshake, so a refused peer never reaches the application.
 * On the client side it hands the verifier the host the engine or socket was made for and
 * whether it asks for endpoint identification; the context's server-identity rule decides
 * what they mean (an endpoint identification setting never removes a host check). Lock-free:
 * the verifier reads the current trust and revocation snapshots.
 */
public final class MtlsTrustManager extends X509ExtendedTrustManager {
  private final HandshakeVerification verifier;
  private final Supplier<List<X509Certificate>> acceptedIssuers;

  /**
   * How the trust manager asks the context's verifier about a peer in the handshake: the
   * verifier applies the context's handshake rules and reports a refusal to the listeners.
   */
  @FunctionalInterface
  public interface HandshakeVerification {
    /**
     * Verifies a peer in the handshake.
     *
     * @param chain the chain as the peer sent it, leaf first
     * @param peerHost for a client: the host the engine or socket was made for, {@code null}
     *     when it has none; ignored on a server
     * @param endpointIdentification whether the engine or socket asks for endpoint
     *     identification ({@code HTTPS}, {@code LDAPS})
     * @return the verdict
     */
    Verdict verify(List<X509Certificate> chain, @Nullable String peerHost, boolean endpointIdentification);
  }

  /**
   * Creates the trust manager.
   *
   * @param verifier the context's verifier, as the handshake asks it
   * @param acceptedIssuers the current trust anchors, advertised to clients
   */
  public MtlsTrustManager(HandshakeVerification verifier, Supplier<List<X509Certificate>> acceptedIssuers) {
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
    if (socket instanceof SSLSocket ssl) {
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
    boolean endpointIdentification = algorithm != null && !algorithm.isEmpty();
    List<X509Certificate> peer = chain == null ? List.of() : Arrays.asList(chain.clone());
    Verdict verdict = verifier.verify(peer, host, endpointIdentification);
    if (verdict instanceof Verdict.Rejected rejected) {
      throw new PeerRejectedException(rejected);
    }
  }

  private static @Nullable String peerHost(SSLSocket socket) {
    if (socket.getHandshakeSession() != null && socket.getHandshakeSession().getPeerHost() != null) {
      return socket.getHandshakeSession().getPeerHost();
    }
    return socket.getRemoteSocketAddress() instanceof InetSocketAddress address ? address.getHostString() : null;
  }
}
