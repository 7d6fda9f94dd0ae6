package dev.mtls.cli.describe;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A private key described without its material: type and size only, never a byte of the key,
 * and which certificate's public key it belongs to.
 */
public final class KeyDetails {
  private static final SecureRandom RANDOM = new SecureRandom();

  private KeyDetails() {}

  /**
   * The fields of a private key.
   *
   * @param key the key
   * @return {@code keyType} and {@code keySize}, in that order
   */
  public static Map<String, Object> of(PrivateKey key) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("keyType", key.getAlgorithm().equals("EdDSA") ? "Ed25519" : key.getAlgorithm());
    fields.put("keySize", size(key));
    return fields;
  }

  /**
   * The size of a private key in bits (the curve's field size for EC; 255 for Ed25519).
   *
   * @param key the key
   * @return its size, or 0 where the notion does not apply
   */
  public static int size(PrivateKey key) {
    if (key instanceof RSAPrivateKey rsa) {
      return rsa.getModulus().bitLength();
    }
    if (key instanceof ECPrivateKey ec) {
      return ec.getParams().getCurve().getField().getFieldSize();
    }
    return key.getAlgorithm().equals("Ed25519") || key.getAlgorithm().equals("EdDSA") ? 255 : 0;
  }

  /**
   * Whether a private key belongs to a public key: a random probe signed with one verifies with
   * the other.
   *
   * @param key the private key
   * @param publicKey a certificate's public key
   * @return true when they form a key pair
   */
  public static boolean matches(PrivateKey key, PublicKey publicKey) {
    if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
      return false;
    }
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      default -> key.getAlgorithm();
    };
    try {
      byte[] probe = new byte[32];
      RANDOM.nextBytes(probe);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }
}
