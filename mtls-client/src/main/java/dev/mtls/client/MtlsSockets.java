package dev.mtls.client;

import dev.mtls.core.MtlsContext;
import java.io.IOException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.X509TrustManager;

/**
 * What libraries that make their own TLS connections take from a client {@link MtlsContext}:
 * a socket factory and the trust manager that goes with it (OkHttp, JDBC and Redis drivers),
 * the {@code SSLContext} (Apache HttpClient 5, Netty-based drivers), and a host-name verifier
 * for libraries that check the server's name again after the handshake.
 *
 * <pre>{@code
 * MtlsSockets tls = MtlsSockets.of(context);
 * OkHttpClient okhttp = new OkHttpClient.Builder()
 *     .sslSocketFactory(tls.socketFactory(), tls.trustManager())
 *     .hostnameVerifier(tls.hostnameVerifier())
 *     .build();
 * }</pre>
 *
 * <p>Every connection presents the context's certificate of the moment (a rotated certificate
 * from the next new connection on) and is judged in its handshake by the context's trust
 * manager: the trust anchors, revocation, and the {@code ServerIdentity} rule for the host the
 * socket was made for. The library's own timeouts bound the handshake; give them the context's
 * {@linkplain MtlsContext#handshakeTimeout() handshake timeout} (OkHttp's connect and read
 * timeouts, say). Its failures are the JDK's exceptions, whose message for a refused server is
 * the core's verdict; {@link #explain(String, int, IOException)} turns one into an {@link
 * MtlsConnectException} that says what to do. Immutable and thread-safe.
 */
public final class MtlsSockets {
  private final MtlsContext context;
  private final FailureExplainer explainer;

  private MtlsSockets(MtlsContext context) {
    this.context = context;
    this.explainer = new FailureExplainer(context);
  }

  /**
   * The sockets of a client context.
   *
   * @param client a client context
   * @return the sockets
   * @throws IllegalArgumentException when the context is a server's
   */
  public static MtlsSockets of(MtlsContext client) {
    MtlsHttpClients.requireClient(client);
    return new MtlsSockets(client);
  }

  /**
   * The context's socket factory. A socket made for a host ({@code createSocket(host, port)},
   * or layered with {@code createSocket(socket, host, port, autoClose)}) checks the server by
   * the context's rule for that host.
   *
   * @return the factory, the same on every call
   */
  public SSLSocketFactory socketFactory() {
    return context.socketFactory();
  }

  /**
   * The trust manager the context's connections are judged by, for libraries that ask for it
   * beside the socket factory (OkHttp reads its accepted issuers to clean up chains).
   *
   * @return the trust manager, the same on every call
   */
  public X509TrustManager trustManager() {
    return context.trustManager();
  }

  /**
   * The context's {@code SSLContext}, for libraries that take one.
   *
   * @return the SSL context, the same for the context's whole life
   */
  public SSLContext sslContext() {
    return context.sslContext();
  }

  /**
   * A host-name verifier that applies the context's {@code ServerIdentity} rule
   * ({@link dev.mtls.core.PeerVerifier#verifyServer(List, String)}) in place of the library's own
   * host-name check, which knows only DNS names: with it, a client that names its server by SPIFFE
   * ID connects through OkHttp or Apache HttpClient to a server whose certificate holds no DNS
   * name for the host. The handshake has already applied the rule; this applies it again, the
   * same way. A refusal is reported to the context's listeners.
   *
   * @return the verifier
   */
  public HostnameVerifier hostnameVerifier() {
    return (host, session) -> {
      List<X509Certificate> chain = peerChain(session);
      return !chain.isEmpty() && host != null && context.verifier().verifyServer(chain, host).isAllowed();
    };
  }

  /**
   * Explains a failed connection to {@code host:port} made through these sockets (or the
   * {@code SSLContext}), as the clients of {@link MtlsHttpClients} do.
   *
   * <pre>{@code
   * try {
   *   okhttp.newCall(request).execute();
   * } catch (IOException e) {
   *   throw tls.explain("payments.internal", 8443, e);
   * }
   * }</pre>
   *
   * @param host the host connected to
   * @param port the port connected to
   * @param failure what the library threw
   * @return an {@link MtlsConnectException} whose cause is {@code failure}, or {@code failure}
   *     itself when it is none of the cases explained
   */
  public IOException explain(String host, int port, IOException failure) {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(failure, "failure");
    MtlsConnectException explained = explainer.explain(null, host, port, null, failure);
    return explained == null ? failure : explained;
  }

  private static List<X509Certificate> peerChain(SSLSession session) {
    Certificate[] certificates;
    try {
      certificates = session.getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      return List.of();
    }
    List<X509Certificate> chain = new ArrayList<>(certificates.length);
    for (Certificate certificate : certificates) {
      if (!(certificate instanceof X509Certificate x509)) {
        return List.of();
      }
      chain.add(x509);
    }
    return chain;
  }

  @Override
  public String toString() {
    return "MtlsSockets[" + context + "]";
  }
}
