package dev.mtls.benchmarks;

import java.io.ByteArrayInputStream;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/**
 * New JDK certificate objects from encodings, on every call: what a container hands over for
 * a peer it has not cached. {@code CertificateFactory.generateCertificate} would hand back the
 * same object for the same bytes from the JDK's 750-entry cache (and with it the JDK's memory
 * of the signature it verified); {@code generateCertificates} parses afresh.
 */
final class FreshCertificates {
  private static final CertificateFactory FACTORY;

  static {
    try {
      FACTORY = CertificateFactory.getInstance("X.509");
    } catch (CertificateException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private FreshCertificates() {}

  /**
   * Parses certificates into new objects.
   *
   * @param encodings DER encodings, leaf first
   * @return one new certificate object per encoding, in order
   */
  static X509Certificate[] parse(byte[]... encodings) {
    X509Certificate[] certificates = new X509Certificate[encodings.length];
    try {
      for (int i = 0; i < encodings.length; i++) {
        for (Certificate parsed : FACTORY.generateCertificates(new ByteArrayInputStream(encodings[i]))) {
          certificates[i] = (X509Certificate) parsed;
        }
      }
    } catch (CertificateException e) {
      throw new IllegalStateException("benchmark certificate does not parse", e);
    }
    return certificates;
  }
}
