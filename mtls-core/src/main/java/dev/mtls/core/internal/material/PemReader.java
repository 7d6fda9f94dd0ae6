package dev.mtls.core.internal.material;

import dev.mtls.core.internal.BouncyCastle;

import dev.mtls.core.MaterialLimits;
import dev.mtls.core.MtlsLoadException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.KeyDerivationFunc;
import org.bouncycastle.asn1.pkcs.PBEParameter;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCS12PBEParams;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;
import org.jspecify.annotations.Nullable;

/**
 * Reads PEM files: certificates and private keys in every form OpenSSL writes. The only code
 * in the library that touches Bouncy Castle's PEM classes.
 *
 * <p>The PEM framing is checked here before anything is decoded, so that a file caught
 * half-written (a {@code -----BEGIN} without its {@code -----END}, base64 cut short) is an
 * error and never a partial load: hot reload relies on that. Text before, between and after
 * blocks is ignored, as OpenSSL does.
 *
 * <p>Keys come back as the JDK's own key objects and certificates from the JDK's
 * {@code CertificateFactory}, so that SunJSSE can use them.
 */
public final class PemReader {
  private static final Pattern BEGIN = Pattern.compile("^-----BEGIN ([A-Z0-9 ]+)-----$");
  private static final Pattern END = Pattern.compile("^-----END ([A-Z0-9 ]+)-----$");

  private static final Map<ASN1ObjectIdentifier, String> KEY_ALGORITHMS = Map.of(
      PKCSObjectIdentifiers.rsaEncryption, "RSA",
      PKCSObjectIdentifiers.id_RSASSA_PSS, "RSASSA-PSS",
      X9ObjectIdentifiers.id_ecPublicKey, "EC",
      EdECObjectIdentifiers.id_Ed25519, "Ed25519",
      EdECObjectIdentifiers.id_Ed448, "Ed448");

  /**
   * The most key-derivation iterations an encrypted key may ask for, about a second of work:
   * OpenSSL writes 2048, keytool 10,000, and the highest current guidance for PBKDF2-HMAC-SHA256
   * (OWASP) is 600,000.
   */
  static final int MAX_KEY_ITERATIONS = 1_000_000;

  private static final Set<ASN1ObjectIdentifier> PBES1 = Set.of(
      PKCSObjectIdentifiers.pbeWithMD2AndDES_CBC, PKCSObjectIdentifiers.pbeWithMD2AndRC2_CBC,
      PKCSObjectIdentifiers.pbeWithMD5AndDES_CBC, PKCSObjectIdentifiers.pbeWithMD5AndRC2_CBC,
      PKCSObjectIdentifiers.pbeWithSHA1AndDES_CBC, PKCSObjectIdentifiers.pbeWithSHA1AndRC2_CBC);

  private PemReader() {}

  /**
   * One framed PEM block: its type, where it starts, and its complete text.
   *
   * @param type the label, such as {@code CERTIFICATE} or {@code EC PRIVATE KEY}
   * @param line the 1-based line of its {@code -----BEGIN} line
   * @param text the block from {@code -----BEGIN} to {@code -----END}, inclusive
   * @param der the decoded body, or empty when the body is encrypted (RFC 1421 headers)
   */
  public record Block(String type, int line, String text, byte[] der) {
    /**
     * Whether this block holds a private key (of any form, encrypted or not).
     *
     * @return true for {@code PRIVATE KEY}, {@code RSA PRIVATE KEY} and the like
     */
    public boolean isPrivateKey() {
      return type.endsWith("PRIVATE KEY");
    }

    boolean isCertificate() {
      return type.equals("CERTIFICATE") || type.equals("X509 CERTIFICATE")
          || type.equals("TRUSTED CERTIFICATE");
    }

    @Override
    public String toString() {
      // Never the body: it may be a key.
      return type + " at line " + line;
    }
  }

  /**
   * What a PEM file holds: its certificates in file order and its private-key blocks, still
   * undecoded (decoding may need a password, and trust files never need their keys).
   *
   * @param file the file read
   * @param certificates the certificates, in file order
   * @param privateKeys the private-key blocks, in file order
   * @param blocks every block of the file, for messages
   */
  public record Contents(
      Path file, List<X509Certificate> certificates, List<Block> privateKeys, List<Block> blocks) {
    /** Copies the lists. */
    public Contents {
      certificates = List.copyOf(certificates);
      privateKeys = List.copyOf(privateKeys);
      blocks = List.copyOf(blocks);
    }

    /**
     * Names the blocks found, such as {@code "2 CERTIFICATE, 1 EC PARAMETERS"}, for messages.
     *
     * @return a summary of the block types, or {@code "no PEM blocks"}
     */
    public String summary() {
      if (blocks.isEmpty()) {
        return "no PEM blocks";
      }
      Map<String, Long> counts = blocks.stream()
          .collect(Collectors.groupingBy(Block::type, LinkedHashMap::new, Collectors.counting()));
      return counts.entrySet().stream()
          .map(e -> e.getValue() + " " + e.getKey())
          .collect(Collectors.joining(", "));
    }
  }

  /**
   * Reads a PEM file: frames every block, parses every certificate.
   *
   * @param what what the file should hold, for messages, such as {@code "certificate chain"}
   * @param file the file
   * @param limits the limits of the source reading it
   * @return its contents
   * @throws MtlsLoadException if the file cannot be read or is too large, holds no PEM at
   *     all, holds a truncated or corrupt block, or a certificate that does not parse
   */
  public static Contents read(String what, Path file, MaterialLimits limits) {
    return parse(what, file, MaterialFiles.read(what, file, limits));
  }

  /**
   * Parses the bytes of a PEM file already read: frames every block, parses every
   * certificate.
   *
   * @param what what the file should hold, for messages
   * @param file the file the bytes came from, for messages
   * @param bytes its bytes, not empty
   * @return its contents
   * @throws MtlsLoadException if the bytes hold no PEM at all, a truncated or corrupt block,
   *     or a certificate that does not parse
   */
  static Contents parse(String what, Path file, byte[] bytes) {
    List<Block> blocks = frame(what, file, bytes);
    if (blocks.isEmpty()) {
      throw new MtlsLoadException(what, file, notPemProblem(bytes));
    }
    List<X509Certificate> certificates = new ArrayList<>();
    List<Block> keys = new ArrayList<>();
    for (Block block : blocks) {
      if (block.isCertificate()) {
        certificates.add(certificate(what, file, block));
      } else if (block.isPrivateKey()) {
        keys.add(block);
      }
    }
    return new Contents(file, certificates, keys, blocks);
  }

  /**
   * Decodes one private-key block into a JDK key object.
   *
   * <p>A password given for a key that is not encrypted is accepted quietly: the key is
   * readable either way, and rejecting it would break a deployment that moves from an
   * encrypted to a plain key file before its configuration catches up.
   *
   * @param what what is being loaded, for messages
   * @param file the file the block came from
   * @param block a block for which {@link Block#isPrivateKey()} holds
   * @param password the password of an encrypted key, or {@code null}
   * @return the key, as the JDK's own key object
   * @throws MtlsLoadException naming the file and the problem: encrypted without password,
   *     wrong password, corrupt or unsupported key
   */
  public static PrivateKey privateKey(
      String what, Path file, Block block, char @Nullable [] password) {
    Object parsed;
    try (PEMParser parser = new PEMParser(new StringReader(block.text()))) {
      parsed = parser.readObject();
    } catch (IOException | RuntimeException e) {
      throw new MtlsLoadException(what, file,
          "private key (" + block + ") is corrupt: " + e.getMessage(), e);
    }
    PrivateKeyInfo info;
    if (parsed instanceof PrivateKeyInfo plain) {
      info = plain;
    } else if (parsed instanceof PEMKeyPair pair) {
      info = pair.getPrivateKeyInfo();
    } else if (parsed instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
      info = decrypt(what, file, block, encrypted, password);
    } else if (parsed instanceof PEMEncryptedKeyPair legacy) {
      info = decryptLegacy(what, file, block, legacy, password);
    } else {
      throw new MtlsLoadException(what, file,
          "unsupported private key format (" + block + ")");
    }
    return toJdkKey(what, file, block, info);
  }

  private static PrivateKeyInfo decrypt(String what, Path file, Block block,
      PKCS8EncryptedPrivateKeyInfo encrypted, char @Nullable [] password) {
    if (password == null) {
      throw new MtlsLoadException(what, file,
          "encrypted PKCS#8 key but no password was given (" + block + ")");
    }
    checkIterationCount(what, file, block, encrypted.getEncryptionAlgorithm());
    try {
      return encrypted.decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder()
          .setProvider(BouncyCastle.PROVIDER)
          .build(password));
    } catch (PKCSException | RuntimeException e) {
      // A wrong password shows up as bad padding or, rarely, as garbage that does not parse.
      throw new MtlsLoadException(what, file,
          "wrong password for the encrypted PKCS#8 key (" + block + "): decryption failed", e);
    } catch (OperatorCreationException e) {
      throw new MtlsLoadException(what, file,
          "unsupported encryption of the PKCS#8 key (" + block + "): " + e.getMessage(), e);
    }
  }

  /**
   * Refuses an iteration count that would make decrypting a key cost more than about a second,
   * before Bouncy Castle spends it: the count is a few bytes of the file. Bouncy Castle stops
   * only at 10,000,000 (ten seconds), and then says the password is wrong.
   */
  private static void checkIterationCount(
      String what, Path file, Block block, AlgorithmIdentifier scheme) {
    BigInteger count;
    try {
      count = iterationCount(scheme);
    } catch (RuntimeException e) {
      throw new MtlsLoadException(what, file, "the encryption parameters of the PKCS#8 key ("
          + block + ") are malformed: " + e.getMessage(), e);
    }
    if (count != null && (count.signum() <= 0
        || count.compareTo(BigInteger.valueOf(MAX_KEY_ITERATIONS)) > 0)) {
      throw new MtlsLoadException(what, file, "the encrypted PKCS#8 key (" + block
          + ") asks for " + count + " key-derivation iterations; at most " + MAX_KEY_ITERATIONS
          + " are allowed (OpenSSL writes 2048)");
    }
  }

  /** The iteration count of a PKCS#5 or PKCS#12 password-based scheme, or null for others. */
  private static @Nullable BigInteger iterationCount(AlgorithmIdentifier scheme) {
    ASN1ObjectIdentifier oid = scheme.getAlgorithm();
    if (oid.equals(PKCSObjectIdentifiers.id_PBES2)) {
      KeyDerivationFunc kdf =
          PBES2Parameters.getInstance(scheme.getParameters()).getKeyDerivationFunc();
      return kdf.getAlgorithm().equals(PKCSObjectIdentifiers.id_PBKDF2)
          ? PBKDF2Params.getInstance(kdf.getParameters()).getIterationCount()
          : null;
    }
    if (oid.on(PKCSObjectIdentifiers.pkcs_12PbeIds)) {
      return PKCS12PBEParams.getInstance(scheme.getParameters()).getIterations();
    }
    if (PBES1.contains(oid)) {
      return PBEParameter.getInstance(scheme.getParameters()).getIterationCount();
    }
    return null; // a scheme Bouncy Castle refuses anyway
  }

  private static PrivateKeyInfo decryptLegacy(String what, Path file, Block block,
      PEMEncryptedKeyPair encrypted, char @Nullable [] password) {
    if (password == null) {
      throw new MtlsLoadException(what, file,
          "encrypted key (OpenSSL legacy encryption) but no password was given (" + block + ")");
    }
    try {
      return encrypted.decryptKeyPair(new JcePEMDecryptorProviderBuilder()
          .setProvider(BouncyCastle.PROVIDER)
          .build(password)).getPrivateKeyInfo();
    } catch (IOException | RuntimeException e) {
      throw new MtlsLoadException(what, file,
          "wrong password for the encrypted key (" + block + "): decryption failed", e);
    }
  }

  /**
   * Turns a PKCS#8 structure into the JDK's own key object, through the JDK's
   * {@code KeyFactory}, so that SunJSSE accepts it.
   */
  static PrivateKey toJdkKey(String what, Path file, Block block, PrivateKeyInfo info) {
    ASN1ObjectIdentifier oid = info.getPrivateKeyAlgorithm().getAlgorithm();
    String algorithm = KEY_ALGORITHMS.get(oid);
    if (algorithm == null) {
      throw new MtlsLoadException(what, file,
          "unsupported private key algorithm " + oid + " (" + block
              + "); supported: RSA, EC, Ed25519, Ed448");
    }
    try {
      // Re-encode as a version 1 PKCS#8 structure: JDK 17 rejects the version 2 form (with
      // the public key attached) that some tools write for Ed25519.
      byte[] encoded = new PrivateKeyInfo(info.getPrivateKeyAlgorithm(), info.parsePrivateKey())
          .getEncoded();
      return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(encoded));
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw new MtlsLoadException(what, file,
          "the " + algorithm + " private key (" + block + ") cannot be used: " + e.getMessage(), e);
    }
  }

  private static X509Certificate certificate(String what, Path file, Block block) {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(block.der()));
    } catch (CertificateException | RuntimeException e) {
      throw new MtlsLoadException(what, file,
          block + " is not a valid X.509 certificate: " + e.getMessage(), e);
    }
  }

  private static List<Block> frame(String what, Path file, byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    String[] lines = text.split("\r?\n|\r", -1);
    List<Block> blocks = new ArrayList<>();
    int i = 0;
    while (i < lines.length) {
      Matcher begin = BEGIN.matcher(lines[i].strip().replace("\uFEFF", ""));
      if (!begin.matches()) {
        i++;
        continue;
      }
      String type = begin.group(1);
      int start = i;
      StringBuilder block = new StringBuilder("-----BEGIN ").append(type).append("-----\n");
      StringBuilder body = new StringBuilder();
      boolean headers = false;
      i++;
      while (true) {
        if (i >= lines.length) {
          throw new MtlsLoadException(what, file, "truncated PEM block: -----BEGIN " + type
              + "----- at line " + (start + 1) + " has no -----END " + type
              + "----- line (file cut short or still being written?)");
        }
        String line = lines[i].strip();
        if (BEGIN.matcher(line).matches()) {
          throw new MtlsLoadException(what, file, "truncated PEM block: -----BEGIN " + type
              + "----- at line " + (start + 1) + " has no -----END " + type
              + "----- line before the next -----BEGIN at line " + (i + 1));
        }
        Matcher end = END.matcher(line);
        if (end.matches()) {
          if (!end.group(1).equals(type)) {
            throw new MtlsLoadException(what, file, "malformed PEM block: -----BEGIN " + type
                + "----- at line " + (start + 1) + " is closed by -----END " + end.group(1)
                + "----- at line " + (i + 1));
          }
          block.append(line).append('\n');
          break;
        }
        if (line.contains(":")) {
          headers = true; // RFC 1421 headers (Proc-Type, DEK-Info): the body is encrypted
        } else {
          body.append(line);
        }
        block.append(line).append('\n');
        i++;
      }
      Block framed = new Block(type, start + 1, block.toString(),
          decodeBody(what, file, type, start + 1, body.toString(), headers));
      blocks.add(framed);
      i++;
    }
    return blocks;
  }

  private static byte[] decodeBody(
      String what, Path file, String type, int line, String body, boolean headers) {
    byte[] der;
    try {
      der = Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw new MtlsLoadException(what, file, "corrupt PEM block: " + type + " at line " + line
          + " is not valid base64 (" + e.getMessage() + ")", e);
    }
    if (der.length == 0) {
      throw new MtlsLoadException(what, file,
          "empty PEM block: " + type + " at line " + line + " has no content");
    }
    if (headers) {
      return new byte[0];
    }
    long declared = derLength(der);
    if (declared < 0 || declared > der.length) {
      throw new MtlsLoadException(what, file, "truncated PEM block: " + type + " at line " + line
          + " holds " + der.length + " bytes but its content "
          + (declared < 0 ? "does not start like DER" : "announces " + declared)
          + " (file cut short or still being written?)");
    }
    return der;
  }

  /** The total length that the outer DER element announces (tag + length + content), or -1. */
  private static long derLength(byte[] der) {
    if (der.length < 2 || (der[0] & 0x1f) == 0x1f) {
      return -1;
    }
    int first = der[1] & 0xff;
    if (first < 0x80) {
      return 2L + first;
    }
    int count = first & 0x7f;
    if (count == 0 || count > 4 || der.length < 2 + count) {
      return -1;
    }
    long length = 0;
    for (int k = 0; k < count; k++) {
      length = (length << 8) | (der[2 + k] & 0xff);
    }
    return 2L + count + length;
  }

  private static String notPemProblem(byte[] bytes) {
    if ((bytes[0] & 0xff) == 0x30) {
      return "not PEM: the file looks like binary DER or PKCS#12 (convert DER with"
          + " 'openssl x509 -inform der' or 'openssl pkey -inform der', or load a PKCS#12"
          + " file as PKCS#12)";
    }
    return "not PEM: no -----BEGIN line found in the file";
  }
}
