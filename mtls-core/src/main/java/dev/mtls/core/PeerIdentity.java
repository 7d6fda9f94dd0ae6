package dev.mtls.core;

import dev.mtls.core.internal.validation.DistinguishedNames;

import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.jspecify.annotations.Nullable;

/**
 * Who a peer is, parsed once from its certificate: common name, subject alternative names,
 * SPIFFE ID, subject, issuer, serial, validity, extended key usages and SHA-256 fingerprint.
 *
 * <p>An immutable value: everything is read when {@link #of(List)} is called, so the getters
 * cost nothing and never throw. Two identities are equal when their certificates are the same
 * (same SHA-256 fingerprint), whatever chain came with them.
 *
 * <pre>{@code
 * PeerIdentity peer = PeerIdentity.of(List.of(leaf, intermediate, root));
 * peer.spiffeId().map(SpiffeId::trustDomain); // Optional[prod.example]
 * peer.describe(); // CN=orders (spiffe://prod.example/ns/a/sa/b), serial 1a2b3c, issuer CN=Prod CA
 * }</pre>
 *
 * <p>Names are read from the DER encoding, attribute by attribute, never by taking a DN string
 * apart: an {@code OU} whose value is {@code CN=admin} is not a CN, and two CN attributes make
 * {@link #commonName()} empty rather than picking one. Values are compared as they are encoded:
 * no case folding, trimming or Unicode normalisation.
 */
public final class PeerIdentity {
  /** {@code anyExtendedKeyUsage} (RFC 5280, 4.2.1.12). */
  static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";

  private static final String SPIFFE_SCHEME = "spiffe";
  private static final HexFormat HEX = HexFormat.of();

  private final List<X509Certificate> chain;
  private final List<String> commonNames;
  private final SubjectAltNames altNames;
  private final List<URI> uris;
  private final @Nullable SpiffeId spiffeId;
  private final List<String> extendedKeyUsages;
  private final String fingerprint;
  // Only rejections and logs need it, and rendering DNs costs more than parsing the rest:
  // computed on first use. A benign race: every thread computes the same immutable String.
  private @Nullable String description;

  private PeerIdentity(
      List<X509Certificate> chain,
      List<String> commonNames,
      SubjectAltNames altNames,
      List<URI> uris,
      @Nullable SpiffeId spiffeId,
      List<String> extendedKeyUsages,
      String fingerprint) {
    this.chain = chain;
    this.commonNames = commonNames;
    this.altNames = altNames;
    this.uris = uris;
    this.spiffeId = spiffeId;
    this.extendedKeyUsages = extendedKeyUsages;
    this.fingerprint = fingerprint;
  }

  /**
   * Parses the identity of the first certificate of a chain.
   *
   * @param chain the leaf first; the verifier passes the validated path: leaf, intermediates,
   *     and the trust anchor's certificate last
   * @return the identity
   * @throws IllegalArgumentException when the chain is empty or the leaf cannot be parsed (a
   *     malformed name, subject alternative name or extended key usage extension, a URI SAN
   *     that is not a URI); the message names the problem
   * @throws NullPointerException when the chain or one of its elements is null
   */
  public static PeerIdentity of(List<X509Certificate> chain) {
    Objects.requireNonNull(chain, "chain");
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("the peer's certificate chain is empty");
    }
    for (int i = 0; i < chain.size(); i++) {
      Objects.requireNonNull(chain.get(i), "chain[" + i + "]");
    }
    List<X509Certificate> copy = List.copyOf(chain);
    X509Certificate leaf = copy.get(0);
    try {
      List<String> commonNames =
          List.copyOf(DistinguishedNames.commonNames(leaf.getSubjectX500Principal()));
      SubjectAltNames altNames = SubjectAltNames.of(leaf);
      List<URI> uris = parseUris(altNames.uris());
      return new PeerIdentity(
          copy,
          commonNames,
          altNames,
          uris,
          spiffeIdOf(altNames.uris()),
          extendedKeyUsagesOf(leaf),
          sha256(leaf));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "cannot read the peer's certificate (serial "
              + leaf.getSerialNumber().toString(16)
              + ", subject "
              + SafeText.quote(leaf.getSubjectX500Principal().getName())
              + "): "
              + e.getMessage(),
          e);
    }
  }

  /**
   * The peer's own certificate.
   *
   * @return the first certificate of the chain
   */
  public X509Certificate certificate() {
    return chain.get(0);
  }

  /**
   * The chain as given to {@link #of(List)}: for a verified peer, the validated path from the
   * leaf to the trust anchor's certificate.
   *
   * @return the chain, leaf first, unmodifiable
   */
  public List<X509Certificate> chain() {
    return chain;
  }

  /**
   * The common name, when the subject has exactly one.
   *
   * @return the single CN of the subject; empty when there is none or more than one (a
   *     certificate with two CNs names no one in particular)
   */
  public Optional<String> commonName() {
    return commonNames.size() == 1 ? Optional.of(commonNames.get(0)) : Optional.empty();
  }

  /**
   * Every common name of the subject, for messages and diagnostics.
   *
   * @return the CN values in encoding order, including those of multi-valued RDNs
   */
  public List<String> commonNames() {
    return commonNames;
  }

  /**
   * The DNS subject alternative names, as encoded (no case folding).
   *
   * @return the {@code dNSName} entries, possibly empty
   */
  public List<String> dnsNames() {
    return altNames.dnsNames();
  }

  /**
   * The IP address subject alternative names, as text.
   *
   * @return IPv4 addresses dotted ({@code 192.0.2.7}), IPv6 in RFC 5952 form
   *     ({@code 2001:db8::7})
   */
  public List<String> ipAddresses() {
    return altNames.ipAddresses();
  }

  /**
   * The URI subject alternative names, SPIFFE IDs included.
   *
   * @return the {@code uniformResourceIdentifier} entries, possibly empty
   */
  public List<URI> uris() {
    return uris;
  }

  /**
   * The email subject alternative names.
   *
   * @return the {@code rfc822Name} entries, possibly empty
   */
  public List<String> emails() {
    return altNames.emails();
  }

  /**
   * The SPIFFE ID: the URI SAN with scheme {@code spiffe}, when there is exactly one and it is a
   * valid SPIFFE ID. An X509-SVID carries exactly one, so several make this empty.
   *
   * @return the SPIFFE ID, or empty
   */
  public Optional<SpiffeId> spiffeId() {
    return Optional.ofNullable(spiffeId);
  }

  /**
   * The subject DN.
   *
   * @return the leaf's subject
   */
  public X500Principal subject() {
    return certificate().getSubjectX500Principal();
  }

  /**
   * The issuer DN of the leaf.
   *
   * @return the leaf's issuer
   */
  public X500Principal issuer() {
    return certificate().getIssuerX500Principal();
  }

  /**
   * The serial number of the leaf.
   *
   * @return the serial number
   */
  public BigInteger serialNumber() {
    return certificate().getSerialNumber();
  }

  /**
   * The start of the leaf's validity.
   *
   * @return notBefore
   */
  public Instant notBefore() {
    return certificate().getNotBefore().toInstant();
  }

  /**
   * The end of the leaf's validity.
   *
   * @return notAfter
   */
  public Instant notAfter() {
    return certificate().getNotAfter().toInstant();
  }

  /**
   * The SHA-256 fingerprint of the leaf, as {@code openssl x509 -fingerprint -sha256} prints it
   * but in lower case without colons.
   *
   * @return 64 lower-case hex digits of the SHA-256 of the DER certificate
   */
  public String sha256Fingerprint() {
    return fingerprint;
  }

  /**
   * The extended key usages of the leaf (RFC 5280, 4.2.1.12).
   *
   * @return the purpose OIDs, such as {@code 1.3.6.1.5.5.7.3.2} for clientAuth; empty when the
   *     certificate has no extended key usage extension
   */
  public List<String> extendedKeyUsages() {
    return extendedKeyUsages;
  }

  /**
   * One line naming the peer, for rejection details and logs, such as
   * {@code CN=orders (spiffe://prod.example/ns/a/sa/b), serial 1a2b3c, issuer CN=Prod CA}.
   * Control characters from the certificate are escaped and long names cut.
   *
   * @return the description
   */
  public String describe() {
    String text = description;
    if (text == null) {
      text = describe(chain.get(0), commonNames, spiffeId, altNames);
      description = text;
    }
    return text;
  }

  /**
   * Whether the other identity is of the same certificate.
   *
   * @param other any object
   * @return {@code true} for a {@code PeerIdentity} with the same SHA-256 fingerprint
   */
  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof PeerIdentity that && fingerprint.equals(that.fingerprint);
  }

  @Override
  public int hashCode() {
    return fingerprint.hashCode();
  }

  /**
   * A short form for debugging.
   *
   * @return {@code PeerIdentity[}{@link #describe()}{@code ]}
   */
  @Override
  public String toString() {
    return "PeerIdentity[" + describe() + "]";
  }

  private static List<URI> parseUris(List<String> texts) {
    List<URI> uris = new ArrayList<>(texts.size());
    for (String text : texts) {
      try {
        uris.add(new URI(text));
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException(
            "the URI subject alternative name " + SafeText.quote(text) + " is not a URI: "
                + e.getReason(),
            e);
      }
    }
    return List.copyOf(uris);
  }

  private static @Nullable SpiffeId spiffeIdOf(List<String> uris) {
    SpiffeId found = null;
    int spiffeUris = 0;
    for (String uri : uris) {
      if (uri.regionMatches(true, 0, SPIFFE_SCHEME + ":", 0, SPIFFE_SCHEME.length() + 1)) {
        spiffeUris++;
        try {
          found = SpiffeId.parse(uri);
        } catch (IllegalArgumentException e) {
          // A malformed SPIFFE ID is no SPIFFE ID; the URI itself stays in uris().
          found = null;
        }
      }
    }
    return spiffeUris == 1 ? found : null;
  }

  private static List<String> extendedKeyUsagesOf(X509Certificate certificate) {
    try {
      List<String> usages = certificate.getExtendedKeyUsage();
      return usages == null ? List.of() : List.copyOf(usages);
    } catch (CertificateParsingException e) {
      throw new IllegalArgumentException(
          "the extended key usage extension is malformed: " + e.getMessage(), e);
    }
  }

  private static String sha256(X509Certificate certificate) {
    try {
      return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    } catch (CertificateEncodingException e) {
      throw new IllegalArgumentException("the certificate cannot be encoded: " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  private static String describe(
      X509Certificate leaf,
      List<String> commonNames,
      @Nullable SpiffeId spiffeId,
      SubjectAltNames altNames) {
    StringBuilder text = new StringBuilder(96);
    if (commonNames.size() == 1) {
      text.append("CN=").append(SafeText.printable(commonNames.get(0)));
    } else {
      String subject = leaf.getSubjectX500Principal().getName();
      text.append(subject.isEmpty() ? "(empty subject)" : SafeText.printable(subject));
    }
    if (spiffeId != null) {
      text.append(" (").append(spiffeId).append(')');
    } else if (!altNames.dnsNames().isEmpty()) {
      text.append(" (DNS ").append(SafeText.printable(altNames.dnsNames().get(0)));
      if (altNames.dnsNames().size() > 1) {
        text.append(" and ").append(altNames.dnsNames().size() - 1).append(" more");
      }
      text.append(')');
    }
    text.append(", serial ").append(leaf.getSerialNumber().toString(16));
    text.append(", issuer ").append(SafeText.printable(leaf.getIssuerX500Principal().getName()));
    return text.toString();
  }
}
