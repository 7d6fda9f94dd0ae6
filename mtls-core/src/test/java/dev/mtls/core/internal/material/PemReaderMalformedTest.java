package dev.mtls.core.internal.material;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.core.MtlsLoadException;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.KeyDerivationFunc;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/** PEM keys that are well formed but would cost unbounded work to read. */
class PemReaderMalformedTest {
  private static final Path FILE = Path.of("/etc/tls/key.pem");
  private static final char[] PASSWORD = "secret".toCharArray();

  private final IssuedCertificate leaf = TestCa.create().server("localhost");

  @Test
  @Timeout(value = 2, unit = TimeUnit.SECONDS, threadMode = ThreadMode.SEPARATE_THREAD)
  void privateKey_refusesAnEncryptedKey_whoseIterationCountWouldTakeSeconds() throws Exception {
    byte[] pem = withIterationCount(leaf.encryptedPrivateKeyPem(PASSWORD), 9_000_000);
    PemReader.Block block = PemReader.parse("private key", FILE, pem).privateKeys().get(0);

    assertThatThrownBy(() -> PemReader.privateKey("private key", FILE, block, PASSWORD))
        .isInstanceOf(MtlsLoadException.class)
        .hasMessage("cannot load private key from " + FILE + ": the encrypted PKCS#8 key"
            + " (ENCRYPTED PRIVATE KEY at line 1) asks for 9000000 key-derivation iterations;"
            + " at most 1000000 are allowed (OpenSSL writes 2048)");
  }

  @Test
  void privateKey_blamesTheIterationCount_notThePassword_whenTheCountIsHuge() throws Exception {
    byte[] pem = withIterationCount(leaf.encryptedPrivateKeyPem(PASSWORD), Integer.MAX_VALUE);
    PemReader.Block block = PemReader.parse("private key", FILE, pem).privateKeys().get(0);

    assertThatThrownBy(() -> PemReader.privateKey("private key", FILE, block, PASSWORD))
        .isInstanceOf(MtlsLoadException.class)
        .hasMessageContaining("asks for 2147483647 key-derivation iterations")
        .hasMessageNotContaining("password");
  }

  @Test
  void privateKey_refusesAnEncryptedKey_withoutIterations() throws Exception {
    byte[] pem = withIterationCount(leaf.encryptedPrivateKeyPem(PASSWORD), 0);
    PemReader.Block block = PemReader.parse("private key", FILE, pem).privateKeys().get(0);

    assertThatThrownBy(() -> PemReader.privateKey("private key", FILE, block, PASSWORD))
        .isInstanceOf(MtlsLoadException.class)
        .hasMessageContaining("asks for 0 key-derivation iterations");
  }

  /** The same encrypted key with its PBKDF2 iteration count replaced. */
  private static byte[] withIterationCount(String encryptedPem, int iterations) throws Exception {
    PKCS8EncryptedPrivateKeyInfo parsed;
    try (PEMParser parser = new PEMParser(new StringReader(encryptedPem))) {
      parsed = (PKCS8EncryptedPrivateKeyInfo) parser.readObject();
    }
    EncryptedPrivateKeyInfo info = parsed.toASN1Structure();
    PBES2Parameters pbes2 = PBES2Parameters.getInstance(info.getEncryptionAlgorithm().getParameters());
    PBKDF2Params kdf = PBKDF2Params.getInstance(pbes2.getKeyDerivationFunc().getParameters());
    PBES2Parameters changed = new PBES2Parameters(
        new KeyDerivationFunc(PKCSObjectIdentifiers.id_PBKDF2,
            new PBKDF2Params(kdf.getSalt(), iterations, kdf.getPrf())),
        pbes2.getEncryptionScheme());
    byte[] der = new EncryptedPrivateKeyInfo(
        new AlgorithmIdentifier(PKCSObjectIdentifiers.id_PBES2, changed), info.getEncryptedData())
        .getEncoded();
    String base64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return ("-----BEGIN ENCRYPTED PRIVATE KEY-----\n" + base64
        + "\n-----END ENCRYPTED PRIVATE KEY-----\n").getBytes(StandardCharsets.US_ASCII);
  }
}
