package dev.mtls.core.internal.validation;

import dev.mtls.core.internal.BouncyCastle;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import java.security.Principal;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SignatureException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.jspecify.annotations.Nullable;

/**
 * One certificate as the path builder and the PKIX validator see it: the object the peer or
 * the trust material handed over, read once for what path building asks (names, key
 * identifiers, validity, key), with its key in Bouncy Castle's form and the issuer key its
 * signature was verified with.
 *
 * <p>Every {@code X509Certificate} method answers as the wrapped certificate does, except
 * {@code verify}: a signature verified once with a key is not verified again with that key
 * (the answer depends only on the two), and otherwise it is verified with Bouncy Castle, which
 * is four times faster than the JDK 17's provider. So Bouncy Castle's PKIX, which verifies the
 * path's signatures itself, costs no signature verification for links the builder checked.
 */
final class PathCertificate extends X509Certificate {
  private static final String SUBJECT_KEY_ID = Extension.subjectKeyIdentifier.getId();
  private static final String AUTHORITY_KEY_ID = Extension.authorityKeyIdentifier.getId();
  private static final String NAME_CONSTRAINTS = Extension.nameConstraints.getId();
  private static final String POLICY_CONSTRAINTS = Extension.policyConstraints.getId();

  private final X509Certificate certificate;
  private final X500Principal subject;
  private final X500Principal issuer;
  private final Instant notBefore;
  private final Instant notAfter;
  private final byte @Nullable [] subjectKeyId;
  private final byte @Nullable [] authorityKeyId;
  private final @Nullable TrustAnchor anchor;
  /** Counts the signature verifications actually made, for the validator that made this object. */
  private final LongAdder verifications;
  private volatile @Nullable PublicKey publicKey;
  private volatile byte @Nullable [] encodedKey;
  /** The last key this certificate's signature was verified with; {@code null} before. */
  private volatile @Nullable PublicKey verifiedWith;
  /** Whether it carries name or policy constraints: {@code null} until asked. */
  private volatile @Nullable Boolean constrainsBelow;

  /** The OIDs of its extensions, critical or not: {@code null} until asked. */
  private volatile @Nullable Set<String> extensionOids;
  private volatile @Nullable Set<String> criticalOids;
  private volatile @Nullable Set<String> nonCriticalOids;
  /** The values of its extensions read so far, by OID. */
  private final ConcurrentHashMap<String, byte[]> extensionValues = new ConcurrentHashMap<>();

  private PathCertificate(X509Certificate certificate, boolean anchor, LongAdder verifications) {
    this.certificate = certificate;
    this.verifications = verifications;
    this.subject = certificate.getSubjectX500Principal();
    this.issuer = certificate.getIssuerX500Principal();
    this.notBefore = certificate.getNotBefore().toInstant();
    this.notAfter = certificate.getNotAfter().toInstant();
    this.subjectKeyId = keyIdentifier(getExtensionValue(SUBJECT_KEY_ID), SUBJECT_KEY_ID);
    this.authorityKeyId = keyIdentifier(getExtensionValue(AUTHORITY_KEY_ID), AUTHORITY_KEY_ID);
    this.anchor = anchor ? new TrustAnchor(this, null) : null;
  }

  /** The peer's certificate or one the peer sent along. */
  static PathCertificate presented(X509Certificate certificate, LongAdder verifications) {
    return new PathCertificate(certificate, false, verifications);
  }

  /** A trust anchor's certificate. */
  static PathCertificate anchor(X509Certificate certificate, LongAdder verifications) {
    return new PathCertificate(certificate, true, verifications);
  }

  /** The certificate as it was handed over. */
  X509Certificate original() {
    return certificate;
  }

  X500Principal subject() {
    return subject;
  }

  X500Principal issuer() {
    return issuer;
  }

  Instant notBefore() {
    return notBefore;
  }

  Instant notAfter() {
    return notAfter;
  }

  boolean isAnchor() {
    return anchor != null;
  }

  /** The anchor for PKIX; only for an anchor's certificate. */
  TrustAnchor trustAnchor() {
    if (anchor == null) {
      throw new IllegalStateException("not a trust anchor");
    }
    return anchor;
  }

  /**
   * Whether it carries name constraints or policy constraints (critical or not): the two
   * extensions whose effect on the certificates below it PKIX carries down a path, so that
   * they may refuse a path at its last certificate.
   */
  boolean constrainsBelow() {
    Boolean constrains = constrainsBelow;
    if (constrains == null) {
      constrains = extensionOids().contains(NAME_CONSTRAINTS) || extensionOids().contains(POLICY_CONSTRAINTS);
      constrainsBelow = constrains;
    }
    return constrains;
  }

  /** Self-issued (RFC 5280, 6.1): subject and issuer are the same name, as in a key rollover. */
  boolean isSelfIssued() {
    return subject.equals(issuer);
  }

  /** Whether it is valid at {@code now}, give or take {@code skew}: {@link Validity}'s rule, no text. */
  boolean isValidAt(Instant now, Duration skew) {
    return !now.isAfter(notAfter.plus(skew)) && !now.isBefore(notBefore.minus(skew));
  }

  /** Whether {@code candidate} may have issued this certificate, by names. */
  boolean mayBeIssuedBy(PathCertificate candidate) {
    return issuer.equals(candidate.subject);
  }

  /**
   * Whether the key identifiers, where both are present, say {@code candidate} issued this
   * certificate (RFC 5280, 4.2.1.1): a hint for the order of trying, never a verdict (an
   * inconsistent identifier is refused by the chain's constraints, with its own reason).
   */
  boolean keyIdentifierPointsTo(PathCertificate candidate) {
    return authorityKeyId == null || candidate.subjectKeyId == null
        || Arrays.equals(authorityKeyId, candidate.subjectKeyId);
  }

  /** Whether the two certify the same name and key: a path holds such a pair at most once. */
  boolean sameNameAndKey(PathCertificate other) {
    return subject.equals(other.subject) && Arrays.equals(encodedKey(), other.encodedKey());
  }

  /**
   * Whether this certificate's signature verifies with {@code issuer}'s key, verified now only
   * if it was not verified with that key before.
   *
   * @param issuer the candidate issuer
   * @param budget counts a verification actually made
   */
  boolean isSignedBy(PathCertificate issuer, Runnable budget) {
    PublicKey key = issuer.getPublicKey();
    if (wasVerifiedWith(key)) {
      return true;
    }
    budget.run();
    try {
      verify(key);
      return true;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private boolean wasVerifiedWith(PublicKey key) {
    PublicKey verified = verifiedWith;
    return verified != null && (verified == key || verified.equals(key));
  }

  private byte[] encodedKey() {
    byte[] encoded = encodedKey;
    if (encoded == null) {
      encoded = certificate.getPublicKey().getEncoded();
      encodedKey = encoded;
    }
    return encoded;
  }

  private static byte @Nullable [] keyIdentifier(byte @Nullable [] extension, String oid) {
    if (extension == null) {
      return null;
    }
    try {
      byte[] value = ASN1OctetString.getInstance(extension).getOctets();
      return oid.equals(SUBJECT_KEY_ID)
          ? SubjectKeyIdentifier.getInstance(value).getKeyIdentifier()
          : AuthorityKeyIdentifier.getInstance(value).getKeyIdentifier();
    } catch (RuntimeException e) {
      // Unreadable: no hint for choosing; whether it is acceptable is judged elsewhere.
      return null;
    }
  }

  /** The key in Bouncy Castle's form (made once), so that Bouncy Castle verifies with it directly. */
  @Override
  public PublicKey getPublicKey() {
    PublicKey key = publicKey;
    if (key == null) {
      PublicKey original = certificate.getPublicKey();
      try {
        key = BouncyCastleProvider.getPublicKey(SubjectPublicKeyInfo.getInstance(encodedKey()));
      } catch (java.io.IOException | RuntimeException e) {
        key = null;
      }
      key = key != null ? key : original;
      publicKey = key;
    }
    return key;
  }

  @Override
  public void verify(PublicKey key) throws CertificateException, NoSuchAlgorithmException,
      InvalidKeyException, NoSuchProviderException, SignatureException {
    if (!wasVerifiedWith(key)) {
      verifications.increment();
      certificate.verify(key, BouncyCastle.PROVIDER);
      verifiedWith = key;
    }
  }

  @Override
  public void verify(PublicKey key, String sigProvider) throws CertificateException,
      NoSuchAlgorithmException, InvalidKeyException, NoSuchProviderException, SignatureException {
    verify(key);
  }

  @Override
  public void verify(PublicKey key, Provider sigProvider) throws CertificateException,
      NoSuchAlgorithmException, InvalidKeyException, SignatureException {
    try {
      verify(key);
    } catch (NoSuchProviderException e) {
      throw new SignatureException(e);
    }
  }

  @Override
  public void checkValidity() throws CertificateExpiredException, CertificateNotYetValidException {
    certificate.checkValidity();
  }

  @Override
  public void checkValidity(Date date) throws CertificateExpiredException, CertificateNotYetValidException {
    certificate.checkValidity(date);
  }

  @Override
  public int getVersion() {
    return certificate.getVersion();
  }

  @Override
  public BigInteger getSerialNumber() {
    return certificate.getSerialNumber();
  }

  @SuppressWarnings("deprecation")
  @Override
  public Principal getIssuerDN() {
    return certificate.getIssuerDN();
  }

  @SuppressWarnings("deprecation")
  @Override
  public Principal getSubjectDN() {
    return certificate.getSubjectDN();
  }

  @Override
  public X500Principal getIssuerX500Principal() {
    return issuer;
  }

  @Override
  public X500Principal getSubjectX500Principal() {
    return subject;
  }

  @Override
  public Date getNotBefore() {
    return certificate.getNotBefore();
  }

  @Override
  public Date getNotAfter() {
    return certificate.getNotAfter();
  }

  @Override
  public byte[] getTBSCertificate() throws CertificateEncodingException {
    return certificate.getTBSCertificate();
  }

  @Override
  public byte[] getSignature() {
    return certificate.getSignature();
  }

  @Override
  public String getSigAlgName() {
    return certificate.getSigAlgName();
  }

  @Override
  public String getSigAlgOID() {
    return certificate.getSigAlgOID();
  }

  @Override
  public byte @Nullable [] getSigAlgParams() {
    return certificate.getSigAlgParams();
  }

  @Override
  public boolean @Nullable [] getIssuerUniqueID() {
    return certificate.getIssuerUniqueID();
  }

  @Override
  public boolean @Nullable [] getSubjectUniqueID() {
    return certificate.getSubjectUniqueID();
  }

  @Override
  public boolean @Nullable [] getKeyUsage() {
    return certificate.getKeyUsage();
  }

  @Override
  public @Nullable List<String> getExtendedKeyUsage() throws CertificateParsingException {
    return certificate.getExtendedKeyUsage();
  }

  @Override
  public int getBasicConstraints() {
    return certificate.getBasicConstraints();
  }

  @Override
  public @Nullable Collection<List<?>> getSubjectAlternativeNames() throws CertificateParsingException {
    return certificate.getSubjectAlternativeNames();
  }

  @Override
  public @Nullable Collection<List<?>> getIssuerAlternativeNames() throws CertificateParsingException {
    return certificate.getIssuerAlternativeNames();
  }

  @Override
  public byte[] getEncoded() throws CertificateEncodingException {
    return certificate.getEncoded();
  }

  @Override
  public boolean hasUnsupportedCriticalExtension() {
    return certificate.hasUnsupportedCriticalExtension();
  }

  @Override
  public @Nullable Set<String> getCriticalExtensionOIDs() {
    extensionOids();
    Set<String> oids = criticalOids;
    return oids == null ? null : new TreeSet<>(oids);
  }

  @Override
  public @Nullable Set<String> getNonCriticalExtensionOIDs() {
    extensionOids();
    Set<String> oids = nonCriticalOids;
    return oids == null ? null : new TreeSet<>(oids);
  }

  /**
   * The extension's value as the wrapped certificate gives it, read once. An extension it does
   * not have is answered without asking it: the JDK's certificate throws and catches two
   * exceptions for each absent extension asked for, which the checks of a path do dozens of
   * times.
   */
  @Override
  public byte @Nullable [] getExtensionValue(String oid) {
    if (!extensionOids().contains(oid)) {
      return null;
    }
    byte[] value = extensionValues.get(oid);
    if (value == null) {
      value = certificate.getExtensionValue(oid);
      if (value == null) {
        return null;
      }
      extensionValues.put(oid, value);
    }
    return value.clone();
  }

  private Set<String> extensionOids() {
    Set<String> oids = extensionOids;
    if (oids == null) {
      Set<String> critical = certificate.getCriticalExtensionOIDs();
      Set<String> nonCritical = certificate.getNonCriticalExtensionOIDs();
      criticalOids = critical == null ? null : Set.copyOf(critical);
      nonCriticalOids = nonCritical == null ? null : Set.copyOf(nonCritical);
      Set<String> all = new HashSet<>();
      all.addAll(critical == null ? Set.of() : critical);
      all.addAll(nonCritical == null ? Set.of() : nonCritical);
      oids = Set.copyOf(all);
      extensionOids = oids;
    }
    return oids;
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof PathCertificate that ? certificate.equals(that.certificate) : certificate.equals(other);
  }

  @Override
  public int hashCode() {
    return certificate.hashCode();
  }

  @Override
  public String toString() {
    return certificate.toString();
  }
}
