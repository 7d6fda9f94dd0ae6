package dev.mtls.micrometer;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/**
 * Many distinct peers, cheaply: one certificate whose subject's common name ({@code
 * peer-00000}) is rewritten in its encoding for each peer. Issuing 10,000 certificates takes
 * minutes on a busy machine; these parse in microseconds, each a peer of its own name, whose
 * signature no longer verifies (an untrusted peer, as a scan of strangers would be).
 */
final class DistinctPeers {
  private static final byte[] TEMPLATE_NAME = "peer-00000".getBytes(StandardCharsets.US_ASCII);

  private final byte[] encoded;
  private final int nameAt;
  private final CertificateFactory factory;

  DistinctPeers(X509Certificate template) throws CertificateException {
    this.encoded = template.getEncoded();
    this.nameAt = indexOf(encoded, TEMPLATE_NAME);
    this.factory = CertificateFactory.getInstance("X.509");
  }

  /** The certificate of peer {@code n}, named {@code peer-n} (five digits). */
  X509Certificate peer(int n) throws CertificateException {
    byte[] copy = encoded.clone();
    byte[] name = String.format("peer-%05d", n).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(name, 0, copy, nameAt, name.length);
    return (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(copy));
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new IllegalArgumentException("the template has no subject peer-00000");
  }
}
