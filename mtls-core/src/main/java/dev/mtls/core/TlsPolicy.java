package dev.mtls.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Which TLS protocol versions, cipher suites and key-exchange groups a context may negotiate.
 * Only AEAD suites are ever allowed, and in TLS 1.2 only with ECDHE key exchange: no CBC, no
 * RC4, no static RSA key exchange.
 *
 * <p>Whatever the policy, provider and Java version, no handshake signature is made or
 * accepted with SHA-1, SHA-224, MD5 or DSA: such schemes are not offered (in the client's
 * hello or the server's CertificateRequest), the server does not sign its CertificateVerify
 * or its TLS 1.2 ServerKeyExchange with one even when a client offers nothing else (the
 * handshake fails instead), and a peer's signature made with one is refused. This holds per
 * connection, through the algorithm constraints every engine and socket of a context keeps;
 * a container's own constraints can narrow them, never widen them. Certificates signed with
 * SHA-1 are refused by the peer checks as well.
 *
 * <p>{@link #MODERN}, the default, is TLS 1.3 only. {@link #COMPATIBLE} adds TLS 1.2 for
 * peers that cannot do 1.3 yet. A policy names what it wants; a protocol or suite that the
 * chosen provider cannot do is an error when the context is built, never silently dropped.
 *
 * <pre>{@code
 * MtlsContext.forServer().tlsPolicy(TlsPolicy.COMPATIBLE) ...
 * TlsPolicy.of(List.of("TLSv1.3"), List.of("TLS_AES_256_GCM_SHA384"));
 * TlsPolicy.MODERN.withNamedGroups(List.of("X25519MLKEM768")); // post-quantum hybrid or nothing
 * }</pre>
 *
 * <h2>Key-exchange groups</h2>
 * Every policy, unless {@link #withNamedGroups(List)} says otherwise, offers and accepts
 * <b>{@code X25519MLKEM768}</b> (the post-quantum hybrid of X25519 and ML-KEM-768,
 * <a href="https://datatracker.ietf.org/doc/draft-ietf-tls-ecdhe-mlkem/">draft-ietf-tls-ecdhe-mlkem</a>)
 * first where the provider has it, then {@code x25519}, {@code secp256r1} and
 * {@code secp384r1}; never a finite-field ({@code ffdhe*}) group, whose TLS 1.3 use is slow
 * and, in TLS 1.2, not among the policy's ECDHE suites anyway. The groups are set on every
 * engine and socket; a container may narrow them, never widen them. What each provider does:
 * <ul>
 *   <li>{@link TlsProvider#BOUNCY_CASTLE}: the groups per connection, {@code X25519MLKEM768}
 *       included (Bouncy Castle JSSE has it since 1.81; mtls-core is built with 1.84); a server
 *       prefers its own order, so two such peers agree on the hybrid. A BCJSSE client sends its
 *       first key share for {@code x25519} only, so such a server asks it once more
 *       (HelloRetryRequest, one more round trip) for the hybrid's.
 *   <li>{@link TlsProvider#JDK} on Java 20 and later ({@code SSLParameters.setNamedGroups}): the
 *       groups per connection, those the JDK has: Java 25 has no {@code X25519MLKEM768}, so it
 *       offers {@code x25519}, {@code secp256r1} and {@code secp384r1} (a JDK that adds the
 *       hybrid offers it first, with no change here).
 *   <li>{@link TlsProvider#JDK} on Java 17 to 19: no per-connection setting exists, only the
 *       JVM-wide system property {@code jdk.tls.namedGroups}, which a library must not set. Such
 *       a JDK offers and accepts its own list: {@code x25519, secp256r1, secp384r1, secp521r1,
 *       x448, ffdhe2048, ffdhe3072, ffdhe4096, ffdhe6144, ffdhe8192}, no hybrid. A policy with
 *       {@link #withNamedGroups(List) its own groups} cannot be built there.
 * </ul>
 */
public final class TlsPolicy {
  static final String TLS13 = "TLSv1.3";
  static final String TLS12 = "TLSv1.2";

  private static final List<String> TLS13_SUITES = List.of(
      "TLS_AES_256_GCM_SHA384",
      "TLS_CHACHA20_POLY1305_SHA256",
      "TLS_AES_128_GCM_SHA256");

  private static final List<String> TLS12_SUITES = List.of(
      "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");

  /**
   * Signature schemes offered and accepted (RFC 8446, 4.2.3), in order: no SHA-1, SHA-224 or
   * DSA. Set as the list where the provider takes one (Bouncy Castle always, the JDK from Java
   * 19 on); on Java 17 the JDK's own list (which has SHA-1, SHA-224 and DSA schemes, in TLS 1.3
   * too) is narrowed by the algorithm constraints instead, which refuse those on every
   * provider and Java version.
   */
  static final List<String> SIGNATURE_SCHEMES = List.of(
      "ecdsa_secp256r1_sha256",
      "ecdsa_secp384r1_sha384",
      "ecdsa_secp521r1_sha512",
      "ed25519",
      "ed448",
      "rsa_pss_rsae_sha256",
      "rsa_pss_rsae_sha384",
      "rsa_pss_rsae_sha512",
      "rsa_pss_pss_sha256",
      "rsa_pss_pss_sha384",
      "rsa_pss_pss_sha512",
      "rsa_pkcs1_sha256",
      "rsa_pkcs1_sha384",
      "rsa_pkcs1_sha512");

  /** The post-quantum hybrid of X25519 and ML-KEM-768 (TLS group 0x11EC), TLS 1.3 only. */
  static final String X25519MLKEM768 = "X25519MLKEM768";

  /** The groups of every built-in policy: the hybrid where the provider has it, then ECDHE. */
  private static final List<String> DEFAULT_GROUPS = List.of(X25519MLKEM768, "x25519", "secp256r1", "secp384r1");

  /** Hybrid (ECDHE + ML-KEM) groups, which TLS 1.2 cannot use. */
  private static final List<String> HYBRID_GROUPS = List.of(X25519MLKEM768, "SecP256r1MLKEM768", "SecP384r1MLKEM1024");

  /** Every group a policy may name, in its standard spelling: elliptic curves and hybrids. */
  private static final List<String> ALLOWED_GROUPS = List.of(X25519MLKEM768, "SecP256r1MLKEM768",
      "SecP384r1MLKEM1024", "x25519", "secp256r1", "secp384r1", "secp521r1", "x448");

  /**
   * TLS 1.3 only, with AES-256-GCM, ChaCha20-Poly1305 and AES-128-GCM; key exchange with
   * {@code X25519MLKEM768} where the provider has it, then {@code x25519}, {@code secp256r1},
   * {@code secp384r1} (see the class description). The default.
   */
  public static final TlsPolicy MODERN = new TlsPolicy("MODERN", List.of(TLS13), TLS13_SUITES, DEFAULT_GROUPS, false);

  /**
   * TLS 1.3 as {@link #MODERN}, plus TLS 1.2 with ECDHE key exchange and AEAD suites only
   * (AES-GCM, ChaCha20-Poly1305), for peers that cannot do TLS 1.3. An explicit opt-in.
   */
  public static final TlsPolicy COMPATIBLE = new TlsPolicy("COMPATIBLE", List.of(TLS13, TLS12),
      concat(TLS13_SUITES, TLS12_SUITES), DEFAULT_GROUPS, false);

  private final String name;
  private final List<String> protocols;
  private final List<String> cipherSuites;
  private final List<String> namedGroups;
  private final boolean groupsRequired;

  private TlsPolicy(String name, List<String> protocols, List<String> cipherSuites, List<String> namedGroups,
      boolean groupsRequired) {
    this.name = name;
    this.protocols = List.copyOf(protocols);
    this.cipherSuites = List.copyOf(cipherSuites);
    this.namedGroups = List.copyOf(namedGroups);
    this.groupsRequired = groupsRequired;
  }

  /**
   * A policy narrower than the built-in ones: some of their protocols and suites, in the
   * order of preference given. Anything outside {@link #COMPATIBLE} is refused, so a
   * policy can never let in CBC, static RSA or protocols older than TLS 1.2.
   *
   * @param protocols {@code "TLSv1.3"} and/or {@code "TLSv1.2"}
   * @param cipherSuites IANA suite names, each usable with one of the protocols
   * @return the policy, with the built-in key-exchange groups (see the class description)
   * @throws IllegalArgumentException naming a protocol or suite that is not allowed, or a
   *     protocol left without a suite
   */
  public static TlsPolicy of(List<String> protocols, List<String> cipherSuites) {
    Objects.requireNonNull(protocols, "protocols");
    Objects.requireNonNull(cipherSuites, "cipherSuites");
    List<String> checkedProtocols = distinct(protocols, "protocol");
    List<String> checkedSuites = distinct(cipherSuites, "cipher suite");
    if (checkedProtocols.isEmpty()) {
      throw new IllegalArgumentException("no protocol given: name TLSv1.3 and/or TLSv1.2");
    }
    for (String protocol : checkedProtocols) {
      if (!protocol.equals(TLS13) && !protocol.equals(TLS12)) {
        throw new IllegalArgumentException("protocol not allowed: " + protocol
            + " (only TLSv1.3 and TLSv1.2 are; older versions are broken)");
      }
    }
    for (String suite : checkedSuites) {
      if (!TLS13_SUITES.contains(suite) && !TLS12_SUITES.contains(suite)) {
        throw new IllegalArgumentException("cipher suite not allowed: " + suite + " (allowed: "
            + String.join(", ", COMPATIBLE.cipherSuites) + "; only AEAD suites, and ECDHE key"
            + " exchange in TLS 1.2)");
      }
      if (TLS12_SUITES.contains(suite) && !checkedProtocols.contains(TLS12)) {
        throw new IllegalArgumentException("cipher suite " + suite
            + " is a TLS 1.2 suite, but TLSv1.2 is not among the protocols " + checkedProtocols);
      }
    }
    for (String protocol : checkedProtocols) {
      List<String> usable = protocol.equals(TLS13) ? TLS13_SUITES : TLS12_SUITES;
      if (checkedSuites.stream().noneMatch(usable::contains)) {
        throw new IllegalArgumentException("protocol " + protocol
            + " has no cipher suite among " + checkedSuites + " (it can use " + usable + ")");
      }
    }
    return new TlsPolicy("custom", checkedProtocols, checkedSuites, DEFAULT_GROUPS, false);
  }

  /**
   * This policy with exactly these key-exchange groups, in this order of preference, each of
   * them <em>required</em>: a context whose provider lacks one of them, or cannot set groups per
   * connection at all (the JDK before Java 20), fails at {@code build()} naming it. So
   * {@code withNamedGroups(List.of("X25519MLKEM768"))} is a policy that negotiates the
   * post-quantum hybrid or fails the handshake, and that can only be built where the provider
   * has the hybrid ({@link TlsProvider#BOUNCY_CASTLE}).
   *
   * <p>With {@link TlsProvider#BOUNCY_CASTLE} the list is also the list of curves on which
   * ECDSA may sign and be verified in the handshake (BCJSSE enables {@code
   * ecdsa_secp256r1_sha256} only while {@code secp256r1} is a group, and so on): a hybrid-only
   * policy there works with RSA and Ed25519 certificates, and ECDSA ones need their curve
   * listed too, which then also allows that curve's key exchange. Building such a context logs
   * a warning.
   *
   * @param groups IANA TLS group names: {@code X25519MLKEM768}, {@code SecP256r1MLKEM768},
   *     {@code SecP384r1MLKEM1024} (hybrids, TLS 1.3 only), {@code x25519}, {@code secp256r1},
   *     {@code secp384r1}, {@code secp521r1}, {@code x448}; any case
   * @return the policy
   * @throws IllegalArgumentException naming a group that is not allowed (the finite-field
   *     {@code ffdhe*} groups are not) or listed twice, when none is given, or when a protocol
   *     of the policy could use none of them (TLS 1.2 cannot use a hybrid)
   */
  public TlsPolicy withNamedGroups(List<String> groups) {
    Objects.requireNonNull(groups, "groups");
    List<String> checked = new ArrayList<>(groups.size());
    for (String group : groups) {
      Objects.requireNonNull(group, "group");
      String canonical = canonicalGroup(group.trim());
      if (canonical == null) {
        throw new IllegalArgumentException("key-exchange group not allowed: " + SafeText.quote(group)
            + " (allowed: " + String.join(", ", ALLOWED_GROUPS) + "; no finite-field ffdhe groups)");
      }
      if (checked.contains(canonical)) {
        throw new IllegalArgumentException("key-exchange group listed twice: " + canonical);
      }
      checked.add(canonical);
    }
    if (checked.isEmpty()) {
      throw new IllegalArgumentException("no key-exchange group given: name at least one, such as x25519");
    }
    if (protocols.contains(TLS12) && HYBRID_GROUPS.containsAll(checked)) {
      throw new IllegalArgumentException("protocol TLSv1.2 has no key-exchange group among " + checked
          + ": hybrid groups are TLS 1.3 only; add an elliptic curve such as x25519, or leave TLSv1.2 out");
    }
    if (!protocols.contains(TLS13) && checked.stream().anyMatch(HYBRID_GROUPS::contains)) {
      throw new IllegalArgumentException("hybrid key-exchange groups need TLSv1.3, which is not among the"
          + " protocols " + protocols);
    }
    return new TlsPolicy(name.equals("custom") || name.endsWith("+groups") ? name : name + "+groups",
        protocols, cipherSuites, checked, true);
  }

  /**
   * The key-exchange groups, most preferred first. For a built-in policy these are offered
   * where the provider has them; after {@link #withNamedGroups(List)} each is required.
   *
   * @return the TLS group names, such as {@code X25519MLKEM768} and {@code x25519}
   */
  public List<String> namedGroups() {
    return namedGroups;
  }

  /**
   * Whether every group is required ({@link #withNamedGroups(List)}), rather than offered
   * where the provider has it. Adapters that set groups on a TLS library of their own (such as
   * mtls-netty's OpenSSL provider) follow the same rule: a missing required group fails the
   * build, a missing hybrid of a built-in policy is left out.
   *
   * @return {@code true} after {@link #withNamedGroups(List)}
   */
  public boolean groupsRequired() {
    return groupsRequired;
  }

  /** Whether a group is a hybrid (ECDHE + ML-KEM) one. */
  static boolean isHybrid(String group) {
    return HYBRID_GROUPS.contains(group);
  }

  /**
   * The protocol versions, most preferred first.
   *
   * @return the protocol names, such as {@code TLSv1.3}
   */
  public List<String> protocols() {
    return protocols;
  }

  /**
   * The cipher suites, most preferred first.
   *
   * @return the IANA suite names
   */
  public List<String> cipherSuites() {
    return cipherSuites;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TlsPolicy other
        && protocols.equals(other.protocols)
        && cipherSuites.equals(other.cipherSuites)
        && namedGroups.equals(other.namedGroups)
        && groupsRequired == other.groupsRequired;
  }

  @Override
  public int hashCode() {
    return (protocols.hashCode() * 31 + cipherSuites.hashCode()) * 31 + namedGroups.hashCode()
        + (groupsRequired ? 1 : 0);
  }

  @Override
  public String toString() {
    return "TlsPolicy." + name + protocols + cipherSuites + (groupsRequired ? "groups" : "groups where available")
        + namedGroups;
  }

  private static @Nullable String canonicalGroup(String group) {
    for (String allowed : ALLOWED_GROUPS) {
      if (allowed.equalsIgnoreCase(group)) {
        return allowed;
      }
    }
    return null;
  }

  private static List<String> distinct(List<String> values, String what) {
    List<String> result = new ArrayList<>(values.size());
    for (String value : values) {
      Objects.requireNonNull(value, what);
      String trimmed = value.trim();
      if (trimmed.isEmpty()) {
        throw new IllegalArgumentException("blank " + what + " in " + values);
      }
      String canonical = what.equals("protocol") ? canonicalProtocol(trimmed) : trimmed.toUpperCase(Locale.ROOT);
      if (result.contains(canonical)) {
        throw new IllegalArgumentException(what + " listed twice: " + trimmed);
      }
      result.add(canonical);
    }
    return result;
  }

  /**
   * A protocol name in the JSSE's spelling, from the spellings services use ("TLSv1.3",
   * "tlsv1.3", "tls1.3", "1.3"); any other text comes back as it was.
   */
  static String canonicalProtocol(String protocol) {
    String p = protocol.toLowerCase(Locale.ROOT);
    if (p.equals("tlsv1.3") || p.equals("1.3") || p.equals("tls1.3")) {
      return TLS13;
    }
    if (p.equals("tlsv1.2") || p.equals("1.2") || p.equals("tls1.2")) {
      return TLS12;
    }
    return protocol;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
