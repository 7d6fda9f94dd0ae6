package dev.mtls.core;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.security.auth.x500.X500Principal;
import org.jspecify.annotations.Nullable;

/**
 * Which trusted peers are allowed: the rules checked after a peer's chain has been validated
 * to the trust anchors (and found unexpired and unrevoked).
 *
 * <pre>{@code
 * PeerPolicy policy = PeerPolicy.builder()
 *     .allowSpiffeIds("spiffe://prod.example/ns/*}{@code /sa/ingester")
 *     .allowCommonNames("orders", "payments")
 *     .requireIssuer(new X500Principal("CN=Prod Issuing CA"))
 *     .build();
 * }</pre>
 *
 * <p>A peer passes when:
 * <ol>
 *   <li>every issuer requirement is met: the peer's issuer, or a CA above it in the validated
 *       path, is one of the required issuers;
 *   <li>its extended key usage fits: the purpose the policy requires, strictly, or else the
 *       purpose of its role per RFC 5280;
 *   <li>at least one allow rule matches: its CN is on the CN list, <em>or</em> one of its DNS
 *       SANs matches the DNS list, <em>or</em> a URI SAN the URI list, <em>or</em> its SPIFFE ID
 *       the SPIFFE list. {@link #anyTrustedPeer()} and {@link Builder#allowAnyTrustedPeer()}
 *       skip this step explicitly.
 * </ol>
 * A policy that names no allowed peer cannot be built: "allow everyone" must be said, never
 * implied by an empty list. Names and patterns are described on the allow methods of
 * {@link Builder}. Instances are immutable and thread-safe.
 */
public final class PeerPolicy {
  private static final PeerPolicy ANY_TRUSTED_PEER = builder().allowAnyTrustedPeer().build();

  private final boolean anyTrustedPeer;
  private final AllowList names;
  private final List<X500Principal> issuerNames;
  private final List<X509Certificate> issuerCertificates;
  private final @Nullable KeyPurpose requiredPurpose;

  private PeerPolicy(Builder builder) {
    this.anyTrustedPeer = builder.anyTrustedPeer;
    this.names = builder.names.build();
    this.issuerNames = List.copyOf(builder.issuerNames);
    this.issuerCertificates = List.copyOf(builder.issuerCertificates);
    this.requiredPurpose = builder.requiredPurpose;
  }

  /**
   * Every peer whose chain the trust anchors accept, explicitly. The extended key usage the
   * peer's role needs is still checked (RFC 5280 rules), and so are, by the verifier, validity
   * and revocation. For "any peer, but only under this issuer" use
   * {@link Builder#allowAnyTrustedPeer()} with {@link Builder#requireIssuer(X500Principal)}.
   *
   * @return the policy
   */
  public static PeerPolicy anyTrustedPeer() {
    return ANY_TRUSTED_PEER;
  }

  /**
   * Starts a policy.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether the policy names the peers it allows, rather than allowing any trusted peer. */
  boolean namesPeers() {
    return !anyTrustedPeer;
  }

  /** The allowed names as one phrase, for refusals: {@code spiffe://prod/payments}. */
  String expectedNames() {
    return anyTrustedPeer ? "any trusted peer" : names.expected();
  }

  /** The purpose the policy requires strictly, or {@code null} for the role's. */
  @Nullable KeyPurpose requiredPurpose() {
    return requiredPurpose;
  }

  /**
   * Checks an already-validated peer against this policy: issuer, key usage, identity, in that
   * order, stopping at the first failure.
   *
   * @param peer the peer, whose chain has been validated
   * @param rolePurpose the purpose the peer's role needs when the policy names none
   * @return {@code null} when allowed, or the rejection
   */
  Verdict.@Nullable Rejected check(PeerIdentity peer, KeyPurpose rolePurpose) {
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(rolePurpose, "rolePurpose");
    String problem = issuerProblem(peer);
    if (problem != null) {
      return new Verdict.Rejected(RejectionReason.ISSUER_NOT_ALLOWED, detail(peer, problem), peer);
    }
    problem = KeyUsages.problem(peer.extendedKeyUsages(), requiredPurpose, rolePurpose);
    if (problem != null) {
      return new Verdict.Rejected(RejectionReason.WRONG_KEY_USAGE, detail(peer, problem), peer);
    }
    if (anyTrustedPeer || names.matches(peer)) {
      return null;
    }
    return new Verdict.Rejected(
        RejectionReason.IDENTITY_NOT_ALLOWED, detail(peer, names.problem(peer)), peer);
  }

  /**
   * The rules, for logs and debugging.
   *
   * @return such as {@code PeerPolicy[CN [orders], SPIFFE [spiffe://prod.example/ns/*],
   *     issuer [CN=Prod CA], extended key usage: per role]}
   */
  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    if (anyTrustedPeer) {
      parts.add("any trusted peer");
    }
    parts.addAll(names.summaries());
    if (!issuerNames.isEmpty() || !issuerCertificates.isEmpty()) {
      parts.add("issuer " + issuersText());
    }
    parts.add("extended key usage: "
        + (requiredPurpose == null ? "per role" : KeyUsages.name(requiredPurpose.oid())));
    return "PeerPolicy" + parts;
  }

  private @Nullable String issuerProblem(PeerIdentity peer) {
    if (issuerNames.isEmpty() && issuerCertificates.isEmpty()) {
      return null;
    }
    List<X509Certificate> path = peer.chain();
    // In a validated path each certificate's issuer is the subject of the next one, so the
    // issuers of all its certificates are the leaf's issuer and every CA above it.
    for (X509Certificate certificate : path) {
      if (issuerNames.contains(certificate.getIssuerX500Principal())) {
        return null;
      }
    }
    for (int i = 1; i < path.size(); i++) {
      if (issuerCertificates.contains(path.get(i))) {
        return null;
      }
    }
    StringBuilder pathText = new StringBuilder();
    for (X509Certificate certificate : path) {
      pathText.append(pathText.length() == 0 ? "" : " <- ")
          .append(SafeText.printable(certificate.getSubjectX500Principal().getName()));
    }
    if (path.size() == 1) {
      pathText.append(" <- ").append(SafeText.printable(peer.issuer().getName()));
    }
    return "not issued under a required issuer " + issuersText() + "; its path is " + pathText;
  }

  private String issuersText() {
    List<String> issuers = new ArrayList<>();
    for (X500Principal name : issuerNames) {
      issuers.add(SafeText.printable(name.getName()));
    }
    for (X509Certificate certificate : issuerCertificates) {
      issuers.add("certificate " + SafeText.printable(certificate.getSubjectX500Principal().getName())
          + " serial " + certificate.getSerialNumber().toString(16));
    }
    return issuers.toString();
  }

  private static String detail(PeerIdentity peer, String problem) {
    return peer.describe() + ": " + problem;
  }

  /**
   * Collects the rules of a {@link PeerPolicy}. Allow methods add to their list and may be
   * called more than once; the same name given twice counts once. Every argument is checked
   * when given, so a typo fails at configuration time with the bad value in the message.
   */
  public static final class Builder {
    private boolean anyTrustedPeer;
    private final AllowList.Builder names = new AllowList.Builder();
    private final List<X500Principal> issuerNames = new ArrayList<>();
    private final List<X509Certificate> issuerCertificates = new ArrayList<>();
    private @Nullable KeyPurpose requiredPurpose;

    private Builder() {}

    /**
     * Allows peers whose subject has exactly one CN, equal to one of these names: exact,
     * case-sensitive, code point by code point (no trimming, no Unicode normalisation). A name
     * containing {@code *} is a pattern: the CN is split on {@code .} and each {@code *}
     * matches one non-empty part ({@code *.orders} matches {@code eu.orders}, not
     * {@code a.eu.orders}); the other parts must be equal. A {@code *} in a CN can therefore
     * only be a wildcard.
     *
     * @param namesOrPatterns at least one name
     * @return this builder
     * @throws IllegalArgumentException when no name is given, one is null or blank, or a
     *     pattern is malformed
     */
    public Builder allowCommonNames(String... namesOrPatterns) {
      names.commonNames(namesOrPatterns);
      return this;
    }

    /**
     * Allows peers with a DNS subject alternative name matching one of these. Matching is
     * ASCII case-insensitive; internationalized names are written as A-labels
     * ({@code xn--...}), and a SAN containing non-ASCII never matches. A {@code *} label matches
     * exactly one label: {@code *.svc.cluster.local} matches {@code a.svc.cluster.local} but
     * not {@code a.b.svc.cluster.local} nor {@code svc.cluster.local}. Wildcards in the peer's
     * certificate are not expanded.
     *
     * @param namesOrPatterns at least one DNS name or pattern
     * @return this builder
     * @throws IllegalArgumentException when none is given, one is null, blank, not a DNS name,
     *     or a malformed pattern
     */
    public Builder allowDnsNames(String... namesOrPatterns) {
      names.dnsNames(namesOrPatterns);
      return this;
    }

    /**
     * Allows peers with a URI subject alternative name matching one of these. Without
     * {@code *}, URI equality ({@link java.net.URI#equals}: scheme and host case-insensitive,
     * the rest exact); a path segment {@code *} matches one non-empty path segment
     * ({@code https://id.example/team/*} matches {@code https://id.example/team/orders}). No
     * wildcard in scheme or authority; a pattern has no query or fragment.
     *
     * @param urisOrPatterns at least one absolute URI or pattern
     * @return this builder
     * @throws IllegalArgumentException when none is given, one is null, blank, not an absolute
     *     URI, or a malformed pattern
     */
    public Builder allowUris(String... urisOrPatterns) {
      names.uris(urisOrPatterns);
      return this;
    }

    /**
     * Allows peers whose SPIFFE ID (see {@link PeerIdentity#spiffeId()}) matches one of these.
     * Without {@code *}, {@link SpiffeId} equality; a path segment {@code *} matches one
     * segment ({@code spiffe://prod.example/ns/*}{@code /sa/ingester}). The trust domain is
     * always literal.
     *
     * @param idsOrPatterns at least one SPIFFE ID or pattern
     * @return this builder
     * @throws IllegalArgumentException when none is given, one is null, blank, not a valid
     *     SPIFFE ID, or a malformed pattern
     */
    public Builder allowSpiffeIds(String... idsOrPatterns) {
      names.spiffeIds(idsOrPatterns);
      return this;
    }

    /**
     * Allows every peer the trust anchors accept, as far as names go: the issuer and key usage
     * requirements still apply. Use it to restrict peers by issuer alone. It cannot be mixed
     * with allow-lists, which it would make meaningless.
     *
     * @return this builder
     */
    public Builder allowAnyTrustedPeer() {
      anyTrustedPeer = true;
      return this;
    }

    /**
     * Requires the peer's issuer, or a CA above it in the validated path, to have this DN
     * (compared as X.500 names, RFC 5280 7.1). Called several times, or together with
     * {@link #requireIssuer(X509Certificate)}, any one of the named issuers will do.
     *
     * @param issuerDn the issuer's distinguished name
     * @return this builder
     */
    public Builder requireIssuer(X500Principal issuerDn) {
      Objects.requireNonNull(issuerDn, "issuerDn");
      if (!issuerNames.contains(issuerDn)) {
        issuerNames.add(issuerDn);
      }
      return this;
    }

    /**
     * Requires this exact CA certificate to be in the peer's validated path, above the leaf.
     * Stricter than {@link #requireIssuer(X500Principal)}: a different CA that happens to have
     * the same name does not count. Called several times, any one of the named issuers will do.
     *
     * @param caCertificate a CA certificate (basic constraints {@code cA=true})
     * @return this builder
     * @throws IllegalArgumentException when the certificate is not a CA certificate
     */
    public Builder requireIssuer(X509Certificate caCertificate) {
      Objects.requireNonNull(caCertificate, "caCertificate");
      if (caCertificate.getBasicConstraints() < 0) {
        throw new IllegalArgumentException(
            "requireIssuer: " + SafeText.quote(caCertificate.getSubjectX500Principal().getName())
                + " (serial " + caCertificate.getSerialNumber().toString(16)
                + ") is not a CA certificate: it has no basic constraints with cA=true");
      }
      if (!issuerCertificates.contains(caCertificate)) {
        issuerCertificates.add(caCertificate);
      }
      return this;
    }

    /**
     * Requires the peer's certificate to have an extended key usage extension that lists this
     * purpose (or {@code anyExtendedKeyUsage}). Strict: a certificate without the extension,
     * which RFC 5280 would allow for any purpose, is refused. Without this, the purpose of the
     * peer's role (clientAuth for clients, serverAuth for servers) is checked the RFC 5280 way.
     *
     * @param purpose the purpose
     * @return this builder
     * @throws IllegalStateException when a different purpose was already required
     */
    public Builder requireExtendedKeyUsage(KeyPurpose purpose) {
      Objects.requireNonNull(purpose, "purpose");
      if (requiredPurpose != null && requiredPurpose != purpose) {
        throw new IllegalStateException(
            "extended key usage was already required: " + requiredPurpose);
      }
      requiredPurpose = purpose;
      return this;
    }

    /**
     * Builds the policy.
     *
     * @return the immutable policy
     * @throws IllegalStateException when no peer is allowed at all, or
     *     {@link #allowAnyTrustedPeer()} was mixed with allow-lists
     */
    public PeerPolicy build() {
      boolean anyList = !names.isEmpty();
      if (!anyList && !anyTrustedPeer) {
        throw new IllegalStateException(
            "the peer policy allows no peer: name the allowed peers with allowCommonNames,"
                + " allowDnsNames, allowUris or allowSpiffeIds, or allow every peer the trust"
                + " anchors accept with PeerPolicy.anyTrustedPeer()");
      }
      if (anyList && anyTrustedPeer) {
        throw new IllegalStateException(
            "allowAnyTrustedPeer() was combined with allow-lists, which it would make"
                + " meaningless: use one or the other");
      }
      return new PeerPolicy(this);
    }
  }
}
