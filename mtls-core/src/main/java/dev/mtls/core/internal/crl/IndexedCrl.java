package dev.mtls.core.internal.crl;


import java.math.BigInteger;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Enumerated;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.jspecify.annotations.Nullable;

/**
 * One parsed CRL with its serials indexed once into a compact hash table ({@link
 * SerialIndex}), so that a lookup costs a probe (Bouncy Castle's own lookups scan the entry
 * list). Immutable apart from the record of
 * signature checks: filled when the CRL is loaded, on the loading thread, with the keys of the
 * issuer certificates the context knows; for an issuer it did not know, once per key on the
 * first lookup.
 *
 * <p>The index maps each serial to the offset of its entry in the DER; an entry is decoded into
 * a date and a reason only when its serial is found, since decoding 100,000 entries up front
 * would dominate the load time. An indirect CRL has one such index per certificate issuer its
 * entries name (their certificateIssuer extensions are read at load, for indirect CRLs only).
 */
public final class IndexedCrl {
  private static final String[] REASONS = {
    "unspecified", "keyCompromise", "cACompromise", "affiliationChanged", "superseded",
    "cessationOfOperation", "certificateHold", "7", "removeFromCRL", "privilegeWithdrawn",
    "aACompromise"
  };

  private final String source;
  private final X500Principal issuer;
  private final BigInteger crlNumber;
  private final @Nullable BigInteger deltaBase;
  private final Instant thisUpdate;
  private final @Nullable Instant nextUpdate;
  private final Instant staleAt;
  private final SerialIndex revoked;
  // an indirect CRL's entries for other certificate issuers, by issuer
  private final Map<X500Principal, SerialIndex> othersRevoked;
  private final CrlScope scope;
  private final @Nullable String unusable;
  private final SignedPart signed;
  private final CrlSignature signature;

  /**
   * Creates the CRL; {@link CrlParser} does.
   *
   * @param deltaBase for a delta CRL, the number of the complete CRL it builds on; else null
   * @param revoked the entries of certificates of {@code issuer}
   * @param othersRevoked an indirect CRL's entries of other certificate issuers
   * @param unusable why this CRL, which parsed, cannot answer for anything; null when usable
   */
  IndexedCrl(
      String source,
      X500Principal issuer,
      BigInteger crlNumber,
      @Nullable BigInteger deltaBase,
      Instant thisUpdate,
      @Nullable Instant nextUpdate,
      Instant staleAt,
      SerialIndex revoked,
      Map<X500Principal, SerialIndex> othersRevoked,
      CrlScope scope,
      @Nullable String unusable,
      SignedPart signed) {
    this.source = source;
    this.issuer = issuer;
    this.crlNumber = crlNumber;
    this.deltaBase = deltaBase;
    this.thisUpdate = thisUpdate;
    this.nextUpdate = nextUpdate;
    this.staleAt = staleAt;
    this.revoked = revoked;
    this.othersRevoked = Map.copyOf(othersRevoked);
    this.scope = scope;
    this.unusable = unusable;
    this.signed = signed;
    this.signature = new CrlSignature(signed);
  }

  /**
   * The file or URL this CRL came from.
   *
   * @return the source description
   */
  public String source() {
    return source;
  }

  /**
   * The CRL issuer.
   *
   * @return the issuer's distinguished name
   */
  public X500Principal issuer() {
    return issuer;
  }

  /**
   * The CRL number extension, which every CRL this library takes has.
   *
   * @return the number
   */
  public BigInteger crlNumber() {
    return crlNumber;
  }

  /**
   * For a delta CRL (RFC 5280, section 5.2.4), the number of the complete CRL it is a delta
   * to: it applies to complete CRLs numbered from it up to below its own number.
   *
   * @return the base CRL number, or {@code null} for a complete CRL
   */
  public @Nullable BigInteger deltaBase() {
    return deltaBase;
  }

  /**
   * Whether this is a delta CRL.
   *
   * @return {@code true} when it carries a delta CRL indicator
   */
  public boolean isDelta() {
    return deltaBase != null;
  }

  /**
   * Why this CRL cannot be used, when it cannot: it parsed, but says something this library
   * cannot apply (a critical extension it does not know, a signature algorithm refused by
   * policy). Such a CRL answers for nothing; the certificates of its issuer that no usable
   * CRL covers are {@code UNKNOWN} with this reason.
   *
   * @return the reason, or {@code null} for a usable CRL
   */
  public @Nullable String unusable() {
    return unusable;
  }

  /**
   * Whether this CRL's signature algorithm is refused by policy, so that its signature is not
   * even verified.
   *
   * @return {@code true} for a CRL signed with DSA or SHA-1, say
   */
  boolean signatureAlgorithmRefused() {
    try {
      return unusable != null && dev.mtls.core.internal.validation.AlgorithmConstraints.signatureProblem(
          signed.algorithm().getAlgorithm().getId(), signed.algorithm().getParameters() == null ? null
              : signed.algorithm().getParameters().toASN1Primitive().getEncoded()) != null;
    } catch (java.io.IOException e) {
      return true;
    }
  }

  /**
   * What this CRL covers.
   *
   * @return its scope
   */
  CrlScope scope() {
    return scope;
  }

  /**
   * When the CRL was issued.
   *
   * @return thisUpdate
   */
  public Instant thisUpdate() {
    return thisUpdate;
  }

  /**
   * When the issuer promises the next CRL.
   *
   * @return nextUpdate, or {@code null} when the CRL has none
   */
  public @Nullable Instant nextUpdate() {
    return nextUpdate;
  }

  /**
   * From when on this CRL is stale: its nextUpdate, or for a CRL without one, a time derived
   * from when it was fetched (see {@link CrlParser}).
   *
   * @return the staleness instant
   */
  public Instant staleAt() {
    return staleAt;
  }

  /**
   * How many entries the CRL lists.
   *
   * @return the entry count
   */
  public int size() {
    int size = revoked.size();
    for (SerialIndex others : othersRevoked.values()) {
      size += others.size();
    }
    return size;
  }

  /**
   * Looks a serial of a certificate issuer up: in an indirect CRL, among the entries of that
   * issuer; in any CRL, among its own issuer's entries when that is the one asked for.
   *
   * @param certificateIssuer the issuer of the certificate
   * @param serial the certificate's serial number
   * @return the entry, or {@code null} when the certificate is not on this CRL
   */
  public @Nullable RevokedEntry lookup(X500Principal certificateIssuer, BigInteger serial) {
    SerialIndex index = certificateIssuer.equals(issuer) ? revoked : othersRevoked.get(certificateIssuer);
    if (index == null) {
      return null;
    }
    int offset = index.find(serial);
    return offset < 0 ? null : signed.entryAt(serial, offset);
  }

  /**
   * Looks a serial up: a probe of the compact index, no I/O, no lock, no allocation for a
   * serial that is not listed.
   *
   * @param serial the certificate's serial number
   * @return the entry, or {@code null} when the serial is not on this CRL
   */
  public @Nullable RevokedEntry lookup(BigInteger serial) {
    int offset = revoked.find(serial);
    if (offset < 0) {
      return null;
    }
    return signed.entryAt(serial, offset);
  }

  /**
   * The reason in an entry's extensions, or {@code "unreadable reason code"} when they do not
   * decode: the parser checked the entry's frame and date, not its extensions, and the serial
   * is revoked whatever the reason says.
   */
  private static @Nullable String reasonOf(byte[] extensions) {
    int code;
    try {
      Extension extension = Extensions.getInstance(extensions).getExtension(Extension.reasonCode);
      if (extension == null) {
        return null;
      }
      code = ASN1Enumerated.getInstance(extension.getParsedValue()).intValueExact();
    } catch (RuntimeException e) {
      return "unreadable reason code";
    }
    return code >= 0 && code < REASONS.length ? REASONS[code] : "reason code " + code;
  }

  /**
   * Whether this CRL's scope (its issuing distribution point) includes the certificate: a
   * CRL for end-entity certificates only does not cover a CA certificate and vice versa, and
   * a CRL for one distribution point covers only certificates that name it (RFC 5280,
   * section 6.3.3 (b)).
   *
   * @param certificate the certificate to be checked
   * @return whether a lookup in this CRL answers for it
   */
  public boolean covers(X509Certificate certificate) {
    return unusable == null
        && scope.coverage(certificate, issuer.equals(certificate.getIssuerX500Principal()), issuer,
            () -> DistributionPoints.of(certificate)) != 0;
  }

  /**
   * Whether the signature of this CRL is good for a certificate whose issuer certificate in
   * the validated path has {@code pathKey}: it was verified when loaded with a key of a
   * certificate of the issuer the context knows (a CA re-keyed under the same name signs the
   * CRLs for the certificates of its earlier keys too, RFC 5280, section 6.3.3 (f)), or it
   * verifies with {@code pathKey} (see {@link #isSignedBy}).
   *
   * @param pathKey the public key of the issuer certificate in the path
   * @param onForged hears this CRL the first time it fails with that key
   * @return whether the CRL may answer for the certificate
   */
  boolean acceptsSignature(PublicKey pathKey, Consumer<IndexedCrl> onForged) {
    return signature.verifiedAtLoad() || isSignedBy(pathKey, onForged);
  }

  /**
   * Whether this CRL was verified when loaded, with the key of a certificate of its issuer
   * the context knows.
   *
   * @return {@code true} after such a verification
   */
  boolean verifiedAtLoad() {
    return signature.verifiedAtLoad();
  }

  /**
   * Verifies the signature with a key when the CRL is loaded, before it is used: the key is
   * then remembered, so that a lookup with the same key (by identity, or else by its encoding)
   * verifies nothing. Called on the thread that loads the CRL.
   *
   * @param key the public key of a certificate of the CRL's issuer
   * @return whether the signature verifies
   */
  boolean verifyAtLoad(PublicKey key) {
    return signature.verifyAtLoad(key);
  }

  /**
   * Takes over the signature checks of an earlier load of the same bytes (the same CRL fetched
   * again), so that they are not verified again.
   *
   * @param earlier a CRL loaded before
   * @return whether {@code earlier} holds the same signed bytes, and its checks were taken over
   */
  boolean adoptChecksOf(IndexedCrl earlier) {
    return signature.adoptChecksOf(earlier.signature);
  }

  /**
   * Whether some key has verified this CRL's signature, at load or at a lookup.
   *
   * @return {@code true} once a signature check succeeded
   */
  boolean isVerified() {
    return signature.isVerified();
  }

  /**
   * The keys that verified this CRL's signature.
   *
   * @return the keys, possibly none
   */
  List<PublicKey> verifiedKeys() {
    return signature.verifiedKeys();
  }

  /**
   * How many times this CRL's signature was verified (for tests: a lookup after a load that
   * verified it must verify nothing).
   *
   * @return the count of signature verifications
   */
  int signatureChecks() {
    return signature.checks();
  }

  /**
   * Whether this CRL is signed by the given key. A CRL verified when it was loaded answers from
   * memory; a CRL whose issuer was not known at load is verified here, once per key, and a key
   * that does not verify is reported to {@code onForged} once, on the first call that finds it.
   *
   * @param key the public key of the certificate that issued the checked certificate
   * @param onForged hears this CRL the first time it fails with that key
   * @return whether the signature verifies
   */
  public boolean isSignedBy(PublicKey key, Consumer<IndexedCrl> onForged) {
    return signature.isSignedBy(key, () -> onForged.accept(this));
  }

  /**
   * Whether another indexed CRL carries the same signature, so the same signed content.
   *
   * @param other another indexed CRL
   * @return {@code true} when the signatures are byte for byte the same
   */
  boolean sameSignature(IndexedCrl other) {
    return signature.sameAs(other.signature);
  }

  @Override
  public String toString() {
    return (deltaBase == null ? "CRL from " : "delta CRL (base " + deltaBase + ") from ") + source
        + " for " + issuer.getName() + " (number " + crlNumber + ", " + size() + " entries, thisUpdate " + thisUpdate + ", nextUpdate "
        + nextUpdate + ")";
  }

  /**
   * The bytes a CRL's signature covers, kept as they arrived: re-encoding the list of a
   * large CRL to verify it would cost more than the verification.
   */
  record SignedPart(byte[] der, int tbsOffset, int tbsLength, AlgorithmIdentifier algorithm,
      byte[] signature) {
    /**
     * Decodes the revoked-certificate entry at {@code offset}, whose frame, serial and date the
     * parser checked, walking its DER as the parser did: Bouncy Castle decodes only the
     * extensions, which the parser did not check.
     */
    RevokedEntry entryAt(BigInteger serial, int offset) {
      try {
        int entryEnd = Der.end(der, offset, der.length);
        int date = Der.end(der, Der.contentStart(der, offset, entryEnd), entryEnd);
        int dateEnd = Der.end(der, date, entryEnd);
        Instant revokedAt = Der.time(der, date, dateEnd);
        if (revokedAt == null) {
          throw new CrlException("no revocation date");
        }
        String reason = dateEnd == entryEnd ? null
            : reasonOf(Arrays.copyOfRange(der, dateEnd, entryEnd));
        return new RevokedEntry(serial, revokedAt, reason);
      } catch (CrlException e) {
        throw new IllegalStateException("CRL entry at offset " + offset + " no longer parses",
            e);
      }
    }
  }
}
