package dev.mtls.core;

import dev.mtls.testkit.IssuedCertificate;
import java.net.InetAddress;
import java.net.Socket;
import java.security.AlgorithmConstraints;
import java.security.AlgorithmParameters;
import java.security.CryptoPrimitive;
import java.security.Key;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A peer of the JDK's own TLS (not built with this library) that signs and verifies
 * handshake signatures with SHA-1 only: its algorithm constraints permit no SHA-2 or EdDSA
 * signature, so it offers only {@code ecdsa_sha1} and {@code rsa_pkcs1_sha1}, and signs its
 * CertificateVerify with one of them. What {@code openssl -sigalgs ECDSA+SHA1} does as a
 * client, in TLS 1.3 too (openssl itself will not sign with SHA-1 there). It trusts exactly
 * the certificate it is told to expect.
 */
final class Sha1OnlyPeer {
  private static final char[] PASSWORD = "test".toCharArray();

  private Sha1OnlyPeer() {}

  /**
   * A JDK SSLContext presenting {@code identity}, trusting only {@code expectedPeer}. Its key
   * manager is the {@code SunX509} one, which (unlike {@code PKIX}) does not hold its own chain,
   * signed with SHA-256, against the SHA-1-only constraints.
   */
  static SSLContext context(IssuedCertificate identity, X509Certificate expectedPeer) throws Exception {
    KeyManagerFactory keys = KeyManagerFactory.getInstance("SunX509");
    keys.init(identity.keyStore(PASSWORD), PASSWORD);
    SSLContext context = SSLContext.getInstance("TLS", "SunJSSE");
    context.init(keys.getKeyManagers(), new TrustManager[] {new Pinned(expectedPeer)}, null);
    return context;
  }

  /** A client socket of {@code context} restricted to SHA-1 signatures and {@code protocol}. */
  static SSLSocket clientSocket(SSLContext context, int port, String protocol) throws Exception {
    SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("localhost", port);
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setProtocols(new String[] {protocol});
    parameters.setAlgorithmConstraints(new OnlySha1());
    socket.setSSLParameters(parameters);
    socket.setSoTimeout(10_000);
    return socket;
  }

  /**
   * A server socket of {@code context} restricted to SHA-1 signatures and {@code protocol},
   * asking for a client certificate.
   */
  static SSLServerSocket serverSocket(SSLContext context, String protocol) throws Exception {
    SSLServerSocket socket = (SSLServerSocket) context.getServerSocketFactory()
        .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setProtocols(new String[] {protocol});
    parameters.setAlgorithmConstraints(new OnlySha1());
    parameters.setNeedClientAuth(true);
    socket.setSSLParameters(parameters);
    return socket;
  }

  /** Permits, among signatures, only those made with SHA-1; everything else passes. */
  static final class OnlySha1 implements AlgorithmConstraints {
    private static final Pattern STRONGER = Pattern.compile("SHA(2|3|5)\\d\\d|PSS|ED25519|ED448|EDDSA");

    @Override
    public boolean permits(Set<CryptoPrimitive> primitives, String algorithm, AlgorithmParameters parameters) {
      return !primitives.contains(CryptoPrimitive.SIGNATURE)
          || !STRONGER.matcher(algorithm.toUpperCase(Locale.ROOT).replace("-", "")).find();
    }

    @Override
    public boolean permits(Set<CryptoPrimitive> primitives, Key key) {
      return true;
    }

    @Override
    public boolean permits(Set<CryptoPrimitive> primitives, String algorithm, Key key, AlgorithmParameters parameters) {
      return permits(primitives, algorithm, parameters);
    }
  }

  /** A trust manager that trusts one certificate, as the peer's leaf, and nothing else. */
  static X509ExtendedTrustManager trusting(X509Certificate expected) {
    return new Pinned(expected);
  }

  /** Trusts one certificate, as the peer's leaf. */
  private static final class Pinned extends X509ExtendedTrustManager {
    private final X509Certificate expected;

    Pinned(X509Certificate expected) {
      this.expected = expected;
    }

    private void check(X509Certificate[] chain) throws CertificateException {
      if (chain == null || chain.length == 0 || !chain[0].equals(expected)) {
        throw new CertificateException("not the expected peer");
      }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
      check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
      check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
      check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
      check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      check(chain);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
