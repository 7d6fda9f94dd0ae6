package dev.mtls.testkit;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Builds a certificate in which one {@link TestCa} certifies another CA's name and key; made by
 * {@link TestCa#crossCertificate(TestCa)}. Every setter returns this builder; {@link #issue()}
 * signs the certificate.
 *
 * <pre>{@code
 * // an expired and a valid certificate of the same intermediate, as some servers send both
 * X509Certificate expired = root.crossCertificate(intermediate)
 *     .validity(now.minus(Duration.ofDays(400)), now.minus(Duration.ofDays(10)))
 *     .issue();
 * }</pre>
 *
 * <p>Defaults: the issuing CA's validity; the extensions are the certified CA's own {@link
 * CaExtensions} (its path length constraint, name constraints, ...).
 */
public final class CrossCertificateBuilder {
  private final TestCa issuer;
  private final TestCa subject;
  private @Nullable Instant notBefore;
  private @Nullable Instant notAfter;

  CrossCertificateBuilder(TestCa issuer, TestCa subject) {
    this.issuer = issuer;
    this.subject = subject;
  }

  /**
   * Sets the validity period, which may lie in the past (an expired certificate) or outside
   * the issuing CA's (for tests of validators). Default: the issuing CA's validity.
   *
   * @param notBefore the first instant it is valid
   * @param notAfter the last instant it is valid, not before {@code notBefore}
   * @return this builder
   */
  public CrossCertificateBuilder validity(Instant notBefore, Instant notAfter) {
    Objects.requireNonNull(notBefore, "notBefore");
    Objects.requireNonNull(notAfter, "notAfter");
    if (notAfter.isBefore(notBefore)) {
      throw new IllegalArgumentException("notAfter " + notAfter + " is before notBefore " + notBefore);
    }
    this.notBefore = notBefore;
    this.notAfter = notAfter;
    return this;
  }

  /**
   * Signs the certificate with the issuing CA's key.
   *
   * @return the certificate, as parsed by the JDK
   */
  public X509Certificate issue() {
    X509Certificate own = issuer.certificate();
    Instant start = notBefore != null ? notBefore : own.getNotBefore().toInstant();
    Instant end = notAfter != null ? notAfter : own.getNotAfter().toInstant();
    return issuer.certify(subject, start, end);
  }
}
