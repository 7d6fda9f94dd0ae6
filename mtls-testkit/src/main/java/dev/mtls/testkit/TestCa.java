package dev.mtls.testkit;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.jspecify.annotations.Nullable;

/**
 * An ephemeral, in-memory certificate authority for tests: it issues server, client, expired
 * and revoked certificates and signs CRLs in well under a millisecond each, with nothing
 * checked in and nothing changed JVM-wide.
 *
 * <pre>{@code
 * TestCa ca = TestCa.create();
 * IssuedCertificate server = ca.server("localhost");
 * IssuedCertificate client = ca.client("orders-service");
 * KeyStore trust = ca.trustStore();                 // holds the root
 * PemFiles files = server.writePem(directory);      // cert.pem, key.pem, ca.pem, ...
 * ca.revoke(client);
 * X509CRL crl = ca.crl();                           // lists the client's serial
 * }</pre>
 *
 * <p>A root CA is made by {@link #create()} or {@link #builder()}; {@link
 * #newIntermediate(String)} makes CAs under it, to any depth. Every CA of a hierarchy shares
 * one {@link TestClock}: certificates and CRLs are dated by it. CA certificates carry a
 * critical {@code BasicConstraints(cA=true)}, {@code keyCertSign | cRLSign} key usage and
 * subject and authority key identifiers; they are backdated by 30 days so that backdated and
 * expired leaves still fall inside the CA's validity.
 *
 * <p>Thread-safe: certificates can be issued and revoked from several threads at once.
 */
public final class TestCa {
  private static final AtomicInteger ROOT_NUMBER = new AtomicInteger();
  private static final Duration BACKDATING = Duration.ofDays(30);
  private static final Duration DEFAULT_VALIDITY = Duration.ofDays(3650);

  private final X509Certificate certificate;
  private final @Nullable TestCa parent;
  private final KeyType keyType;
  private final CaExtensions extensions;
  private final KeyPair keyPair;
  private final PrivateKey signingKey;
  private final X500Name name;
  private final byte[] keyIdentifier;
  private final TestClock clock;
  private final List<X509Certificate> chain;
  private final CaRecords records = new CaRecords();

  private TestCa(
      X509Certificate certificate,
      KeyPair bcKeyPair,
      X500Name name,
      byte[] keyIdentifier,
      @Nullable TestCa parent,
      KeyType keyType,
      CaExtensions extensions,
      TestClock clock) {
    this.certificate = certificate;
    this.parent = parent;
    this.keyType = keyType;
    this.extensions = extensions;
    this.keyPair = new KeyPair(certificate.getPublicKey(), Keys.toJdk(bcKeyPair.getPrivate()));
    this.signingKey = bcKeyPair.getPrivate();
    this.name = name;
    this.keyIdentifier = keyIdentifier;
    this.clock = clock;
    List<X509Certificate> certificates = new ArrayList<>();
    certificates.add(certificate);
    if (parent != null) {
      certificates.addAll(parent.chain);
    }
    this.chain = Collections.unmodifiableList(certificates);
  }

  /**
   * Creates a root CA with an EC P-256 key, the common name {@code "mtls Test Root CA <n>"}
   * (n counts the roots made in this JVM), ten years of validity and a fresh {@link TestClock}.
   *
   * @return a new root CA
   */
  public static TestCa create() {
    return builder().build();
  }

  /**
   * Returns a builder for a root CA with other settings than {@link #create()}'s.
   *
   * <pre>{@code
   * TestCa ca = TestCa.builder().commonName("Payments Root").keyType(KeyType.RSA_2048).build();
   * }</pre>
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Rebuilds a root CA from its certificate and private key, such as a CA written to files by
   * an earlier run ({@link #writeCertificatePem} and a key the caller saved), so that it issues
   * and revokes again. The CA keeps no record of what it issued or revoked before: serials are
   * fresh random ones, earlier revocations must be {@linkplain #revoke(BigInteger,
   * RevocationReason, Instant) revoked} again to be listed, and CRL numbers start over unless
   * {@link CrlBuilder#crlNumber(long)} continues them.
   *
   * <pre>{@code
   * TestCa ca = TestCa.of(caCertificate, caKey, new TestClock());
   * IssuedCertificate next = ca.server("orders.internal");
   * }</pre>
   *
   * @param certificate a self-issued CA certificate ({@code BasicConstraints cA=true})
   * @param privateKey its private key (EC P-256 or P-384, RSA 2048 to 4096 bits, or Ed25519)
   * @param clock the clock certificates and CRLs are dated by
   * @return the CA
   * @throws IllegalArgumentException if the certificate is not a self-issued CA certificate,
   *     the key is of an unsupported type, or the key does not belong to the certificate
   */
  public static TestCa of(X509Certificate certificate, PrivateKey privateKey, TestClock clock) {
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(clock, "clock");
    String subject = certificate.getSubjectX500Principal().getName();
    if (certificate.getBasicConstraints() < 0) {
      throw new IllegalArgumentException("not a CA certificate (no BasicConstraints cA=true): " + subject);
    }
    if (!certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
      throw new IllegalArgumentException("not a root certificate (issued by "
          + certificate.getIssuerX500Principal().getName() + "): " + subject);
    }
    KeyType keyType = Keys.typeOf(certificate.getPublicKey());
    PrivateKey bcKey = Keys.toBc(privateKey);
    if (!Signing.belongTogether(bcKey, certificate.getPublicKey())) {
      throw new IllegalArgumentException("the private key does not belong to the CA certificate " + subject);
    }
    SubjectPublicKeyInfo publicKey = SubjectPublicKeyInfo.getInstance(certificate.getPublicKey().getEncoded());
    byte[] ski = certificate.getExtensionValue("2.5.29.14");
    byte[] keyId = ski != null
        ? SubjectKeyIdentifier.getInstance(
            ASN1OctetString.getInstance(ski).getOctets()).getKeyIdentifier()
        : Signing.keyIdentifier(publicKey);
    X500Name name = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
    return new TestCa(certificate, new KeyPair(certificate.getPublicKey(), bcKey), name, keyId, null,
        keyType, CaExtensions.none(), clock);
  }

  /**
   * Creates an intermediate CA under this CA, with an EC P-256 key.
   *
   * @param commonName the intermediate's common name
   * @return the new intermediate CA; it shares this CA's clock
   */
  public TestCa newIntermediate(String commonName) {
    return newIntermediate(commonName, KeyType.EC_P256);
  }

  /**
   * Creates an intermediate CA under this CA. Its validity is this CA's: it never outlives
   * its issuer.
   *
   * @param commonName the intermediate's common name
   * @param keyType the intermediate's key type
   * @return the new intermediate CA; it shares this CA's clock
   */
  public TestCa newIntermediate(String commonName, KeyType keyType) {
    Objects.requireNonNull(keyType, "keyType");
    return newIntermediate(commonName, keyType, CaExtensions.none());
  }

  /**
   * Creates an intermediate CA under this CA, with an EC P-256 key and extensions such as name
   * constraints or an extended key usage that limit what it may issue.
   *
   * <pre>{@code
   * TestCa issuing = root.newIntermediate("Servers CA",
   *     CaExtensions.builder().extendedKeyUsages(CaExtensions.SERVER_AUTH).build());
   * }</pre>
   *
   * @param commonName the intermediate's common name
   * @param extensions what its certificate carries beyond the defaults
   * @return the new intermediate CA; it shares this CA's clock
   */
  public TestCa newIntermediate(String commonName, CaExtensions extensions) {
    Objects.requireNonNull(extensions, "extensions");
    return newIntermediate(commonName, KeyType.EC_P256, extensions);
  }

  private TestCa newIntermediate(String commonName, KeyType keyType, CaExtensions extensions) {
    Objects.requireNonNull(commonName, "commonName");
    return newCa(
        this,
        commonName,
        keyType,
        clock,
        certificate.getNotBefore().toInstant(),
        certificate.getNotAfter().toInstant(),
        extensions);
  }

  /**
   * Makes the same CA with a new key, as a CA does when it re-keys: the same subject name, key
   * type, extensions, validity and clock, a fresh key (and so a new key identifier). A root
   * re-keyed is a new self-signed root; an intermediate re-keyed is issued by this CA's
   * issuer. The two CAs keep separate serials and revocations.
   *
   * <p>The self-issued certificates of a key rollover (RFC 4210, section 4.4) are {@link
   * #crossCertificate(TestCa) crossCertificate}s between the two: {@code
   * old.crossCertificate(renewed).issue()} is "new with old", {@code
   * renewed.crossCertificate(old).issue()} "old with new".
   *
   * <pre>{@code
   * TestCa renewed = ca.rekey();
   * X509Certificate newWithOld = ca.crossCertificate(renewed).issue();
   * IssuedCertificate peer = renewed.client("orders");  // trusted by peers that hold only ca
   * }</pre>
   *
   * @return a new CA with this CA's name and a new key
   */
  public TestCa rekey() {
    return newCa(parent, name, keyType, clock, certificate.getNotBefore().toInstant(),
        certificate.getNotAfter().toInstant(), extensions);
  }

  /**
   * Returns a builder for a certificate in which this CA certifies another CA's name and key:
   * a cross-certificate, as when a new root is cross-signed by an established one, or the
   * self-issued certificate of a key rollover when {@code subject} is this CA {@link #rekey()
   * re-keyed}, or a renewed (or expired) certificate of an intermediate when this CA is its
   * issuer. The certificate is a CA certificate like every {@code TestCa}'s, with {@code
   * subject}'s {@link CaExtensions}; {@code subject}'s own certificate and hierarchy do not
   * change.
   *
   * <pre>{@code
   * TestCa oldRoot = TestCa.create();
   * TestCa newRoot = TestCa.builder().commonName("New Root").build();
   * X509Certificate bridge = oldRoot.crossCertificate(newRoot).issue();
   * IssuedCertificate peer = newRoot.client("orders");
   * List<X509Certificate> chain = List.of(peer.certificate(), bridge);  // valid under oldRoot
   * }</pre>
   *
   * @param subject the CA whose name and key are certified
   * @return a new builder; by default the certificate is valid as long as this CA
   */
  public CrossCertificateBuilder crossCertificate(TestCa subject) {
    return new CrossCertificateBuilder(this, Objects.requireNonNull(subject, "subject"));
  }

  /** Signs a CA certificate for {@code subject}'s name, key and extensions with this CA's key. */
  X509Certificate certify(TestCa subject, Instant notBefore, Instant notAfter) {
    SubjectPublicKeyInfo publicKey = SubjectPublicKeyInfo.getInstance(subject.keyPair.getPublic().getEncoded());
    return CaCertificates.sign(name, keyIdentifier, signingKey, records.newSerial(), subject.name, publicKey,
        notBefore, notAfter, subject.extensions);
  }

  private static TestCa newCa(
      @Nullable TestCa parent,
      String commonName,
      KeyType keyType,
      TestClock clock,
      Instant notBefore,
      Instant notAfter,
      CaExtensions extensions) {
    X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
    return newCa(parent, subject, keyType, clock, notBefore, notAfter, extensions);
  }

  private static TestCa newCa(
      @Nullable TestCa parent,
      X500Name subject,
      KeyType keyType,
      TestClock clock,
      Instant notBefore,
      Instant notAfter,
      CaExtensions extensions) {
    KeyPair bcKeyPair = Keys.generate(keyType);
    SubjectPublicKeyInfo publicKey =
        SubjectPublicKeyInfo.getInstance(bcKeyPair.getPublic().getEncoded());
    byte[] keyId = Signing.keyIdentifier(publicKey);
    X509Certificate certificate =
        parent == null
            ? CaCertificates.sign(
                subject, keyId, bcKeyPair.getPrivate(), Signing.randomSerial(), subject,
                publicKey, notBefore, notAfter, extensions)
            : CaCertificates.sign(
                parent.name, parent.keyIdentifier, parent.signingKey, parent.records.newSerial(),
                subject, publicKey, notBefore, notAfter, extensions);
    return new TestCa(certificate, bcKeyPair, subject, keyId, parent, keyType, extensions, clock);
  }

  /**
   * Returns this CA's own certificate.
   *
   * @return the CA certificate, as parsed by the JDK
   */
  public X509Certificate certificate() {
    return certificate;
  }

  /**
   * Returns this CA's key pair (the JDK's own key objects).
   *
   * @return the CA's public and private key
   */
  public KeyPair keyPair() {
    return keyPair;
  }

  /**
   * Returns this CA's subject name, the issuer name of everything it signs.
   *
   * @return the CA's distinguished name
   */
  public X500Principal subject() {
    return certificate.getSubjectX500Principal();
  }

  /**
   * Returns this CA's certificate followed by its issuers' up to and including the root.
   *
   * @return an unmodifiable list of one certificate for a root, more for an intermediate
   */
  public List<X509Certificate> chain() {
    return chain;
  }

  /**
   * Returns the certificate of the root of this CA's hierarchy (this CA's own, for a root).
   *
   * @return the root certificate: what peers trust
   */
  public X509Certificate rootCertificate() {
    return chain.get(chain.size() - 1);
  }

  /**
   * Returns the clock this CA dates its certificates and CRLs by.
   *
   * @return the clock shared by the whole hierarchy
   */
  public TestClock clock() {
    return clock;
  }

  /**
   * Returns a builder for a leaf certificate issued by this CA. Without further settings it
   * has the subject {@code CN=<commonName>}, no SANs, no extended key usage, a fresh EC P-256
   * key and one day of validity.
   *
   * <pre>{@code
   * IssuedCertificate peer = ca.leaf("spiffe-peer")
   *     .spiffeId("spiffe://example.org/orders")
   *     .clientAuth()
   *     .issue();
   * }</pre>
   *
   * @param commonName the subject's common name
   * @return a new certificate builder
   */
  public CertificateBuilder leaf(String commonName) {
    return new CertificateBuilder(this, Objects.requireNonNull(commonName, "commonName"));
  }

  /**
   * Issues a server certificate: common name {@code dnsName}, DNS subject alternative names for
   * all names given, extended key usage {@code serverAuth}.
   *
   * @param dnsName the first DNS name, also the common name
   * @param moreDnsNames further DNS names
   * @return the issued certificate with its private key
   */
  public IssuedCertificate server(String dnsName, String... moreDnsNames) {
    Objects.requireNonNull(dnsName, "dnsName");
    return leaf(dnsName).dnsNames(dnsName).dnsNames(moreDnsNames).serverAuth().issue();
  }

  /**
   * Issues a client certificate: common name {@code commonName}, extended key usage {@code
   * clientAuth}.
   *
   * @param commonName the client's common name
   * @return the issued certificate with its private key
   */
  public IssuedCertificate client(String commonName) {
    return leaf(commonName).clientAuth().issue();
  }

  /**
   * Revokes a certificate this CA issued, with reason {@link RevocationReason#UNSPECIFIED}, at
   * the clock's current instant. It is listed in every CRL made afterwards.
   *
   * @param certificate a certificate issued by this CA
   * @throws IllegalArgumentException if another CA issued it
   */
  public void revoke(IssuedCertificate certificate) {
    revoke(certificate, RevocationReason.UNSPECIFIED, clock.instant());
  }

  /**
   * Revokes a certificate this CA issued.
   *
   * @param certificate a certificate issued by this CA
   * @param reason why it is revoked
   * @param revokedAt the revocation date written into the CRL entry
   * @throws IllegalArgumentException if another CA issued it
   */
  public void revoke(IssuedCertificate certificate, RevocationReason reason, Instant revokedAt) {
    Objects.requireNonNull(certificate, "certificate");
    if (certificate.issuer() != this) {
      throw new IllegalArgumentException(
          "cannot revoke " + certificate.certificate().getSubjectX500Principal()
              + ": it was issued by " + certificate.issuer().subject() + ", not by this CA ("
              + subject() + ")");
    }
    revoke(certificate.serialNumber(), reason, revokedAt);
  }

  /**
   * Revokes a serial number, whether or not this CA issued it: for CRLs with many entries and
   * for serials of certificates made elsewhere.
   *
   * @param serialNumber a positive serial number
   * @param reason why it is revoked
   * @param revokedAt the revocation date written into the CRL entry
   */
  public void revoke(BigInteger serialNumber, RevocationReason reason, Instant revokedAt) {
    Objects.requireNonNull(serialNumber, "serialNumber");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(revokedAt, "revokedAt");
    if (serialNumber.signum() <= 0) {
      throw new IllegalArgumentException("serialNumber must be positive: " + serialNumber);
    }
    records.revoke(new Revocation(serialNumber, reason, revokedAt));
  }

  /**
   * Signs a CRL listing every serial revoked so far: {@code thisUpdate} is the clock's current
   * instant, {@code nextUpdate} one day later, and the CRL number grows by one with each CRL.
   * It carries the authority key identifier extension (as {@code openssl -crl_check} and
   * chain builders need).
   *
   * @return the CRL, as parsed by the JDK
   */
  public X509CRL crl() {
    return crlBuilder().build();
  }

  /**
   * Returns a builder for a CRL other than {@link #crl()}'s: stale, dated otherwise, with many
   * synthetic entries, or forged with a foreign key.
   *
   * @return a new CRL builder
   */
  public CrlBuilder crlBuilder() {
    return new CrlBuilder(this);
  }

  /**
   * Returns this CA's certificate as PEM.
   *
   * @return one {@code CERTIFICATE} PEM block
   */
  public String certificatePem() {
    return Pem.certificate(certificate);
  }

  /**
   * Returns this CA's private key as unencrypted PKCS#8 PEM ({@code -----BEGIN PRIVATE
   * KEY-----}), to keep the CA for {@link #of(X509Certificate, PrivateKey, TestClock)}.
   *
   * @return the key as PEM
   */
  public String privateKeyPem() {
    return PrivateKeyPem.encode(keyPair, KeyFormat.PKCS8);
  }

  /**
   * Returns this CA's private key as encrypted PKCS#8 PEM, as {@link
   * IssuedCertificate#encryptedPrivateKeyPem(char[])} does for a leaf's key.
   *
   * @param password a non-empty password; the array is not kept
   * @return the encrypted key as PEM
   */
  public String encryptedPrivateKeyPem(char[] password) {
    Objects.requireNonNull(password, "password");
    return PrivateKeyPem.encrypt(keyPair.getPrivate(), password);
  }

  /**
   * Signs a CRL as {@link #crl()} does and returns it as PEM.
   *
   * @return one {@code X509 CRL} PEM block
   */
  public String crlPem() {
    return Pem.crl(crl());
  }

  /**
   * Returns a new in-memory PKCS#12 trust store holding the root certificate (alias {@code
   * root}), ready for {@code TrustManagerFactory.init(KeyStore)}; it needs no password.
   *
   * @return a new key store; changing it does not change this CA
   */
  public KeyStore trustStore() {
    return KeyStores.trustStore(rootCertificate());
  }

  /**
   * Writes this CA's certificate as PEM, creating parent directories as needed.
   *
   * @param file where to write
   * @return {@code file}
   */
  public Path writeCertificatePem(Path file) {
    Objects.requireNonNull(file, "file");
    return FileWriting.writePublic(file, certificatePem(), "CA certificate");
  }

  /**
   * Signs a CRL as {@link #crl()} does and writes it as PEM, creating parent directories as
   * needed.
   *
   * @param file where to write
   * @return {@code file}
   */
  public Path writeCrl(Path file) {
    Objects.requireNonNull(file, "file");
    return FileWriting.writePublic(file, crlPem(), "CRL");
  }

  /**
   * Describes this CA.
   *
   * @return for example {@code TestCa[CN=mtls Test Root CA 1]}
   */
  @Override
  public String toString() {
    return "TestCa[" + subject().getName() + "]";
  }

  X500Name name() {
    return name;
  }

  byte[] keyIdentifier() {
    return keyIdentifier;
  }

  PrivateKey signingKey() {
    return signingKey;
  }

  CaRecords records() {
    return records;
  }

  /** Builds a root {@link TestCa}. Every setting has a default; see {@link TestCa#create()}. */
  public static final class Builder {
    private @Nullable String commonName;
    private KeyType keyType = KeyType.EC_P256;
    private @Nullable TestClock clock;
    private Duration validity = DEFAULT_VALIDITY;
    private boolean expired;
    private CaExtensions extensions = CaExtensions.none();

    private Builder() {}

    /**
     * Sets the root's common name. Default: {@code "mtls Test Root CA <n>"}.
     *
     * @param commonName the common name
     * @return this builder
     */
    public Builder commonName(String commonName) {
      this.commonName = Objects.requireNonNull(commonName, "commonName");
      return this;
    }

    /**
     * Sets the root's key type. Default: {@link KeyType#EC_P256}.
     *
     * @param keyType the key type
     * @return this builder
     */
    public Builder keyType(KeyType keyType) {
      this.keyType = Objects.requireNonNull(keyType, "keyType");
      return this;
    }

    /**
     * Sets the clock of the whole hierarchy. Default: a new {@link TestClock}.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(TestClock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets how long the root is valid from the clock's current instant (its start is backdated
     * by 30 days). Default: 3650 days.
     *
     * @param validity a positive duration
     * @return this builder
     */
    public Builder validity(Duration validity) {
      Objects.requireNonNull(validity, "validity");
      if (validity.isNegative() || validity.isZero()) {
        throw new IllegalArgumentException("validity must be positive: " + validity);
      }
      this.validity = validity;
      return this;
    }

    /**
     * Makes a root that expired a day before the clock's current instant (valid from 30 days
     * before it), overriding {@link #validity(Duration)}: a trust anchor that must no longer
     * validate anything.
     *
     * @return this builder
     */
    public Builder expired() {
      this.expired = true;
      return this;
    }

    /**
     * Sets what the root's certificate carries beyond the defaults: name constraints, an
     * extended key usage, an unknown critical extension. Default: {@link CaExtensions#none()}.
     *
     * @param extensions the extensions
     * @return this builder
     */
    public Builder extensions(CaExtensions extensions) {
      this.extensions = Objects.requireNonNull(extensions, "extensions");
      return this;
    }

    /**
     * Makes the root CA.
     *
     * @return a new root CA
     */
    public TestCa build() {
      TestClock caClock = clock != null ? clock : new TestClock();
      String cn = commonName != null ? commonName : "mtls Test Root CA " + ROOT_NUMBER.incrementAndGet();
      Instant now = caClock.instant();
      Instant notAfter = expired ? now.minus(Duration.ofDays(1)) : now.plus(validity);
      return newCa(null, cn, keyType, caClock, now.minus(BACKDATING), notAfter, extensions);
    }
  }
}
