package dev.mtls.core.internal.tls;

import java.security.AlgorithmConstraints;
import java.security.AlgorithmParameters;
import java.security.CryptoPrimitive;
import java.security.Key;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The signature algorithms a handshake may use, as {@link AlgorithmConstraints} set on every
 * engine and socket of a context ({@code SSLParameters.setAlgorithmConstraints}, which both
 * providers honour per connection, on every Java version): no SHA-1, SHA-224, MD5 or DSA in
 * a signature, in either direction. The provider then neither offers those signature schemes
 * (in its {@code signature_algorithms} and a server's CertificateRequest), nor signs with
 * them, nor accepts a peer's signature made with them, whatever the client offers.
 *
 * <p>It decides signatures only: key exchange, ciphers and MACs ({@code HmacSHA1} in a TLS
 * 1.2 PRF, say) are the policy's suites' business and pass. The JDK asks about a scheme by
 * its TLS name ({@code ecdsa_sha1}), its key algorithm and its JCA name ({@code SHA1withECDSA});
 * Bouncy Castle by its JCA name. A name is refused when one of its parts (split at {@code _},
 * {@code /} and {@code with}, hyphens dropped) is {@code SHA1}, {@code SHA}, {@code SHA224},
 * {@code MD5}, {@code MD2} or {@code DSA}; {@code ECDSA} and {@code EdDSA} are other parts.
 *
 * <p>Immutable; {@link #INSTANCE} is the one in use. {@link #with(AlgorithmConstraints)}
 * combines it with constraints a container sets, both having to permit.
 */
public final class HandshakeSignatures implements AlgorithmConstraints {
  /** The constraints every engine and socket of a context keeps. */
  public static final HandshakeSignatures INSTANCE = new HandshakeSignatures();

  private static final Set<String> REFUSED_PARTS = Set.of("SHA1", "SHA", "SHA224", "MD5", "MD2", "DSA");
  private static final Pattern PARTS = Pattern.compile("_|/|WITH|AND");

  private HandshakeSignatures() {}

  /**
   * These constraints, together with a container's: both must permit.
   *
   * @param other constraints found on an engine or socket, or {@code null}
   * @return these constraints when {@code other} is null or already includes them, otherwise
   *     both combined
   */
  public static AlgorithmConstraints with(@Nullable AlgorithmConstraints other) {
    if (other == null || other == INSTANCE || other instanceof Both) {
      return other == null ? INSTANCE : other;
    }
    return new Both(other);
  }

  /**
   * Whether a signature algorithm or scheme name is one a handshake must not use.
   *
   * @param name a TLS scheme name ({@code ecdsa_sha1}), a JCA signature algorithm name
   *     ({@code SHA1withECDSA}) or a key algorithm ({@code DSA})
   * @return {@code true} for SHA-1, SHA-224, MD5 and DSA
   */
  public static boolean refuses(String name) {
    String upper = name.toUpperCase(Locale.ROOT).replace("-", "");
    for (String part : PARTS.split(upper)) {
      if (REFUSED_PARTS.contains(part)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean permits(Set<CryptoPrimitive> primitives, String algorithm, @Nullable AlgorithmParameters parameters) {
    return !signs(primitives) || algorithm == null || !refuses(algorithm);
  }

  @Override
  public boolean permits(Set<CryptoPrimitive> primitives, Key key) {
    return !signs(primitives) || key == null || !refuses(key.getAlgorithm());
  }

  @Override
  public boolean permits(Set<CryptoPrimitive> primitives, String algorithm, Key key,
      @Nullable AlgorithmParameters parameters) {
    return permits(primitives, algorithm, parameters) && permits(primitives, key);
  }

  private static boolean signs(@Nullable Set<CryptoPrimitive> primitives) {
    return primitives != null && primitives.contains(CryptoPrimitive.SIGNATURE);
  }

  @Override
  public String toString() {
    return "mtls handshake signatures (no SHA-1, SHA-224, MD5, DSA)";
  }

  /** These constraints and a container's. */
  private static final class Both implements AlgorithmConstraints {
    private final AlgorithmConstraints other;

    Both(AlgorithmConstraints other) {
      this.other = Objects.requireNonNull(other, "other");
    }

    @Override
    public boolean permits(Set<CryptoPrimitive> primitives, String algorithm,
        @Nullable AlgorithmParameters parameters) {
      return INSTANCE.permits(primitives, algorithm, parameters) && other.permits(primitives, algorithm, parameters);
    }

    @Override
    public boolean permits(Set<CryptoPrimitive> primitives, Key key) {
      return INSTANCE.permits(primitives, key) && other.permits(primitives, key);
    }

    @Override
    public boolean permits(Set<CryptoPrimitive> primitives, String algorithm, Key key,
        @Nullable AlgorithmParameters parameters) {
      return INSTANCE.permits(primitives, algorithm, key, parameters)
          && other.permits(primitives, algorithm, key, parameters);
    }

    @Override
    public String toString() {
      return INSTANCE + " and " + other;
    }
  }
}
