package dev.mtls.core.internal.material;

import java.io.IOException;
import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed448PrivateKeyParameters;
import org.bouncycastle.jcajce.provider.asymmetric.util.EC5Util;
import org.bouncycastle.math.ec.ECPoint;

/**
 * Decides whether a private key belongs to a public key by comparing public keys, never by
 * signing: the JDK's signature path costs about a millisecond, this costs microseconds (RSA)
 * to a few hundred microseconds (one EC point multiplication in Bouncy Castle).
 */
final class KeyMatch {
  private KeyMatch() {}

  /**
   * Whether {@code privateKey} is the private half of {@code publicKey}.
   *
   * @param privateKey the private key
   * @param publicKey a certificate's public key
   * @return true when they form a key pair
   * @throws IllegalArgumentException when the key type is one this library does not support
   */
  static boolean matches(PrivateKey privateKey, PublicKey publicKey) {
    if (privateKey instanceof RSAPrivateKey rsa) {
      return publicKey instanceof RSAPublicKey rsaPublic && rsaMatches(rsa, rsaPublic);
    }
    if (privateKey instanceof ECPrivateKey ec) {
      return publicKey instanceof ECPublicKey ecPublic && ecMatches(ec, ecPublic);
    }
    String algorithm = privateKey.getAlgorithm();
    if (algorithm.equals("Ed25519") || algorithm.equals("Ed448") || algorithm.equals("EdDSA")) {
      return edDsaMatches(privateKey, publicKey);
    }
    throw new IllegalArgumentException("unsupported private key algorithm " + algorithm
        + " (supported: RSA, EC, Ed25519, Ed448)");
  }

  private static boolean rsaMatches(RSAPrivateKey key, RSAPublicKey publicKey) {
    if (!key.getModulus().equals(publicKey.getModulus())) {
      return false;
    }
    // Without CRT parameters the modulus alone must do; it is unique to the key pair.
    return !(key instanceof RSAPrivateCrtKey crt)
        || crt.getPublicExponent().equals(publicKey.getPublicExponent());
  }

  private static boolean ecMatches(ECPrivateKey key, ECPublicKey publicKey) {
    // The JDK's ECPrivateKey does not carry its public point: derive it, Q = d * G.
    var params = EC5Util.convertSpec(key.getParams());
    var publicParams = EC5Util.convertSpec(publicKey.getParams());
    if (!params.getN().equals(publicParams.getN())
        || !params.getCurve().equals(publicParams.getCurve())) {
      return false; // different curves
    }
    ECPoint q = params.getG().multiply(key.getS()).normalize();
    BigInteger x = q.getAffineXCoord().toBigInteger();
    BigInteger y = q.getAffineYCoord().toBigInteger();
    return x.equals(publicKey.getW().getAffineX()) && y.equals(publicKey.getW().getAffineY());
  }

  private static boolean edDsaMatches(PrivateKey key, PublicKey publicKey) {
    try {
      PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
      SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(publicKey.getEncoded());
      if (!info.getPrivateKeyAlgorithm().getAlgorithm()
          .equals(spki.getAlgorithm().getAlgorithm())) {
        return false;
      }
      byte[] seed = ASN1OctetString.getInstance(info.parsePrivateKey()).getOctets();
      byte[] derived = info.getPrivateKeyAlgorithm().getAlgorithm()
              .equals(EdECObjectIdentifiers.id_Ed25519)
          ? new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded()
          : new Ed448PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded();
      return Arrays.equals(derived, spki.getPublicKeyData().getOctets());
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("cannot read the " + key.getAlgorithm()
          + " key's encoding: " + e.getMessage(), e);
    }
  }
}
