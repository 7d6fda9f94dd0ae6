package dev.mtls.testkit;

import java.io.IOException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.util.io.pem.PemObject;

/** Private keys as PEM: PKCS#8 (plain and encrypted), PKCS#1 and SEC 1. */
final class PrivateKeyPem {
  private static final int PBKDF2_ITERATIONS = 2048;

  private PrivateKeyPem() {}

  static String encode(KeyPair keyPair, KeyFormat format) {
    PrivateKey key = keyPair.getPrivate();
    String algorithm = Keys.jdkAlgorithm(key);
    try {
      switch (format) {
        case PKCS8:
          return Pem.encode("PRIVATE KEY", key.getEncoded());
        case PKCS1:
          requireAlgorithm(format, "RSA", algorithm);
          return Pem.encode(
              "RSA PRIVATE KEY",
              PrivateKeyInfo.getInstance(key.getEncoded()).parsePrivateKey().toASN1Primitive()
                  .getEncoded());
        case SEC1:
          requireAlgorithm(format, "EC", algorithm);
          return Pem.encode("EC PRIVATE KEY", sec1(keyPair));
        default:
          throw new IllegalArgumentException("unknown key format: " + format);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode " + algorithm + " key as " + format, e);
    }
  }

  private static void requireAlgorithm(KeyFormat format, String required, String actual) {
    if (!required.equals(actual)) {
      throw new IllegalArgumentException(
          "key format " + format + " holds only " + required + " keys, but this is an "
              + actual + " key (use PKCS8)");
    }
  }

  /**
   * The RFC 5915 structure with the curve and the public key in it: the PKCS#8 form drops
   * them, and OpenSSL needs the curve to read the key.
   */
  private static byte[] sec1(KeyPair keyPair) throws IOException {
    ECPrivateKey key = (ECPrivateKey) keyPair.getPrivate();
    PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
    SubjectPublicKeyInfo publicKey =
        SubjectPublicKeyInfo.getInstance(keyPair.getPublic().getEncoded());
    return new org.bouncycastle.asn1.sec.ECPrivateKey(
            key.getParams().getOrder().bitLength(),
            key.getS(),
            publicKey.getPublicKeyData(),
            info.getPrivateKeyAlgorithm().getParameters())
        .getEncoded();
  }

  static String encrypt(PrivateKey key, char[] password) {
    if (password.length == 0) {
      throw new IllegalArgumentException("password must not be empty");
    }
    try {
      OutputEncryptor encryptor =
          new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
              .setProvider(Keys.PROVIDER)
              .setRandom(Keys.RANDOM)
              .setPRF(PKCS8Generator.PRF_HMACSHA256)
              .setIterationCount(PBKDF2_ITERATIONS)
              .setPassword(password)
              .build();
      PemObject pem = new JcaPKCS8Generator(key, encryptor).generate();
      return Pem.encode(pem.getType(), pem.getContent());
    } catch (OperatorCreationException | IOException e) {
      throw new IllegalStateException(
          "cannot encrypt " + key.getAlgorithm() + " private key: " + e, e);
    }
  }
}
