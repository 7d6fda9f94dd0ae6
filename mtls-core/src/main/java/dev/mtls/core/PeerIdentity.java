package dev.mtls.core;

import java.math.BigInteger;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;

/**
 * Who a peer is, parsed once from its certificate: common name, subject alternative names,
 * SPIFFE ID, subject, issuer, serial, validity and SHA-256 fingerprint. An immutable value.
 * (SKELETON: implemented by the peer-model work.)
 */
public final class PeerIdentity {
  private PeerIdentity() {}

  /**
   * Parses the identity of the first certificate of a chain.
   *
   * @param chain leaf first; must not be empty
   * @return the identity
   * @throws IllegalArgumentException when the certificate cannot be parsed
   */
  public static PeerIdentity of(List<X509Certificate> chain) {
    throw new UnsupportedOperationException("skeleton");
  }

  /** @return the leaf certificate */
  public X509Certificate certificate() { throw new UnsupportedOperationException("skeleton"); }
  /** @return the chain, leaf first */
  public List<X509Certificate> chain() { throw new UnsupportedOperationException("skeleton"); }
  /** @return the single CN of the subject; empty when there is none or more than one */
  public Optional<String> commonName() { throw new UnsupportedOperationException("skeleton"); }
  /** @return DNS SANs */
  public List<String> dnsNames() { throw new UnsupportedOperationException("skeleton"); }
  /** @return IP SANs as text */
  public List<String> ipAddresses() { throw new UnsupportedOperationException("skeleton"); }
  /** @return URI SANs */
  public List<URI> uris() { throw new UnsupportedOperationException("skeleton"); }
  /** @return email SANs */
  public List<String> emails() { throw new UnsupportedOperationException("skeleton"); }
  /** @return the SPIFFE ID */
  public Optional<SpiffeId> spiffeId() { throw new UnsupportedOperationException("skeleton"); }
  /** @return the subject */
  public X500Principal subject() { throw new UnsupportedOperationException("skeleton"); }
  /** @return the issuer */
  public X500Principal issuer() { throw new UnsupportedOperationException("skeleton"); }
  /** @return the serial */
  public BigInteger serialNumber() { throw new UnsupportedOperationException("skeleton"); }
  /** @return notBefore */
  public Instant notBefore() { throw new UnsupportedOperationException("skeleton"); }
  /** @return notAfter */
  public Instant notAfter() { throw new UnsupportedOperationException("skeleton"); }
  /** @return lower-case hex SHA-256 of the DER certificate */
  public String sha256Fingerprint() { throw new UnsupportedOperationException("skeleton"); }
  /** @return one line naming the peer */
  public String describe() { throw new UnsupportedOperationException("skeleton"); }
  /** @return EKU OIDs, empty when the certificate has no EKU extension */
  public List<String> extendedKeyUsages() { throw new UnsupportedOperationException("skeleton"); }
}
