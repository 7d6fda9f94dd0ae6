package dev.mtls.tomcat;

import dev.mtls.core.MtlsContext;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.TrustManager;
import org.apache.tomcat.util.net.SSLContext;

/**
 * Tomcat's view of the context's {@code SSLContext}: every call goes to the one long-lived
 * context, which follows every rotation itself. Tomcat neither initialises nor destroys it:
 * the context belongs to the application, which closes it.
 */
final class HeldContext implements SSLContext {
  private final MtlsContext context;

  HeldContext(MtlsContext context) {
    this.context = context;
  }

  @Override
  public void init(KeyManager[] keyManagers, TrustManager[] trustManagers, SecureRandom random) {
    throw new IllegalStateException("the mtls context's SSLContext comes initialised with the context's"
        + " key and trust managers");
  }

  @Override
  public void destroy() {
    // The application closes the MtlsContext; a connector stopping must not.
  }

  @Override
  public SSLSessionContext getServerSessionContext() {
    return context.sslContext().getServerSessionContext();
  }

  @Override
  public SSLEngine createSSLEngine() {
    return context.sslContext().createSSLEngine();
  }

  @Override
  public SSLServerSocketFactory getServerSocketFactory() {
    return context.sslContext().getServerSocketFactory();
  }

  @Override
  public SSLParameters getSupportedSSLParameters() {
    return context.sslContext().getSupportedSSLParameters();
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return context.identityChain().toArray(new X509Certificate[0]);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return context.trustAnchors().toArray(new X509Certificate[0]);
  }
}
