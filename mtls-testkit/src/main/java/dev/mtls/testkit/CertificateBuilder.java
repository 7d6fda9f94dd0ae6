package dev.mtls.testkit;

import java.io.IOException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.jspecify.annotations.Nullable;

/**
 * Builds a leaf certificate issued by a {@link TestCa}; made by {@link TestCa#leaf(String)}.
 * Every setter returns this builder; {@link #issue()} makes the certificate and its key.
 *
 * <pre>{@code
 * IssuedCertificate both = ca.leaf("gateway")
 *     .dnsNames("gateway.internal")
 *     .ipAddresses("127.0.0.1")
 *     .serverAuth()
 *     .clientAuth()
 *     .validFor(Duration.ofHours(1))
 *     .issue();
 * }</pre>
 *
 * <p>Defaults: subject {@code CN=<commonName>}; no subject alternative names; no extended key
 * usage; key usage {@code digitalSignature} (plus {@code keyEncipherment} for RSA keys); a fresh
 * EC P-256 key; valid from one minute before the CA clock's instant for one day. Every leaf
 * carries {@code BasicConstraints(cA=false)} (unless {@link #certificateAuthority()}) and subject
 * and authority key identifiers.
 *
 * <p>Nothing is checked for plausibility beyond what X.509 encoding needs: tests can make odd
 * certificates (several CNs, escaped DN values, a SAN without a CN) on purpose.
 */
public final class CertificateBuilder {
  private static final Duration BACKDATING = Duration.ofMinutes(1);

  private final TestCa ca;
  private final String commonName;
  private @Nullable X500Name subject;
  private @Nullable String organization;
  private @Nullable String organizationalUnit;
  private @Nullable String country;
  private final List<GeneralName> subjectAlternativeNames = new ArrayList<>();
  private final Set<String> extendedKeyUsages = new LinkedHashSet<>();
  private @Nullable Set<KeyUsage> keyUsages;
  private boolean keyUsageExtension = true;
  private KeyType keyType = KeyType.EC_P256;
  private @Nullable KeyPair keyPair;
  private Duration validity = Duration.ofDays(1);
  private @Nullable Instant notBefore;
  private @Nullable Instant notAfter;
  private final List<DistributionPoint> crlDistributionPoints = new ArrayList<>();
  private @Nullable BigInteger serialNumber;
  private boolean certificateAuthority;
  private final Map<String, CaExtensions.RawExtension> rawExtensions = new LinkedHashMap<>();
  private final Set<String> omittedExtensions = new LinkedHashSet<>();

  CertificateBuilder(TestCa ca, String commonName) {
    this.ca = ca;
    this.commonName = commonName;
  }

  /**
   * Sets the whole subject from an RFC 2253 string, overriding the common name, organization,
   * unit and country. Any attributes go, in any number: {@code "CN=a,CN=b"} and {@code
   * "CN=a,OU=CN\\=admin"} are both fine, which is what tests of DN parsing need. An empty
   * string makes an empty subject (the SAN extension then becomes critical, as RFC 5280 asks).
   *
   * @param rfc2253Name the distinguished name, most specific attribute first
   * @return this builder
   * @throws IllegalArgumentException if {@code rfc2253Name} is not a distinguished name
   */
  public CertificateBuilder subject(String rfc2253Name) {
    Objects.requireNonNull(rfc2253Name, "rfc2253Name");
    X500Principal principal;
    try {
      principal = new X500Principal(rfc2253Name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "not an RFC 2253 distinguished name: \"" + rfc2253Name + "\": " + e.getMessage(), e);
    }
    this.subject = X500Name.getInstance(principal.getEncoded());
    return this;
  }

  /**
   * Adds an organization ({@code O}) attribute to the subject.
   *
   * @param organization the organization
   * @return this builder
   */
  public CertificateBuilder organization(String organization) {
    this.organization = Objects.requireNonNull(organization, "organization");
    return this;
  }

  /**
   * Adds an organizational unit ({@code OU}) attribute to the subject.
   *
   * @param organizationalUnit the unit
   * @return this builder
   */
  public CertificateBuilder organizationalUnit(String organizationalUnit) {
    this.organizationalUnit = Objects.requireNonNull(organizationalUnit, "organizationalUnit");
    return this;
  }

  /**
   * Adds a country ({@code C}) attribute to the subject.
   *
   * @param country a two-letter country code
   * @return this builder
   */
  public CertificateBuilder country(String country) {
    this.country = Objects.requireNonNull(country, "country");
    return this;
  }

  /**
   * Adds DNS names (wildcards such as {@code *.example.org} included) to the subject alternative
   * names.
   *
   * @param dnsNames the names
   * @return this builder
   */
  public CertificateBuilder dnsNames(String... dnsNames) {
    return addNames(GeneralName.dNSName, "dnsNames", dnsNames);
  }

  /**
   * Adds IPv4 or IPv6 addresses to the subject alternative names.
   *
   * @param ipAddresses addresses in text form, such as {@code 127.0.0.1} or {@code ::1}
   * @return this builder
   * @throws IllegalArgumentException if one is not an IP address
   */
  public CertificateBuilder ipAddresses(String... ipAddresses) {
    return addNames(GeneralName.iPAddress, "ipAddresses", ipAddresses);
  }

  /**
   * Adds URIs to the subject alternative names.
   *
   * @param uris the URIs, unchecked beyond being ASCII
   * @return this builder
   */
  public CertificateBuilder uris(String... uris) {
    return addNames(GeneralName.uniformResourceIdentifier, "uris", uris);
  }

  /**
   * Adds a SPIFFE ID, a URI subject alternative name such as {@code
   * spiffe://example.org/ns/prod/sa/orders}. Use {@link #uris(String...)} for malformed ones.
   *
   * @param spiffeId the SPIFFE ID
   * @return this builder
   * @throws IllegalArgumentException if it does not start with {@code spiffe://}
   */
  public CertificateBuilder spiffeId(String spiffeId) {
    Objects.requireNonNull(spiffeId, "spiffeId");
    if (!spiffeId.startsWith("spiffe://")) {
      throw new IllegalArgumentException(
          "not a SPIFFE ID (must start with spiffe://): " + spiffeId);
    }
    return uris(spiffeId);
  }

  /**
   * Adds e-mail addresses ({@code rfc822Name}) to the subject alternative names.
   *
   * @param emails the addresses
   * @return this builder
   */
  public CertificateBuilder emails(String... emails) {
    return addNames(GeneralName.rfc822Name, "emails", emails);
  }

  private CertificateBuilder addNames(int tag, String what, String[] names) {
    Objects.requireNonNull(names, what);
    for (String name : names) {
      Objects.requireNonNull(name, what + " element");
      try {
        subjectAlternativeNames.add(new GeneralName(tag, name));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "invalid value in " + what + ": \"" + name + "\": " + e.getMessage(), e);
      }
    }
    return this;
  }

  /**
   * Adds the extended key usage {@code serverAuth} (1.3.6.1.5.5.7.3.1).
   *
   * @return this builder
   */
  public CertificateBuilder serverAuth() {
    return extendedKeyUsages(KeyPurposeId.id_kp_serverAuth.getId());
  }

  /**
   * Adds the extended key usage {@code clientAuth} (1.3.6.1.5.5.7.3.2).
   *
   * @return this builder
   */
  public CertificateBuilder clientAuth() {
    return extendedKeyUsages(KeyPurposeId.id_kp_clientAuth.getId());
  }

  /**
   * Adds extended key usages by OID; calls combine.
   *
   * @param oids dotted OIDs, such as {@code 1.3.6.1.5.5.7.3.4} (e-mail protection)
   * @return this builder
   * @throws IllegalArgumentException if one is not an OID
   */
  public CertificateBuilder extendedKeyUsages(String... oids) {
    Objects.requireNonNull(oids, "oids");
    for (String oid : oids) {
      Objects.requireNonNull(oid, "oids element");
      if (ASN1ObjectIdentifier.tryFromID(oid) == null) {
        throw new IllegalArgumentException("not an OID in extendedKeyUsages: \"" + oid + "\"");
      }
      extendedKeyUsages.add(oid);
    }
    return this;
  }

  /**
   * Removes every extended key usage added so far: the certificate has no such extension (the
   * default).
   *
   * @return this builder
   */
  public CertificateBuilder noExtendedKeyUsage() {
    extendedKeyUsages.clear();
    return this;
  }

  /**
   * Sets the key usage bits, replacing the default.
   *
   * @param first a key usage
   * @param more further key usages
   * @return this builder
   */
  public CertificateBuilder keyUsage(KeyUsage first, KeyUsage... more) {
    Objects.requireNonNull(first, "first");
    Objects.requireNonNull(more, "more");
    Set<KeyUsage> usages = EnumSet.of(first);
    for (KeyUsage usage : more) {
      usages.add(Objects.requireNonNull(usage, "more element"));
    }
    this.keyUsages = usages;
    this.keyUsageExtension = true;
    return this;
  }

  /**
   * Leaves the key usage extension out of the certificate.
   *
   * @return this builder
   */
  public CertificateBuilder noKeyUsage() {
    this.keyUsages = null;
    this.keyUsageExtension = false;
    return this;
  }

  /**
   * Sets the type of the fresh key made for the certificate. Default: {@link KeyType#EC_P256}.
   *
   * @param keyType the key type
   * @return this builder
   */
  public CertificateBuilder keyType(KeyType keyType) {
    this.keyType = Objects.requireNonNull(keyType, "keyType");
    return this;
  }

  /**
   * Certifies an existing key pair instead of making one: RSA keys take 100 ms and more to
   * make, so tests that only need "some RSA key" share one. Overrides {@link #keyType}.
   *
   * @param keyPair an EC, RSA or Ed25519 key pair
   * @return this builder
   */
  public CertificateBuilder keyPair(KeyPair keyPair) {
    Objects.requireNonNull(keyPair, "keyPair");
    Keys.jdkAlgorithm(keyPair.getPublic());
    this.keyPair = keyPair;
    return this;
  }

  /**
   * Makes the certificate valid from one minute before the CA clock's instant (a little
   * backdating absorbs clock skew) for {@code validity} after that instant. Default: one day.
   * Clears {@link #notBefore} and {@link #notAfter}.
   *
   * @param validity a positive duration
   * @return this builder
   */
  public CertificateBuilder validFor(Duration validity) {
    Objects.requireNonNull(validity, "validity");
    if (validity.isNegative() || validity.isZero()) {
      throw new IllegalArgumentException("validity must be positive: " + validity);
    }
    this.validity = validity;
    this.notBefore = null;
    this.notAfter = null;
    return this;
  }

  /**
   * Sets the start of validity explicitly.
   *
   * @param notBefore the first instant the certificate is valid
   * @return this builder
   */
  public CertificateBuilder notBefore(Instant notBefore) {
    this.notBefore = Objects.requireNonNull(notBefore, "notBefore");
    return this;
  }

  /**
   * Sets the end of validity explicitly.
   *
   * @param notAfter the last instant the certificate is valid
   * @return this builder
   */
  public CertificateBuilder notAfter(Instant notAfter) {
    this.notAfter = Objects.requireNonNull(notAfter, "notAfter");
    return this;
  }

  /**
   * Makes a certificate that expired a day ago: valid from two days to one day before the CA
   * clock's instant.
   *
   * @return this builder
   */
  public CertificateBuilder expired() {
    Instant now = ca.clock().instant();
    this.notBefore = now.minus(Duration.ofDays(2));
    this.notAfter = now.minus(Duration.ofDays(1));
    return this;
  }

  /**
   * Makes a certificate that is not valid yet: valid from one to two days after the CA clock's
   * instant.
   *
   * @return this builder
   */
  public CertificateBuilder notYetValid() {
    Instant now = ca.clock().instant();
    this.notBefore = now.plus(Duration.ofDays(1));
    this.notAfter = now.plus(Duration.ofDays(2));
    return this;
  }

  /**
   * Adds a CRL distribution point with this URL; calls combine.
   *
   * @param url where the CRL can be fetched, for example {@code http://127.0.0.1:8080/ca.crl}
   * @return this builder
   */
  public CertificateBuilder crlDistributionPoint(String url) {
    crlDistributionPoints.add(new DistributionPoint(
        DistributionPointNames.uri(Objects.requireNonNull(url, "url")), null, null));
    return this;
  }

  /**
   * Adds a CRL distribution point whose CRL another CA issues: the point names {@code
   * crlIssuer} as its {@code cRLIssuer}, so that an indirect CRL of that CA covers this
   * certificate ({@link CrlBuilder#indirect()}, RFC 5280, section 4.2.1.13); calls combine.
   *
   * <pre>{@code
   * IssuedCertificate client = ca.leaf("client").crlDistributionPoint("http://crl.example/all.crl", crlCa).issue();
   * X509CRL crl = crlCa.crlBuilder().indirect().revoke(client, RevocationReason.KEY_COMPROMISE).build();
   * }</pre>
   *
   * @param url where the CRL can be fetched
   * @param crlIssuer the CA that issues the CRL
   * @return this builder
   */
  public CertificateBuilder crlDistributionPoint(String url, TestCa crlIssuer) {
    Objects.requireNonNull(crlIssuer, "crlIssuer");
    crlDistributionPoints.add(new DistributionPoint(
        DistributionPointNames.uri(Objects.requireNonNull(url, "url")), null,
        new GeneralNames(new GeneralName(crlIssuer.name()))));
    return this;
  }

  /**
   * Adds a CRL distribution point named relative to the issuer: {@code CN=Partition 2} stands
   * for the issuer's name with that RDN appended, and matches a CRL whose issuing distribution
   * point says the same ({@link CrlBuilder#distributionPointRelativeToIssuer(String)}); calls
   * combine.
   *
   * @param relativeName one relative distinguished name, such as {@code CN=Partition 2}
   * @return this builder
   * @throws IllegalArgumentException if {@code relativeName} is not one RDN
   */
  public CertificateBuilder crlDistributionPointRelativeToIssuer(String relativeName) {
    crlDistributionPoints.add(new DistributionPoint(
        DistributionPointNames.relative(Objects.requireNonNull(relativeName, "relativeName")),
        null, null));
    return this;
  }

  /**
   * Sets the serial number, unchecked: zero, negative and over-long serials (RFC 5280, 4.1.2.2
   * asks for a positive one of at most 20 octets) can be made on purpose. Default: a fresh
   * random 65-bit serial, unique within the CA.
   *
   * @param serialNumber the serial
   * @return this builder
   */
  public CertificateBuilder serialNumber(BigInteger serialNumber) {
    this.serialNumber = Objects.requireNonNull(serialNumber, "serialNumber");
    return this;
  }

  /**
   * Adds an extension as its DER-encoded value, replacing a default or a setting with the same
   * OID: name constraints in an end-entity certificate, a malformed authority information
   * access, an authority key identifier that names another key.
   *
   * @param oid the extension's dotted OID
   * @param critical whether it is marked critical
   * @param derValue the DER encoding of the extension's value (not of the OCTET STRING around it)
   * @return this builder
   * @throws IllegalArgumentException if {@code oid} is not an OID
   */
  public CertificateBuilder extension(String oid, boolean critical, byte[] derValue) {
    CaExtensions.RawExtension extension = CaExtensions.RawExtension.of(oid, critical, derValue, "extension");
    rawExtensions.put(extension.oid(), extension);
    return this;
  }

  /**
   * Leaves an extension out, a default included (such as the authority key identifier,
   * 2.5.29.35).
   *
   * @param oid the extension's dotted OID
   * @return this builder
   * @throws IllegalArgumentException if {@code oid} is not an OID
   */
  public CertificateBuilder omitExtension(String oid) {
    Objects.requireNonNull(oid, "oid");
    if (ASN1ObjectIdentifier.tryFromID(oid) == null) {
      throw new IllegalArgumentException("not an OID in omitExtension: \"" + oid + "\"");
    }
    omittedExtensions.add(oid);
    return this;
  }

  /**
   * Marks the certificate as a CA's ({@code BasicConstraints(cA=true)}, critical) while it stays
   * this builder's end-entity certificate in every other way: for tests of peers that present a
   * CA certificate as their own, which RFC 5280 allows. Key usage is still this builder's
   * (by default {@code digitalSignature}, so the key can sign a handshake); add {@link
   * KeyUsage#KEY_CERT_SIGN} with {@link #keyUsage} for a certificate that could also issue.
   *
   * @return this builder
   */
  public CertificateBuilder certificateAuthority() {
    this.certificateAuthority = true;
    return this;
  }

  /**
   * Makes the key (unless one was given), signs the certificate with the CA's key and returns
   * both.
   *
   * @return the certificate, its private key and its chain
   * @throws IllegalArgumentException if the validity ends before it starts
   */
  public IssuedCertificate issue() {
    KeyPair keys = keyPair != null ? keyPair : Keys.generate(keyType);
    X509Certificate certificate = sign(keys.getPublic());
    KeyPair jdkKeys = new KeyPair(certificate.getPublicKey(), Keys.toJdk(keys.getPrivate()));
    return new IssuedCertificate(certificate, jdkKeys, ca);
  }

  /**
   * Signs the certificate for a public key whose private key is elsewhere, as a CA does when it
   * signs a certificate signing request: the key given here overrides {@link #keyType} and
   * {@link #keyPair}. Checking the request (its signature, what it asks for) is the caller's
   * job.
   *
   * <pre>{@code
   * X509Certificate signed = ca.leaf("orders").clientAuth().validFor(Duration.ofDays(90))
   *     .issueFor(csrPublicKey);
   * }</pre>
   *
   * @param publicKey an EC, RSA or Ed25519 public key
   * @return the certificate, as parsed by the JDK
   * @throws IllegalArgumentException if the validity ends before it starts, or the key is of
   *     another type
   */
  public X509Certificate issueFor(PublicKey publicKey) {
    Objects.requireNonNull(publicKey, "publicKey");
    Keys.jdkAlgorithm(publicKey);
    return sign(publicKey);
  }

  private X509Certificate sign(PublicKey certifiedKey) {
    Instant now = ca.clock().instant();
    Instant start = notBefore != null ? notBefore : now.minus(BACKDATING);
    Instant end = notAfter != null ? notAfter : now.plus(validity);
    if (!end.isAfter(start)) {
      throw new IllegalArgumentException(
          "notAfter " + end + " is not after notBefore " + start + " for " + commonName);
    }
    SubjectPublicKeyInfo publicKey = SubjectPublicKeyInfo.getInstance(certifiedKey.getEncoded());
    X500Name subjectName = subject != null ? subject : defaultSubject();
    X509v3CertificateBuilder builder =
        new X509v3CertificateBuilder(
            ca.name(), serialNumber != null ? serialNumber : ca.records().newSerial(), Signing.date(start), Signing.date(end), subjectName,
            publicKey);
    int keyUsageBits = keyUsageExtension ? keyUsageBits(certifiedKey) : -1;
    try {
      LeafExtensions.add(
          builder, keyUsageBits, extendedKeyUsages, subjectAlternativeNames, publicKey,
          ca.keyIdentifier(), crlDistributionPoints, subjectName.getRDNs().length == 0, certificateAuthority);
      CaExtensions.applyRaw(builder, rawExtensions, omittedExtensions);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode extensions of " + subjectName + ": " + e, e);
    }
    return Signing.sign(builder, ca.signingKey(), subjectName.toString());
  }

  private int keyUsageBits(PublicKey key) {
    int bits = 0;
    if (keyUsages != null) {
      for (KeyUsage usage : keyUsages) {
        bits |= usage.bit();
      }
    } else {
      bits = KeyUsage.DIGITAL_SIGNATURE.bit();
      if (Keys.isRsa(key)) {
        bits |= KeyUsage.KEY_ENCIPHERMENT.bit();
      }
    }
    return bits;
  }

  private X500Name defaultSubject() {
    // Most significant attribute first in the encoding: C, O, OU, CN.
    X500NameBuilder name = new X500NameBuilder(BCStyle.INSTANCE);
    if (country != null) {
      name.addRDN(BCStyle.C, country);
    }
    if (organization != null) {
      name.addRDN(BCStyle.O, organization);
    }
    if (organizationalUnit != null) {
      name.addRDN(BCStyle.OU, organizationalUnit);
    }
    return name.addRDN(BCStyle.CN, commonName).build();
  }
}
