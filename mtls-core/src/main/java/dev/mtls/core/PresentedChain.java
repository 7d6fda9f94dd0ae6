package dev.mtls.core;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/** The certificates a peer presented, as the verifier reads them from a session. */
final class PresentedChain {
  private PresentedChain() {}

  /** The peer's certificates of an established session; none when the peer is not verified. */
  static Certificate[] of(SSLSession session) {
    try {
      return session.getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      return new Certificate[0];
    }
  }

  /** An immutable copy of a peer's chain; empty when a certificate is not X.509 (no usable certificate). */
  static List<X509Certificate> x509(List<? extends Certificate> certificates) {
    List<X509Certificate> chain = new ArrayList<>(certificates.size());
    for (Certificate certificate : certificates) {
      if (!(Objects.requireNonNull(certificate, "certificate in the chain") instanceof X509Certificate x509)) {
        return List.of();
      }
      chain.add(x509);
    }
    return List.copyOf(chain);
  }
}
