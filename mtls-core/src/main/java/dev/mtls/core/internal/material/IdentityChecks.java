package dev.mtls.core.internal.material;

import dev.mtls.core.internal.BouncyCastle;
import dev.mtls.core.internal.SafeText;
import dev.mtls.core.internal.validation.Validity;

import dev.mtls.core.MtlsLoadException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The checks an identity must pass before it is used or swapped in on reload: the key matches
 * the certificate, the chain is in order and no longer than peers accept, the certificate is an
 * end-entity certificate and currently valid, the chain leads to the trust anchors; and the
 * check every trust anchor must pass: it is a CA certificate. Each failure is an
 * {@link MtlsLoadException} naming the file and the certificate involved; names from
 * certificates are escaped and cut ({@link SafeText}).
 *
 * <p>Signatures are verified with the library's private Bouncy Castle provider, which is an
 * order of magnitude cheaper than the JDK's ECDSA path.
 */
public final class IdentityChecks {
  /**
   * The longest certificate chain an identity may send: the JDK's default for
   * {@code jdk.tls.maxCertificateChainLength}, above which every JDK peer refuses the chain.
   */
  public static final int MAX_CHAIN_LENGTH = 10;

  /** Messages name a few trust anchors, not a whole bundle. */
  private static final int ANCHORS_NAMED = 5;

  private static final String BASIC_CONSTRAINTS = "2.5.29.19";

  private IdentityChecks() {}

  /**
   * Checks the shape of an identity's chain (leaf first) that peers judge before anything
   * else: no more certificates than a peer accepts, and a leaf that is not a CA certificate.
   *
   * @param chain the chain, leaf first, not empty
   * @param what what is being loaded, for the message
   * @param file the file the chain came from, or {@code null} for in-memory material
   * @throws MtlsLoadException naming the file: the count and the limit, or the CA leaf
   */
  public static void checkIdentityChain(
      List<X509Certificate> chain, String what, @Nullable Path file) {
    if (chain.size() > MAX_CHAIN_LENGTH) {
      throw new MtlsLoadException(what, file, "the certificate chain has " + chain.size()
          + " certificates, more than the " + MAX_CHAIN_LENGTH + " that peers accept (the JDK's"
          + " default jdk.tls.maxCertificateChainLength): every JDK peer would refuse it; send"
          + " the leaf and its intermediates only");
    }
    X509Certificate leaf = chain.get(0);
    if (leaf.getBasicConstraints() != -1) {
      throw new MtlsLoadException(what, file, "the certificate " + describe(leaf)
          + " is a CA certificate (basicConstraints cA=true), not an end-entity certificate:"
          + " peers refuse a CA certificate as a server's or client's, and a CA's key on a"
          + " server lets whoever takes it issue certificates; issue a leaf certificate from"
          + " this CA instead");
    }
  }

  /**
   * Checks that a trust anchor is a CA certificate: {@code basicConstraints cA=true}, or a
   * self-signed version 1 root (which predates extensions). Any other certificate's key could
   * vouch for any peer while not being meant to issue certificates: a server certificate put
   * in the CA bundle by mistake makes whoever holds that server's key a CA.
   *
   * @param anchor the would-be trust anchor
   * @param what what is being loaded, for the message
   * @param file the file it came from, or {@code null} for in-memory material
   * @throws MtlsLoadException naming the file and the certificate's subject
   */
  public static void checkTrustAnchor(X509Certificate anchor, String what, @Nullable Path file) {
    if (anchor.getBasicConstraints() != -1) {
      return;
    }
    boolean selfIssued = anchor.getSubjectX500Principal().equals(anchor.getIssuerX500Principal());
    if (anchor.getVersion() == 1 && selfIssued && signedBy(anchor, anchor)) {
      return;
    }
    String kind = anchor.getExtensionValue(BASIC_CONSTRAINTS) != null
        ? "basicConstraints cA=false"
        : "no basicConstraints extension";
    throw new MtlsLoadException(what, file, "certificate " + describe(anchor)
        + " is not a CA certificate (" + kind + "): only CA certificates may be trust anchors,"
        + " since an anchor's key vouches for every peer"
        + (selfIssued ? "" : "; put the certificate of its issuer, " + issuer(anchor)
            + ", in the trust file instead"));
  }

  /**
   * Checks that a private key belongs to a certificate.
   *
   * @param key the private key
   * @param certificate the certificate it should belong to
   * @param what what is being loaded, for the message, such as {@code "private key"}
   * @param file the file the key came from, or {@code null} for in-memory material
   * @throws MtlsLoadException if the key does not match or is of an unsupported kind
   */
  public static void checkKeyMatches(
      PrivateKey key, X509Certificate certificate, String what, @Nullable Path file) {
    boolean matches;
    try {
      matches = KeyMatch.matches(key, certificate.getPublicKey());
    } catch (IllegalArgumentException e) {
      throw new MtlsLoadException(what, file, e.getMessage(), e);
    }
    if (!matches) {
      throw new MtlsLoadException(what, file,
          "private key does not match the certificate's public key (certificate "
              + describe(certificate) + ")");
    }
  }

  /**
   * Checks that every certificate of a chain (leaf first) is issued and signed by the next.
   *
   * @param chain the chain, leaf first
   * @param what what is being loaded, for the message
   * @param file the file the chain came from, or {@code null}
   * @throws MtlsLoadException naming the first certificate not issued by its successor
   */
  public static void checkChainOrder(
      List<X509Certificate> chain, String what, @Nullable Path file) {
    for (int i = 0; i + 1 < chain.size(); i++) {
      X509Certificate certificate = chain.get(i);
      X509Certificate next = chain.get(i + 1);
      if (!certificate.getIssuerX500Principal().equals(next.getSubjectX500Principal())) {
        throw new MtlsLoadException(what, file, "chain out of order: certificate " + (i + 1)
            + " (" + subject(certificate) + ") is issued by " + issuer(certificate)
            + ", but certificate " + (i + 2) + " is " + subject(next)
            + "; a chain lists the leaf first, then each issuer in turn");
      }
      if (!signedBy(certificate, next)) {
        throw new MtlsLoadException(what, file, "certificate " + (i + 1) + " ("
            + subject(certificate) + ") names " + subject(next)
            + " as its issuer, but its signature does not verify with certificate " + (i + 2)
            + "'s key (a different CA with the same name?)");
      }
    }
  }

  /**
   * Checks that a certificate is valid at {@code now}, give or take {@code skew}.
   *
   * @param cert the certificate
   * @param what what is being loaded, for the message
   * @param file the file it came from, or {@code null}
   * @param now the current time
   * @param skew the clock skew tolerated on either side
   * @throws MtlsLoadException with both dates, if it has expired or is not yet valid
   */
  public static void checkValidity(
      X509Certificate cert, String what, @Nullable Path file, Instant now, Duration skew) {
    Validity.Problem problem = Validity.problem(cert, now, skew);
    if (problem != null) {
      throw new MtlsLoadException(what, file, "certificate " + subject(cert) + " " + problem.text());
    }
  }

  /**
   * Checks that an identity's chain leads to the trust anchors, without naming a file: the
   * message names the identity's origin instead. Prefer
   * {@link #checkChainLeadsTo(IdentityMaterial, TrustMaterial, Path)} where the chain file is
   * known.
   *
   * @param identity the identity
   * @param trust the trust anchors
   * @throws MtlsLoadException if the chain is out of order or does not lead to an anchor
   */
  public static void checkChainLeadsTo(IdentityMaterial identity, TrustMaterial trust) {
    checkChainLeadsTo(identity, trust, null);
  }

  /**
   * Checks that an identity's chain leads to the trust anchors: some certificate of the chain
   * is an anchor, or the last one names an anchor as its issuer and its signature verifies
   * with that anchor's key. Also checks that the chain is in order.
   *
   * @param identity the identity
   * @param trust the trust anchors
   * @param chainFile the file the chain came from (for a {@code MaterialLoader}, its first
   *     file), or {@code null} to name the identity's origin instead
   * @throws MtlsLoadException naming the file and the issuer the chain ends at
   */
  public static void checkChainLeadsTo(
      IdentityMaterial identity, TrustMaterial trust, @Nullable Path chainFile) {
    String what = chainFile == null
        ? "certificate chain (" + identity.origin() + ")"
        : "certificate chain";
    List<X509Certificate> chain = identity.chain();
    checkChainOrder(chain, what, chainFile);
    for (X509Certificate certificate : chain) {
      if (trust.anchors().contains(certificate)) {
        return;
      }
    }
    X509Certificate last = chain.get(chain.size() - 1);
    boolean nameMatched = false;
    for (X509Certificate anchor : trust.anchors()) {
      if (anchor.getSubjectX500Principal().equals(last.getIssuerX500Principal())) {
        nameMatched = true;
        if (signedBy(last, anchor)) {
          return;
        }
      }
    }
    int count = trust.anchors().size();
    String anchors = trust.anchors().stream()
        .limit(ANCHORS_NAMED)
        .map(IdentityChecks::subject)
        .collect(Collectors.joining("; "))
        + (count > ANCHORS_NAMED ? "; and " + (count - ANCHORS_NAMED) + " more" : "");
    if (nameMatched) {
      throw new MtlsLoadException(what, chainFile, "chain ends at issuer " + issuer(last)
          + ", which names a trust anchor, but its signature does not verify with that"
          + " anchor's key (a different CA with the same name?); trust anchors from "
          + trust.origin());
    }
    throw new MtlsLoadException(what, chainFile, "chain ends at issuer " + issuer(last)
        + ", which is not among the " + count + " trust anchor" + (count == 1 ? "" : "s")
        + " (" + anchors + ") from " + trust.origin());
  }

  private static boolean signedBy(X509Certificate certificate, X509Certificate issuer) {
    try {
      certificate.verify(issuer.getPublicKey(), BouncyCastle.PROVIDER);
      return true;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Names a certificate for messages: subject (escaped and cut) and serial number in hex.
   *
   * @param certificate the certificate
   * @return such as {@code CN=server, serial 1a2b}
   */
  public static String describe(X509Certificate certificate) {
    return subject(certificate) + ", serial " + certificate.getSerialNumber().toString(16);
  }

  private static String subject(X509Certificate certificate) {
    return name(certificate.getSubjectX500Principal().getName());
  }

  private static String issuer(X509Certificate certificate) {
    return name(certificate.getIssuerX500Principal().getName());
  }

  private static String name(String distinguishedName) {
    return distinguishedName.isEmpty() ? "(empty name)" : SafeText.printable(distinguishedName);
  }
}
