package dev.mtls.testkit;

import java.io.IOException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import java.util.SplittableRandom;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.jspecify.annotations.Nullable;

/**
 * Builds a CRL of a {@link TestCa} other than the everyday {@link TestCa#crl()}: dated
 * differently, stale, with many synthetic entries, or forged. Made by {@link
 * TestCa#crlBuilder()}; every setter returns this builder.
 *
 * <pre>{@code
 * X509CRL stale = ca.crlBuilder().stale().build();
 * X509CRL big = ca.crlBuilder().addSyntheticRevocations(100_000).build();
 * X509CRL forged = ca.crlBuilder().signedWith(otherKeyPair).build();
 * }</pre>
 *
 * <p>Every CRL lists the serials revoked through {@link TestCa#revoke(IssuedCertificate)} and
 * its overloads, carries the CA's authority key identifier and the next CRL number of the CA.
 */
public final class CrlBuilder {
  private static final Duration DEFAULT_NEXT_UPDATE = Duration.ofDays(1);

  private final TestCa ca;
  private @Nullable Instant thisUpdate;
  private @Nullable Instant nextUpdate;
  private int syntheticRevocations;
  private @Nullable PrivateKey signingKey;

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
    try {
      builder.addExtension(
          Extension.authorityKeyIdentifier, false,
          Signing.authorityKeyIdentifier(ca.keyIdentifier()));
      builder.addExtension(
          Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(ca.records().nextCrlNumber())));
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode CRL extensions of " + ca.subject(), e);
    }
    PrivateKey key = signingKey != null ? signingKey : ca.signingKey();
    return Signing.sign(builder, key, ca.subject().getName());
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
