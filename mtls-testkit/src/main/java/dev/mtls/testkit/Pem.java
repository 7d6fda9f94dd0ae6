package dev.mtls.testkit;

import java.nio.charset.StandardCharsets;
import java.security.cert.CRLException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;

/** PEM text (RFC 7468): base64 in 64-character lines between BEGIN and END labels. */
final class Pem {
  private static final Base64.Encoder ENCODER =
      Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));

  private Pem() {}

  static String encode(String label, byte[] der) {
    return "-----BEGIN " + label + "-----\n"
        + ENCODER.encodeToString(der)
        + "\n-----END " + label + "-----\n";
  }

  static String certificate(X509Certificate certificate) {
    try {
      return encode("CERTIFICATE", certificate.getEncoded());
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException(
          "cannot encode certificate " + certificate.getSubjectX500Principal() + ": " + e, e);
    }
  }

  static String certificates(List<X509Certificate> certificates) {
    StringBuilder pem = new StringBuilder();
    for (X509Certificate certificate : certificates) {
      pem.append(certificate(certificate));
    }
    return pem.toString();
  }

  static String crl(X509CRL crl) {
    try {
      return encode("X509 CRL", crl.getEncoded());
    } catch (CRLException e) {
      throw new IllegalStateException("cannot encode CRL of " + crl.getIssuerX500Principal(), e);
    }
  }
}
