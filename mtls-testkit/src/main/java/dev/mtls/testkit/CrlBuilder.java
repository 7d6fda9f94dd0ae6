package dev.mtls.testkit;

import java.io.IOException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.IssuingDistributionPoint;
import org.bouncycastle.asn1.x509.ReasonFlags;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.jspecify.annotations.Nullable;

/**
 * Builds a CRL of a {@link TestCa} other than the everyday {@link TestCa#crl()}: dated
 * differently, stale, with many synthetic entries, forged, a delta CRL, an indirect CRL, one
 * scoped by an issuing distribution point, or signed by a re-keyed CA of the same name. Made
 * by {@link TestCa#crlBuilder()}; every setter returns this builder.
 *
 * <pre>{@code
 * X509CRL stale = ca.crlBuilder().stale().build();
 * X509CRL big = ca.crlBuilder().addSyntheticRevocations(100_000).build();
 * X509CRL forged = ca.crlBuilder().signedWith(otherKeyPair).build();
 * X509CRL base = ca.crlBuilder().crlNumber(10).build();
 * X509CRL delta = ca.crlBuilder().crlNumber(11).delta(10).removeFromCrl(onHold).build();
 * X509CRL partition = ca.crlBuilder().distributionPoint("http://crl.example/p1.crl")
 *     .onlyUserCertificates().onlySomeReasons(RevocationReason.KEY_COMPROMISE).build();
 * X509CRL indirect = crlCa.crlBuilder().indirect().revoke(otherCasClient, RevocationReason.KEY_COMPROMISE).build();
 * X509CRL rolledOver = oldRoot.crlBuilder().signedBy(newRootOfTheSameName).build();
 * }</pre>
 *
 * <p>Every CRL lists the serials revoked through {@link TestCa#revoke(IssuedCertificate)} and
 * its overloads (but those given to {@link #removeFromCrl}), then those given to {@link
 * #revoke(IssuedCertificate, RevocationReason)}; it carries the signing CA's authority key
 * identifier and, unless told otherwise, the next CRL number of the CA. See <a
 * href="https://www.rfc-editor.org/rfc/rfc5280#section-5">RFC 5280, section 5</a>.
 */
public final class CrlBuilder {
  private static final Duration DEFAULT_NEXT_UPDATE = Duration.ofDays(1);

  private final TestCa ca;
  private @Nullable Instant thisUpdate;
  private @Nullable Instant nextUpdate;
  private int syntheticRevocations;
  private @Nullable PrivateKey signingKey;
  private @Nullable TestCa signer;
  private @Nullable BigInteger crlNumber;
  private boolean withoutCrlNumber;
  private @Nullable BigInteger deltaBase;
  private final List<Entry> entries = new ArrayList<>();
  private final Set<BigInteger> removed = new LinkedHashSet<>();
  private boolean indirect;
  private @Nullable DistributionPointName distributionPoint;
  private boolean onlyUser;
  private boolean onlyCa;
  private boolean onlyAttribute;
  private @Nullable Set<RevocationReason> onlySomeReasons;

  /** An entry of this CRL only; {@code issuer} is the certificate's issuer. */
  private record Entry(BigInteger serial, X500Name issuer, int reason, Instant revokedAt) {}

  CrlBuilder(TestCa ca) {
    this.ca = ca;
  }

  /**
   * Sets when the CRL was issued. Default: the CA clock's instant at {@link #build()}.
   *
   * @param thisUpdate the issue date
   * @return this builder
   */
  public CrlBuilder thisUpdate(Instant thisUpdate) {
    this.thisUpdate = Objects.requireNonNull(thisUpdate, "thisUpdate");
    return this;
  }

  /**
   * Sets when the next CRL is due. Default: one day after {@code thisUpdate}.
   *
   * @param nextUpdate the date of the next CRL
   * @return this builder
   */
  public CrlBuilder nextUpdate(Instant nextUpdate) {
    this.nextUpdate = Objects.requireNonNull(nextUpdate, "nextUpdate");
    return this;
  }

  /**
   * Makes a CRL whose next update is already past: issued two days before the CA clock's
   * instant, next update one day before it.
   *
   * @return this builder
   */
  public CrlBuilder stale() {
    Instant now = ca.clock().instant();
    this.thisUpdate = now.minus(Duration.ofDays(2));
    this.nextUpdate = now.minus(Duration.ofDays(1));
    return this;
  }

  /**
   * Adds {@code count} entries with random serial numbers (of the same size as real ones) to
   * this CRL only, for tests of large CRLs: 100,000 entries make a CRL of about 3 MB. The CA's
   * own revocations stay as they are.
   *
   * @param count how many entries to add; calls add up
   * @return this builder
   */
  public CrlBuilder addSyntheticRevocations(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count < 0: " + count);
    }
    this.syntheticRevocations = Math.addExact(syntheticRevocations, count);
    return this;
  }

  /**
   * Signs the CRL with a key other than the CA's, keeping the CA's name and key identifier: a
   * forged CRL, whose signature must fail to verify against the CA's certificate.
   *
   * @param keyPair an EC, RSA or Ed25519 key pair
   * @return this builder
   */
  public CrlBuilder signedWith(KeyPair keyPair) {
    Objects.requireNonNull(keyPair, "keyPair");
    Keys.jdkAlgorithm(keyPair.getPrivate());
    this.signingKey = keyPair.getPrivate();
    return this;
  }

  /**
   * Signs the CRL with the key of another CA of the same name, carrying that CA's key
   * identifier: a CRL issued after the CA was re-keyed (its new root or intermediate certificate
   * keeps the name), which covers the certificates of the earlier key too (RFC 5280, section
   * 6.3.3 (f)).
   *
   * @param rekeyed a CA with this CA's name and another key
   * @return this builder
   * @throws IllegalArgumentException if {@code rekeyed} has another name
   */
  public CrlBuilder signedBy(TestCa rekeyed) {
    Objects.requireNonNull(rekeyed, "rekeyed");
    if (!rekeyed.subject().equals(ca.subject())) {
      throw new IllegalArgumentException("a re-keyed CA keeps the name " + ca.subject().getName()
          + ", not " + rekeyed.subject().getName());
    }
    this.signer = rekeyed;
    return this;
  }

  /**
   * Sets the CRL number. Default: the CA's next number (1, 2, 3, ...).
   *
   * @param number a non-negative number
   * @return this builder
   */
  public CrlBuilder crlNumber(long number) {
    if (number < 0) {
      throw new IllegalArgumentException("number < 0: " + number);
    }
    this.crlNumber = BigInteger.valueOf(number);
    this.withoutCrlNumber = false;
    return this;
  }

  /**
   * Leaves the CRL number out: a CRL that does not conform to RFC 5280 (section 5.2.3 requires
   * the number), which a strict relying party refuses.
   *
   * @return this builder
   */
  public CrlBuilder withoutCrlNumber() {
    this.withoutCrlNumber = true;
    return this;
  }

  /**
   * Makes a delta CRL (RFC 5280, section 5.2.4): a critical delta CRL indicator naming the
   * number of the complete CRL it updates. Its own number ({@link #crlNumber(long)}) must be
   * higher. It lists what the CA's CRLs list (a delta may repeat its base) and what {@link
   * #removeFromCrl} takes off.
   *
   * @param baseCrlNumber the number of the complete CRL this delta builds on
   * @return this builder
   */
  public CrlBuilder delta(long baseCrlNumber) {
    if (baseCrlNumber < 0) {
      throw new IllegalArgumentException("baseCrlNumber < 0: " + baseCrlNumber);
    }
    this.deltaBase = BigInteger.valueOf(baseCrlNumber);
    return this;
  }

  /**
   * Lists the certificate with reason {@code removeFromCRL} (8): in a delta CRL, the
   * certificate is no longer revoked (typically a released {@code certificateHold}). The CA's
   * own revocation of it is left out of this CRL.
   *
   * @param certificate a certificate of this CA
   * @return this builder
   */
  public CrlBuilder removeFromCrl(IssuedCertificate certificate) {
    Objects.requireNonNull(certificate, "certificate");
    removed.add(certificate.serialNumber());
    entries.add(new Entry(certificate.serialNumber(), issuerOf(certificate), 8, ca.clock().instant()));
    return this;
  }

  /**
   * Lists a certificate on this CRL only, revoked now with {@code reason}. A certificate of
   * another CA needs {@link #indirect()}: its entry then carries a certificate issuer extension
   * naming that CA (RFC 5280, section 5.3.3).
   *
   * @param certificate the certificate, of this CA or (indirect CRLs) another
   * @param reason why
   * @return this builder
   */
  public CrlBuilder revoke(IssuedCertificate certificate, RevocationReason reason) {
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(reason, "reason");
    entries.add(new Entry(certificate.serialNumber(), issuerOf(certificate), reason.code(),
        ca.clock().instant()));
    return this;
  }

  /**
   * Makes an indirect CRL: its issuing distribution point says {@code indirectCRL}, so it may
   * list certificates of other CAs ({@link #revoke(IssuedCertificate, RevocationReason)}), each
   * of which names this CA as the {@code cRLIssuer} of a distribution point ({@link
   * CertificateBuilder#crlDistributionPoint(String, TestCa)}).
   *
   * @return this builder
   */
  public CrlBuilder indirect() {
    this.indirect = true;
    return this;
  }

  /**
   * Scopes the CRL to one distribution point, named by a URI in its issuing distribution point:
   * it covers only certificates whose CRL distribution points name it ({@link
   * CertificateBuilder#crlDistributionPoint(String)}).
   *
   * @param url the distribution point's name
   * @return this builder
   */
  public CrlBuilder distributionPoint(String url) {
    this.distributionPoint = DistributionPointNames.uri(Objects.requireNonNull(url, "url"));
    return this;
  }

  /**
   * Scopes the CRL to one distribution point named relative to this CA: {@code CN=Partition 2}
   * stands for the CA's name with that RDN appended ({@link
   * CertificateBuilder#crlDistributionPointRelativeToIssuer(String)}).
   *
   * @param relativeName one relative distinguished name, such as {@code CN=Partition 2}
   * @return this builder
   * @throws IllegalArgumentException if {@code relativeName} is not one RDN
   */
  public CrlBuilder distributionPointRelativeToIssuer(String relativeName) {
    this.distributionPoint =
        DistributionPointNames.relative(Objects.requireNonNull(relativeName, "relativeName"));
    return this;
  }

  /**
   * Scopes the CRL to end-entity certificates ({@code onlyContainsUserCerts}).
   *
   * @return this builder
   */
  public CrlBuilder onlyUserCertificates() {
    this.onlyUser = true;
    return this;
  }

  /**
   * Scopes the CRL to CA certificates ({@code onlyContainsCACerts}).
   *
   * @return this builder
   */
  public CrlBuilder onlyCaCertificates() {
    this.onlyCa = true;
    return this;
  }

  /**
   * Scopes the CRL to attribute certificates ({@code onlyContainsAttributeCerts}): it covers no
   * public-key certificate.
   *
   * @return this builder
   */
  public CrlBuilder onlyAttributeCertificates() {
    this.onlyAttribute = true;
    return this;
  }

  /**
   * Scopes the CRL to some revocation reasons ({@code onlySomeReasons}): a relying party needs
   * CRLs for the other reasons too.
   *
   * @param first a reason covered
   * @param more more reasons covered
   * @return this builder
   * @throws IllegalArgumentException for {@link RevocationReason#UNSPECIFIED}, which is no
   *     reason flag
   */
  public CrlBuilder onlySomeReasons(RevocationReason first, RevocationReason... more) {
    Set<RevocationReason> reasons = EnumSet.of(Objects.requireNonNull(first, "first"), more);
    if (reasons.contains(RevocationReason.UNSPECIFIED)) {
      throw new IllegalArgumentException("UNSPECIFIED is no reason flag of onlySomeReasons");
    }
    this.onlySomeReasons = reasons;
    return this;
  }

  /**
   * Signs the CRL.
   *
   * @return the CRL, as parsed by the JDK
   * @throws IllegalArgumentException if {@code nextUpdate} is not after {@code thisUpdate}
   */
  public X509CRL build() {
    Instant issued = thisUpdate != null ? thisUpdate : ca.clock().instant();
    Instant next = nextUpdate != null ? nextUpdate : issued.plus(DEFAULT_NEXT_UPDATE);
    if (!next.isAfter(issued)) {
      throw new IllegalArgumentException(
          "nextUpdate " + next + " is not after thisUpdate " + issued);
    }
    X509v2CRLBuilder builder = new X509v2CRLBuilder(ca.name(), Signing.date(issued));
    builder.setNextUpdate(Signing.date(next));
    for (Revocation revocation : ca.records().revocations()) {
      if (removed.contains(revocation.serialNumber())) {
        continue;
      }
      builder.addCRLEntry(
          revocation.serialNumber(),
          Signing.date(revocation.revokedAt()),
          revocation.reason().code());
    }
    if (syntheticRevocations > 0) {
      SplittableRandom random = new SplittableRandom(Keys.RANDOM.nextLong());
      Date revoked = Signing.date(issued);
      for (int i = 0; i < syntheticRevocations; i++) {
        // Not secret, only distinct from real serials: 64 random bits, top bit set like theirs.
        BigInteger serial = BigInteger.valueOf(random.nextLong() & Long.MAX_VALUE)
            .setBit(63).setBit(64);
        builder.addCRLEntry(serial, revoked, RevocationReason.UNSPECIFIED.code());
      }
    }
    TestCa signing = signer != null ? signer : ca;
    try {
      for (Entry entry : entries) {
        addEntry(builder, entry);
      }
      builder.addExtension(
          Extension.authorityKeyIdentifier, false,
          Signing.authorityKeyIdentifier(signing.keyIdentifier()));
      if (!withoutCrlNumber) {
        BigInteger number = crlNumber != null ? crlNumber : BigInteger.valueOf(ca.records().nextCrlNumber());
        builder.addExtension(Extension.cRLNumber, false, new CRLNumber(number));
        if (deltaBase != null && deltaBase.compareTo(number) >= 0) {
          throw new IllegalArgumentException("the delta's base CRL number " + deltaBase
              + " is not below its own number " + number);
        }
      }
      if (deltaBase != null) {
        builder.addExtension(Extension.deltaCRLIndicator, true, new CRLNumber(deltaBase));
      }
      if (indirect || distributionPoint != null || onlyUser || onlyCa || onlyAttribute
          || onlySomeReasons != null) {
        builder.addExtension(Extension.issuingDistributionPoint, true,
            new IssuingDistributionPoint(distributionPoint, onlyUser, onlyCa, reasonFlags(),
                indirect, onlyAttribute));
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode CRL extensions of " + ca.subject(), e);
    }
    PrivateKey key = signingKey != null ? signingKey : signing.signingKey();
    return Signing.sign(builder, key, ca.subject().getName());
  }

  private void addEntry(X509v2CRLBuilder builder, Entry entry) throws IOException {
    boolean foreign = !entry.issuer().equals(ca.name());
    if (foreign && !indirect) {
      throw new IllegalStateException("the certificate " + entry.serial() + " is of another CA ("
          + entry.issuer() + "): list it on an indirect() CRL");
    }
    ExtensionsGenerator extensions = new ExtensionsGenerator();
    if (entry.reason() != RevocationReason.UNSPECIFIED.code()) {
      extensions.addExtension(Extension.reasonCode, false, CRLReason.lookup(entry.reason()));
    }
    if (indirect) {
      // every entry of this builder names its issuer: the CA's own revocations come first, and
      // an entry without the extension would belong to the issuer of the entry before it
      extensions.addExtension(Extension.certificateIssuer, true,
          new GeneralNames(new GeneralName(entry.issuer())));
    }
    builder.addCRLEntry(entry.serial(), Signing.date(entry.revokedAt()),
        extensions.isEmpty() ? null : extensions.generate());
  }

  private @Nullable ReasonFlags reasonFlags() {
    if (onlySomeReasons == null) {
      return null;
    }
    int flags = 0;
    for (RevocationReason reason : onlySomeReasons) {
      flags |= switch (reason) {
        case KEY_COMPROMISE -> ReasonFlags.keyCompromise;
        case CA_COMPROMISE -> ReasonFlags.cACompromise;
        case AFFILIATION_CHANGED -> ReasonFlags.affiliationChanged;
        case SUPERSEDED -> ReasonFlags.superseded;
        case CESSATION_OF_OPERATION -> ReasonFlags.cessationOfOperation;
        case CERTIFICATE_HOLD -> ReasonFlags.certificateHold;
        case PRIVILEGE_WITHDRAWN -> ReasonFlags.privilegeWithdrawn;
        case AA_COMPROMISE -> ReasonFlags.aACompromise;
        case UNSPECIFIED -> throw new IllegalStateException("UNSPECIFIED is no reason flag");
      };
    }
    return new ReasonFlags(flags);
  }

  private static X500Name issuerOf(IssuedCertificate certificate) {
    return X500Name.getInstance(
        certificate.certificate().getIssuerX500Principal().getEncoded());
  }

  /**
   * Signs the CRL as {@link #build()} does and returns it as PEM.
   *
   * @return one {@code X509 CRL} PEM block
   */
  public String buildPem() {
    return Pem.crl(build());
  }
}
