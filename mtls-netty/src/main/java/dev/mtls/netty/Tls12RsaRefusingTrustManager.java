package dev.mtls.netty;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509ExtendedTrustManager;
import org.jspecify.annotations.Nullable;

/**
 * Core's trust manager on the OpenSSL provider, refusing an RSA peer certificate in a TLS 1.2
 * handshake. Core refuses SHA-1 handshake signatures through algorithm constraints, which the
 * OpenSSL provider does not read, and netty-tcnative 2.0.84 has no way to set BoringSSL's
 * signature algorithms (only to read the peer's): BoringSSL refuses SHA-1 in TLS 1.3 and
 * {@code ecdsa_sha1} in TLS 1.2, but accepts {@code rsa_pkcs1_sha1} there, in a client's
 * CertificateVerify and in a server's ServerKeyExchange. Such a peer is refused here, before
 * its signature is read (the certificate is checked first); EC peers, and every peer in TLS
 * 1.3, are judged by core alone. The server still names {@code rsa_pkcs1_sha1} in its
 * CertificateRequest, which nothing here can change.
 */
final class Tls12RsaRefusingTrustManager extends X509ExtendedTrustManager {
  private final X509ExtendedTrustManager core;

  Tls12RsaRefusingTrustManager(X509ExtendedTrustManager core) {
    this.core = core;
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    refuseRsaInTls12(chain, engine);
    core.checkClientTrusted(chain, authType, engine);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    refuseRsaInTls12(chain, engine);
    core.checkServerTrusted(chain, authType, engine);
  }

  private static void refuseRsaInTls12(X509Certificate[] chain, @Nullable SSLEngine engine)
      throws CertificateException {
    SSLSession handshake = engine == null ? null : engine.getHandshakeSession();
    // No session to ask: refuse, rather than guess the protocol.
    String protocol = handshake == null ? "TLSv1.2" : handshake.getProtocol();
    if (chain.length > 0 && chain[0].getPublicKey() instanceof RSAKey && "TLSv1.2".equals(protocol)) {
      throw new CertificateException("an RSA peer certificate in TLS 1.2 is refused on the OpenSSL provider:"
          + " netty-tcnative cannot stop BoringSSL from accepting its rsa_pkcs1_sha1 (SHA-1) signature;"
          + " use TLS 1.3, an EC certificate, or SslProvider.JDK");
    }
  }

  // Netty's OpenSSL provider calls the engine variants; the others are core's unchanged.

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    core.checkClientTrusted(chain, authType, socket);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    core.checkServerTrusted(chain, authType, socket);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    core.checkClientTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    core.checkServerTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return core.getAcceptedIssuers();
  }
}
