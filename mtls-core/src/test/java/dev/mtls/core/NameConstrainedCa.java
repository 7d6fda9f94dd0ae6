package dev.mtls.core;

import dev.mtls.testkit.TestCa;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A CA whose certificate carries dNSName name constraints, which the testkit's {@link TestCa}
 * does not make: either an intermediate issued by a testkit root (its constraints are judged
 * by PKIX) or a self-signed root used as the trust anchor itself (its constraints are judged
 * by {@code AnchorNameConstraints}). It issues client leaves with one DNS subject alternative
 * name written exactly as given, trailing dot included (an IA5String; nothing normalises it).
 */
final class NameConstrainedCa {
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  private final X509Certificate certificate;
  private final KeyPair keyPair;
  private final List<X509Certificate> chain;
  private final Instant now;

  private NameConstrainedCa(X509Certificate certificate, KeyPair keyPair, List<X509Certificate> chain, Instant now) {
    this.certificate = certificate;
    this.keyPair = keyPair;
    this.chain = chain;
    this.now = now;
  }

  /** An intermediate CA under {@code root}, with these permitted and excluded DNS subtrees. */
  static NameConstrainedCa intermediate(TestCa root, String commonName, List<String> permitted, List<String> excluded)
      throws Exception {
    KeyPair keys = ecKey();
    Instant now = root.clock().instant();
    X509Certificate certificate = sign(root.keyPair().getPrivate(),
        caBuilder(X500Name.getInstance(root.subject().getEncoded()), commonName, keys, now, permitted, excluded));
    List<X509Certificate> chain = new ArrayList<>();
    chain.add(certificate);
    chain.addAll(root.chain());
    return new NameConstrainedCa(certificate, keys, List.copyOf(chain), now);
  }

  /** A self-signed root, to be the trust anchor, with these permitted and excluded DNS subtrees. */
  static NameConstrainedCa root(String commonName, List<String> permitted, List<String> excluded) throws Exception {
    KeyPair keys = ecKey();
    Instant now = Instant.now();
    X500Name name = new X500Name("CN=" + commonName);
    X509Certificate certificate = sign(keys.getPrivate(), caBuilder(name, commonName, keys, now, permitted, excluded));
    return new NameConstrainedCa(certificate, keys, List.of(certificate), now);
  }

  X509Certificate certificate() {
    return certificate;
  }

  /** A client certificate with one DNS SAN, and its key and chain (leaf first, up to the root). */
  Leaf clientWithDnsName(String dnsName) throws Exception {
    KeyPair keys = ecKey();
    X500Name issuer = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, serial(),
        Date.from(now.minusSeconds(60)), Date.from(now.plus(Duration.ofDays(1))), new X500Name("CN=client"),
        keys.getPublic())
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
        .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth))
        .addExtension(Extension.subjectAlternativeName, false,
            new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
    X509Certificate leaf = sign(keyPair.getPrivate(), builder);
    List<X509Certificate> leafChain = new ArrayList<>();
    leafChain.add(leaf);
    leafChain.addAll(chain);
    return new Leaf(leaf, keys.getPrivate(), List.copyOf(leafChain));
  }

  /** An issued client certificate. */
  record Leaf(X509Certificate certificate, PrivateKey privateKey, List<X509Certificate> chain) {}

  private static X509v3CertificateBuilder caBuilder(X500Name issuer, String commonName, KeyPair keys, Instant now,
      List<String> permitted, List<String> excluded) throws Exception {
    return new JcaX509v3CertificateBuilder(issuer, serial(), Date.from(now.minus(Duration.ofDays(1))),
        Date.from(now.plus(Duration.ofDays(30))), new X500Name("CN=" + commonName), keys.getPublic())
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
        .addExtension(Extension.nameConstraints, true, new NameConstraints(subtrees(permitted), subtrees(excluded)));
  }

  private static GeneralSubtree[] subtrees(List<String> dnsNames) {
    if (dnsNames.isEmpty()) {
      return null;
    }
    return dnsNames.stream()
        .map(name -> new GeneralSubtree(new GeneralName(GeneralName.dNSName, name)))
        .toArray(GeneralSubtree[]::new);
  }

  private static X509Certificate sign(PrivateKey issuerKey, X509v3CertificateBuilder builder) throws Exception {
    byte[] der = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)).getEncoded();
    return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
  }

  private static BigInteger serial() {
    return BigInteger.valueOf(SERIAL.incrementAndGet());
  }

  private static KeyPair ecKey() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }
}
