package dev.mtls.core;

import dev.mtls.core.internal.BouncyCastle;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.KeyFormat;
import dev.mtls.testkit.KeyType;
import dev.mtls.testkit.RevocationReason;
import dev.mtls.testkit.TestCa;
import dev.mtls.testkit.TestClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CRLException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.IssuingDistributionPoint;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS12PfxPduBuilder;
import org.bouncycastle.pkcs.PKCS12SafeBag;
import org.bouncycastle.pkcs.PKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCS12MacCalculatorBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEOutputEncryptorBuilder;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Seed inputs for the fuzz tests, made at run time with the testkit: nothing here is checked
 * in, and the private keys exist only in memory and in the fuzzer's corpus under
 * {@code target/}. Each seed is a well-formed file of its kind, so that the fuzzer starts from
 * inputs that reach deep into the parsers instead of from nothing.
 *
 * <p>PKCS#12 seeds are written with a low PBKDF2 iteration count: the format's work factor
 * is not what is fuzzed, and the JDK's default (10,000 per MAC, certificate bag and key) would
 * cap the fuzzer at a few dozen inputs a second.
 */
public final class FuzzSeeds {
  /** The password every encrypted seed uses, and that the fuzz tests decrypt with. */
  public static final String PASSWORD = "fuzz-password";

  private static final int PKCS12_ITERATIONS = 16;

  private FuzzSeeds() {}

  /**
   * PEM files holding certificates: single certificates of each key type, chains, bundles,
   * and text around and between the blocks.
   *
   * @return named seeds
   */
  public static Stream<Arguments> certificatePems() {
    Material m = Material.get();
    return Stream.of(
        seed("ca.pem", m.root.certificatePem()),
        seed("leaf.pem", m.ecLeaf.certificatePem()),
        seed("chain.pem", m.chainLeaf.chainPem()),
        seed("fullchain.pem", m.chainLeaf.fullChainPem()),
        seed("rsa.pem", m.rsaLeaf.certificatePem()),
        seed("ed25519.pem", m.edLeaf.certificatePem()),
        seed("bundle-with-text.pem", "# CA bundle\nsubject=" + m.root.subject().getName() + "\n"
            + m.root.certificatePem() + "\r\n\r\ncomment between\r\n"
            + m.intermediate.certificatePem().replace("CERTIFICATE", "X509 CERTIFICATE")),
        seed("cert-and-key.pem", m.ecLeaf.certificatePem() + m.ecLeaf.privateKeyPem()));
  }

  /**
   * PEM files holding one private key each, in every form the reader supports: PKCS#8 (plain
   * and encrypted with {@link #PASSWORD}), PKCS#1, SEC 1, and OpenSSL's legacy encryption.
   *
   * @return named seeds
   */
  public static Stream<Arguments> privateKeyPems() {
    Material m = Material.get();
    char[] password = PASSWORD.toCharArray();
    return Stream.of(
        seed("ec-pkcs8.pem", m.ecLeaf.privateKeyPem(KeyFormat.PKCS8)),
        seed("ec-sec1.pem", m.ecLeaf.privateKeyPem(KeyFormat.SEC1)),
        seed("rsa-pkcs1.pem", m.rsaLeaf.privateKeyPem(KeyFormat.PKCS1)),
        seed("rsa-pkcs8.pem", m.rsaLeaf.privateKeyPem(KeyFormat.PKCS8)),
        seed("ed25519-pkcs8.pem", m.edLeaf.privateKeyPem()),
        seed("ec-encrypted-pkcs8.pem", m.ecLeaf.encryptedPrivateKeyPem(password)),
        seed("ed25519-encrypted-pkcs8.pem", m.edLeaf.encryptedPrivateKeyPem(password)),
        // a three-octet iteration count, one mutation away from a count that takes hours
        seed("ec-encrypted-65536.pem", encrypted(m.ecLeaf.privateKey(), 65_536)),
        seed("ec-legacy-encrypted.pem", legacyEncrypted(m.ecLeaf.privateKey())),
        seed("rsa-legacy-encrypted.pem", legacyEncrypted(m.rsaLeaf.privateKey())));
  }

  /**
   * PEM identities: a chain and its key in one file, the forms {@code IdentitySource.pemFiles}
   * reads when certificate and key share a file.
   *
   * @return named seeds
   */
  public static Stream<Arguments> identityPems() {
    Material m = Material.get();
    char[] password = PASSWORD.toCharArray();
    return Stream.of(
        seed("ec-identity.pem", m.ecLeaf.certificatePem() + m.ecLeaf.privateKeyPem()),
        seed("chain-identity.pem", m.chainLeaf.chainPem() + m.chainLeaf.privateKeyPem()),
        seed("rsa-identity.pem", m.rsaLeaf.certificatePem()
            + m.rsaLeaf.privateKeyPem(KeyFormat.PKCS1)),
        seed("ed25519-identity.pem", m.edLeaf.certificatePem() + m.edLeaf.privateKeyPem()),
        seed("encrypted-identity.pem", m.ecLeaf.certificatePem()
            + m.ecLeaf.encryptedPrivateKeyPem(password)),
        seed("sec1-identity.pem", m.ecLeaf.privateKeyPem(KeyFormat.SEC1)
            + m.ecLeaf.certificatePem()));
  }

  /**
   * PKCS#12 files protected by {@link #PASSWORD}: identities (one key entry with its chain)
   * and trust stores (trusted-certificate entries), as the JDK writes them and, with a low
   * iteration count, as Bouncy Castle does.
   *
   * @return named seeds
   */
  public static Stream<Arguments> pkcs12Stores() {
    Material m = Material.get();
    char[] password = PASSWORD.toCharArray();
    return Stream.of(
        seed("jdk-identity.p12", store(m.ecLeaf.keyStore(password), password)),
        seed("jdk-truststore.p12", store(m.root.trustStore(), password)),
        seed("ec-identity.p12", pkcs12Identity(m.ecLeaf)),
        seed("chain-identity.p12", pkcs12Identity(m.chainLeaf)),
        seed("rsa-identity.p12", pkcs12Identity(m.rsaLeaf)),
        seed("truststore.p12", pkcs12Trust(m.root.certificate(), m.intermediate.certificate())));
  }

  /**
   * CRLs in PEM and DER: empty, with revoked serials (with and without reasons), many entries,
   * several CRLs in one file, an issuing distribution point, and no nextUpdate.
   *
   * @return named seeds
   */
  public static Stream<Arguments> crls() {
    Material m = Material.get();
    List<Arguments> seeds = new ArrayList<>();
    seeds.add(seed("empty.crl", der(m.emptyCrlCa.crl())));
    seeds.add(seed("revoked.crl", der(m.root.crl())));
    seeds.add(seed("revoked.pem", m.root.crlPem()));
    seeds.add(seed("synthetic.crl", der(m.root.crlBuilder().addSyntheticRevocations(8).build())));
    seeds.add(seed("two.pem", "text before\n" + m.root.crlPem() + m.intermediate.crlPem()));
    seeds.add(seed("two.der", concat(der(m.root.crl()), der(m.intermediate.crl()))));
    seeds.add(seed("idp.crl", bcCrl(m.root, true, new Extension(
        Extension.issuingDistributionPoint, true,
        encoded(new IssuingDistributionPoint(new DistributionPointName(new GeneralNames(
            new GeneralName(GeneralName.uniformResourceIdentifier, "http://crl.example/ca.crl"))),
            true, false, null, false, false))))));
    seeds.add(seed("no-next-update.crl", bcCrl(m.root, false)));
    seeds.add(seed("delta.crl", der(m.root.crlBuilder().crlNumber(20).delta(19)
        .removeFromCrl(m.revokedPlain).build())));
    seeds.add(seed("indirect.crl", der(m.root.crlBuilder().indirect()
        .revoke(m.indirectDistributionPointLeaf, RevocationReason.KEY_COMPROMISE)
        .revoke(m.ecLeaf, RevocationReason.SUPERSEDED).build())));
    seeds.add(seed("relative-partition.crl", der(m.root.crlBuilder()
        .distributionPointRelativeToIssuer("CN=Partition 2").onlyUserCertificates()
        .onlySomeReasons(RevocationReason.KEY_COMPROMISE, RevocationReason.AA_COMPROMISE).build())));
    seeds.add(seed("attributes-only.crl", der(m.root.crlBuilder().onlyAttributeCertificates().build())));
    seeds.add(seed("unknown-critical.crl", bcCrl(m.root, true, new Extension(
        new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.1"), true, encoded(new DERBMPString("x"))))));
    return seeds.stream();
  }

  /**
   * The serials the root CA's CRL revokes, for lookups.
   *
   * @return the serials, including one with a reason code and one without
   */
  public static List<BigInteger> revokedSerials() {
    Material m = Material.get();
    return List.of(m.revokedWithReason.serialNumber(), m.revokedPlain.serialNumber(),
        BigInteger.valueOf(4711));
  }

  /**
   * Certificates to check a fuzzed CRL's scope with: a leaf naming the distribution point of
   * the {@code idp.crl} seed, a leaf naming none, a CA certificate, a leaf naming a point
   * relative to its issuer, and a leaf of the intermediate naming the root as its CRL issuer.
   *
   * @return the certificates
   */
  public static List<X509Certificate> scopeProbes() {
    Material m = Material.get();
    return List.of(m.distributionPointLeaf.certificate(), m.ecLeaf.certificate(),
        m.intermediate.certificate(), m.relativeDistributionPointLeaf.certificate(),
        m.indirectDistributionPointLeaf.certificate());
  }

  /**
   * A validated path under the root CA (leaf, root), as the revocation checker is given.
   *
   * @return the path
   */
  public static List<X509Certificate> pathUnderRoot() {
    Material m = Material.get();
    return List.of(m.revokedWithReason.certificate(), m.root.certificate());
  }

  private static Arguments seed(String name, String text) {
    return seed(name, text.getBytes(StandardCharsets.US_ASCII));
  }

  private static Arguments seed(String name, byte[] bytes) {
    return Arguments.of(Named.of(name, bytes));
  }

  private static byte[] der(X509CRL crl) {
    try {
      return crl.getEncoded();
    } catch (CRLException e) {
      throw new IllegalStateException("cannot encode CRL seed", e);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = new byte[a.length + b.length];
    System.arraycopy(a, 0, both, 0, a.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }

  private static byte[] encoded(org.bouncycastle.asn1.ASN1Object object) {
    try {
      return object.getEncoded();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String encrypted(PrivateKey key, int iterations) {
    try {
      OutputEncryptor encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
          .setProvider(BouncyCastle.PROVIDER)
          .setPRF(PKCS8Generator.PRF_HMACSHA256)
          .setIterationCount(iterations)
          .setPassword(PASSWORD.toCharArray())
          .build();
      PemObject pem = new JcaPKCS8Generator(key, encryptor).generate();
      StringWriter out = new StringWriter();
      try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
        writer.writeObject(pem);
      }
      return out.toString();
    } catch (Exception e) {
      throw new IllegalStateException("cannot write encrypted key seed", e);
    }
  }

  private static String legacyEncrypted(PrivateKey key) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(new JcaMiscPEMGenerator(key,
          new JcePEMEncryptorBuilder("AES-128-CBC").setProvider(BouncyCastle.PROVIDER)
              .build(PASSWORD.toCharArray())));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static byte[] store(KeyStore store, char[] password) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      store.store(out, password);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot write PKCS#12 seed", e);
    }
    return out.toByteArray();
  }

  private static byte[] pkcs12Identity(IssuedCertificate identity) {
    try {
      char[] password = PASSWORD.toCharArray();
      DEROctetString keyId = new DEROctetString(new byte[] {1, 2, 3, 4});
      PKCS12SafeBagBuilder key = new JcaPKCS12SafeBagBuilder(identity.privateKey(), encryptor());
      key.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName,
          new DERBMPString("identity"));
      key.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_localKeyId, keyId);
      List<PKCS12SafeBag> certificates = new ArrayList<>();
      for (X509Certificate certificate : identity.chain()) {
        PKCS12SafeBagBuilder bag = new JcaPKCS12SafeBagBuilder(certificate);
        if (certificates.isEmpty()) {
          bag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_localKeyId, keyId);
        }
        certificates.add(bag.build());
      }
      PKCS12PfxPduBuilder pfx = new PKCS12PfxPduBuilder();
      pfx.addData(key.build());
      pfx.addEncryptedData(encryptor(), certificates.toArray(PKCS12SafeBag[]::new));
      return pfx.build(macCalculator(), password).getEncoded();
    } catch (Exception e) {
      throw new IllegalStateException("cannot write PKCS#12 seed", e);
    }
  }

  private static byte[] pkcs12Trust(X509Certificate... anchors) {
    try {
      // The attribute the JDK marks trusted-certificate entries with, for any purpose.
      ASN1ObjectIdentifier trustedKeyUsage = new ASN1ObjectIdentifier("2.16.840.1.113894.746875.1.1");
      List<PKCS12SafeBag> bags = new ArrayList<>();
      for (X509Certificate anchor : anchors) {
        PKCS12SafeBagBuilder bag = new JcaPKCS12SafeBagBuilder(anchor);
        bag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName,
            new DERBMPString("anchor-" + bags.size()));
        bag.addBagAttribute(trustedKeyUsage, KeyPurposeId.anyExtendedKeyUsage.toOID());
        bags.add(bag.build());
      }
      PKCS12PfxPduBuilder pfx = new PKCS12PfxPduBuilder();
      pfx.addEncryptedData(encryptor(), bags.toArray(PKCS12SafeBag[]::new));
      return pfx.build(macCalculator(), PASSWORD.toCharArray()).getEncoded();
    } catch (Exception e) {
      throw new IllegalStateException("cannot write PKCS#12 seed", e);
    }
  }

  private static OutputEncryptor encryptor() throws Exception {
    return new JcePKCSPBEOutputEncryptorBuilder(NISTObjectIdentifiers.id_aes256_CBC)
        .setProvider(BouncyCastle.PROVIDER)
        .setIterationCount(PKCS12_ITERATIONS)
        .build(PASSWORD.toCharArray());
  }

  private static JcePKCS12MacCalculatorBuilder macCalculator() {
    return new JcePKCS12MacCalculatorBuilder(NISTObjectIdentifiers.id_sha256)
        .setProvider(BouncyCastle.PROVIDER)
        .setIterationCount(PKCS12_ITERATIONS);
  }

  private static byte[] bcCrl(TestCa ca, boolean nextUpdate, Extension... extensions) {
    try {
      Date now = Date.from(ca.clock().instant());
      X509v2CRLBuilder builder = new X509v2CRLBuilder(
          X500Name.getInstance(ca.subject().getEncoded()), now);
      if (nextUpdate) {
        builder.setNextUpdate(Date.from(ca.clock().instant().plus(Duration.ofDays(1))));
      }
      builder.addCRLEntry(BigInteger.valueOf(4711), now, 1);
      builder.addCRLEntry(BigInteger.valueOf(-1), now, 9);
      builder.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.TEN));
      for (Extension extension : extensions) {
        builder.addExtension(extension);
      }
      return builder.build(new JcaContentSignerBuilder("SHA256withECDSA")
          .setProvider(BouncyCastle.PROVIDER).build(ca.keyPair().getPrivate())).getEncoded();
    } catch (Exception e) {
      throw new IllegalStateException("cannot write CRL seed", e);
    }
  }

  /** The CAs and certificates behind the seeds, made once per JVM (RSA keys take a while). */
  private static final class Material {
    private static Material instance;

    final TestCa root;
    final TestCa intermediate;
    final TestCa emptyCrlCa;
    final IssuedCertificate ecLeaf;
    final IssuedCertificate chainLeaf;
    final IssuedCertificate rsaLeaf;
    final IssuedCertificate edLeaf;
    final IssuedCertificate revokedWithReason;
    final IssuedCertificate revokedPlain;
    final IssuedCertificate distributionPointLeaf;
    final IssuedCertificate relativeDistributionPointLeaf;
    final IssuedCertificate indirectDistributionPointLeaf;

    private Material() {
      TestClock clock = new TestClock();
      root = TestCa.builder().clock(clock).commonName("Fuzz Root CA").build();
      intermediate = root.newIntermediate("Fuzz Intermediate CA");
      emptyCrlCa = TestCa.builder().clock(clock).commonName("Fuzz Empty CA").build();
      ecLeaf = root.server("server.fuzz.example");
      chainLeaf = intermediate.client("client.fuzz.example");
      rsaLeaf = root.leaf("rsa.fuzz.example").keyType(KeyType.RSA_2048).issue();
      edLeaf = root.leaf("ed25519.fuzz.example").keyType(KeyType.ED25519).issue();
      revokedWithReason = root.client("revoked");
      revokedPlain = root.client("revoked-plain");
      distributionPointLeaf = root.leaf("dp.fuzz.example")
          .crlDistributionPoint("http://crl.example/ca.crl").issue();
      relativeDistributionPointLeaf = root.leaf("relative.fuzz.example")
          .crlDistributionPointRelativeToIssuer("CN=Partition 2").issue();
      indirectDistributionPointLeaf = intermediate.leaf("indirect.fuzz.example")
          .crlDistributionPoint("http://crl.example/all.crl", root).issue();
      root.revoke(revokedWithReason, RevocationReason.KEY_COMPROMISE,
          clock.instant().minusSeconds(60));
      root.revoke(revokedPlain);
      intermediate.revoke(intermediate.client("revoked-below-intermediate"));
    }

    static synchronized Material get() {
      if (instance == null) {
        instance = new Material();
      }
      return instance;
    }
  }
}
