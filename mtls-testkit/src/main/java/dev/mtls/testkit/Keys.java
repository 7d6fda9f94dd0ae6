package dev.mtls.testkit;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Locale;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Key generation and conversion. Bouncy Castle makes the keys (it is several times faster
 * than the JDK for EC); the keys handed to tests are the JDK's own, so that SunJSSE and the
 * JDK key stores take them without surprise.
 *
 * <p>The Bouncy Castle provider is a private instance: it is never registered with {@code
 * java.security.Security}, so the testkit changes nothing JVM-wide.
 */
final class Keys {
  /** The testkit's own provider instance, passed explicitly to every Bouncy Castle builder. */
  static final Provider PROVIDER = new BouncyCastleProvider();

  static final SecureRandom RANDOM = new SecureRandom();

  private Keys() {}

  /** Generates a Bouncy Castle key pair of the given type (fast; for signing). */
  static KeyPair generate(KeyType type) {
    try {
      KeyPairGenerator generator;
      switch (type) {
        case EC_P256:
          generator = KeyPairGenerator.getInstance("EC", PROVIDER);
          generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
          break;
        case EC_P384:
          generator = KeyPairGenerator.getInstance("EC", PROVIDER);
          generator.initialize(new ECGenParameterSpec("secp384r1"), RANDOM);
          break;
        case RSA_2048:
          generator = rsa(2048);
          break;
        case RSA_3072:
          generator = rsa(3072);
          break;
        case RSA_4096:
          generator = rsa(4096);
          break;
        case ED25519:
          generator = KeyPairGenerator.getInstance("Ed25519", PROVIDER);
          break;
        default:
          throw new IllegalArgumentException("unknown key type: " + type);
      }
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate a " + type + " key pair: " + e, e);
    }
  }

  private static KeyPairGenerator rsa(int bits) throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA", PROVIDER);
    generator.initialize(bits, RANDOM);
    return generator;
  }

  /**
   * Returns the JDK's own object for {@code key}, read back from its PKCS#8 encoding through
   * the default providers. Bouncy Castle's key classes are not what SunJSSE and the PKCS12 key
   * store expect (Ed25519 in particular).
   */
  static PrivateKey toJdk(PrivateKey key) {
    String algorithm = jdkAlgorithm(key);
    try {
      // PKCS#8 v1 (no embedded public key): the form every JDK since 11 reads.
      byte[] encoded = v1Encoding(key.getEncoded());
      return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(encoded));
    } catch (GeneralSecurityException | IOException | RuntimeException e) {
      throw new IllegalStateException(
          "cannot convert a " + key.getAlgorithm() + " private key to a JDK key: " + e, e);
    }
  }

  private static byte[] v1Encoding(byte[] pkcs8) throws IOException {
    PrivateKeyInfo info = PrivateKeyInfo.getInstance(pkcs8);
    if (info.getVersion().intValueExact() == 0) {
      return pkcs8;
    }
    return new PrivateKeyInfo(info.getPrivateKeyAlgorithm(), info.parsePrivateKey()).getEncoded();
  }

  /**
   * Returns a Bouncy Castle key object for a JDK private key, read back from its PKCS#8
   * encoding, so that a key loaded from a file signs exactly as a key made here does.
   */
  static PrivateKey toBc(PrivateKey key) {
    String algorithm = jdkAlgorithm(key);
    try {
      return KeyFactory.getInstance(algorithm, PROVIDER)
          .generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IllegalArgumentException(
          "cannot read a " + key.getAlgorithm() + " private key: " + e, e);
    }
  }

  /** The key type of a public key, for the key types the testkit makes. */
  static KeyType typeOf(PublicKey key) {
    switch (jdkAlgorithm(key)) {
      case "EC":
        int bits = ((ECKey) key).getParams().getOrder().bitLength();
        if (bits == 256) {
          return KeyType.EC_P256;
        }
        if (bits == 384) {
          return KeyType.EC_P384;
        }
        throw new IllegalArgumentException("unsupported EC curve of " + bits + " bits: the testkit"
            + " handles P-256 and P-384");
      case "RSA":
        int size = ((RSAKey) key).getModulus().bitLength();
        if (size == 2048) {
          return KeyType.RSA_2048;
        }
        if (size == 3072) {
          return KeyType.RSA_3072;
        }
        if (size == 4096) {
          return KeyType.RSA_4096;
        }
        throw new IllegalArgumentException("unsupported RSA key size " + size + ": the testkit"
            + " handles 2048, 3072 and 4096 bits");
      default:
        return KeyType.ED25519;
    }
  }

  /** The JDK algorithm name of a key: EC, RSA or Ed25519. */
  static String jdkAlgorithm(java.security.Key key) {
    String algorithm = key.getAlgorithm().toUpperCase(Locale.ROOT);
    switch (algorithm) {
      case "EC":
      case "ECDSA":
        return "EC";
      case "RSA":
        return "RSA";
      case "ED25519":
      case "EDDSA":
        return "Ed25519";
      default:
        throw new IllegalArgumentException(
            "unsupported key algorithm " + key.getAlgorithm() + ": the testkit handles EC, RSA and"
                + " Ed25519 keys");
    }
  }

  /** The signature algorithm a CA with this key signs with. */
  static String signatureAlgorithm(PrivateKey key) {
    switch (jdkAlgorithm(key)) {
      case "EC":
        int bits = key instanceof ECKey ? ((ECKey) key).getParams().getOrder().bitLength() : 256;
        return bits > 256 ? "SHA384withECDSA" : "SHA256withECDSA";
      case "RSA":
        return "SHA256withRSA";
      default:
        return "Ed25519";
    }
  }

  /** Whether the key is an RSA key (RSA leaves also get keyEncipherment by default). */
  static boolean isRsa(PublicKey key) {
    return jdkAlgorithm(key).equals("RSA");
  }
}
