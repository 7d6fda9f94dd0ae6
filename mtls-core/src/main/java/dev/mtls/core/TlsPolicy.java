package dev.mtls.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Which TLS protocol versions and cipher suites a context may negotiate. Only AEAD suites
 * are ever allowed, and in TLS 1.2 only with ECDHE key exchange: no CBC, no RC4, no static
 * RSA key exchange.
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
 * }</pre>
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

  /** TLS 1.3 only, with AES-256-GCM, ChaCha20-Poly1305 and AES-128-GCM. The default. */
  public static final TlsPolicy MODERN = new TlsPolicy("MODERN", List.of(TLS13), TLS13_SUITES);

  /**
   * TLS 1.3 as {@link #MODERN}, plus TLS 1.2 with ECDHE key exchange and AEAD suites only
   * (AES-GCM, ChaCha20-Poly1305), for peers that cannot do TLS 1.3. An explicit opt-in.
   */
  public static final TlsPolicy COMPATIBLE = new TlsPolicy("COMPATIBLE", List.of(TLS13, TLS12),
      concat(TLS13_SUITES, TLS12_SUITES));

  private final String name;
  private final List<String> protocols;
  private final List<String> cipherSuites;

  private TlsPolicy(String name, List<String> protocols, List<String> cipherSuites) {
    this.name = name;
    this.protocols = List.copyOf(protocols);
    this.cipherSuites = List.copyOf(cipherSuites);
  }

  /**
   * A policy narrower than the built-in ones: some of their protocols and suites, in the
   * order of preference given. Anything outside {@link #COMPATIBLE} is refused, so a
   * policy can never let in CBC, static RSA or protocols older than TLS 1.2.
   *
   * @param protocols {@code "TLSv1.3"} and/or {@code "TLSv1.2"}
   * @param cipherSuites IANA suite names, each usable with one of the protocols
   * @return the policy
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
    return new TlsPolicy("custom", checkedProtocols, checkedSuites);
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
        && cipherSuites.equals(other.cipherSuites);
  }

  @Override
  public int hashCode() {
    return protocols.hashCode() * 31 + cipherSuites.hashCode();
  }

  @Override
  public String toString() {
    return "TlsPolicy." + name + protocols + cipherSuites;
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
