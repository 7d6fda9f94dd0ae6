package dev.mtls.cli.pki;

import dev.mtls.cli.CliException;
import dev.mtls.cli.ExitCode;
import dev.mtls.core.internal.material.PemReader;
import dev.mtls.testkit.CertificateBuilder;
import dev.mtls.testkit.TestClock;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mtls pki sign DIR CSR --server|--client}: signs a certificate signing request with the
 * PKI's CA, after checking what it asks for: its signature (the requester holds the key), the key
 * (RSA of 2048 to 8192 bits, EC P-256, P-384 or P-521, Ed25519), a signature algorithm other than
 * SHA-1 or MD5, one usable common name, DNS, IP and {@code spiffe://} names only, and no CA powers
 * ({@code BasicConstraints cA=true} or {@code keyCertSign} are refused). The certificate carries
 * the CSR's key and names and the usage of {@code --server} or {@code --client}; other requested
 * extensions and subject attributes are not copied.
 */
@Command(name = "sign", mixinStandardHelpOptions = true,
    description = {"Signs a CSR with the CA in DIR after checking it (signature, key type and size,",
        "names, no CA:true): writes NAME.pem and NAME-fullchain.pem, NAME being the CSR's common name."})
final class SignCommand implements Callable<Integer> {
  /** sha1WithRSA, ecdsa-with-SHA1, md5WithRSA, md2WithRSA, dsa-with-sha1. */
  private static final Set<String> WEAK_SIGNATURES = Set.of("1.2.840.113549.1.1.5", "1.2.840.10045.4.1",
      "1.2.840.113549.1.1.4", "1.2.840.113549.1.1.2", "1.2.840.10040.4.3");

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR", description = "The PKI directory.")
  Path directory;

  @Parameters(index = "1", paramLabel = "CSR", description = "The request, PEM.")
  Path csr;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Purpose purpose;

  @Option(names = "--profile", defaultValue = "dev", description = "dev (365 days) or prod (90 days).")
  Profile profile;

  @Option(names = "--days", description = "Validity in days; overrides the profile.")
  @Nullable Integer days;

  @Option(names = "--password-file", paramLabel = "FILE", description = "The keys' password, if encrypted.")
  @Nullable Path passwordFile;

  /** {@code --server} or {@code --client}. */
  static final class Purpose {
    @Option(names = "--server", required = true, description = "A server certificate (serverAuth).")
    boolean server;

    @Option(names = "--client", required = true, description = "A client certificate (clientAuth).")
    boolean client;
  }

  /** What a checked request asks for. */
  private record Request(String name, PublicKey publicKey, List<String> dnsNames, List<String> ipAddresses,
      List<String> uris) {}

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Role role = purpose.server ? Role.SERVER : Role.CLIENT;
    int validDays = days != null ? days : profile.days();
    PkiDirectory pki = new PkiDirectory(directory);
    pki.requirePki();
    Request request = check(read());
    PkiDirectory.Leaf existing = pki.leaf(request.name());
    if (existing != null && !pki.crl().revokes(existing.certificate().getSerialNumber())) {
      throw new CliException(pki.certificate(request.name()) + " exists and is not revoked: the CSR's name "
          + request.name() + " is taken");
    }
    try (PkiDirectory.Authority authority = pki.authority(passwordFile, new TestClock())) {
      CertificateBuilder builder = Issuing.validFor(authority.ca(), request.name(), validDays)
          .extendedKeyUsages(role.oid());
      List<String> dns = new ArrayList<>(request.dnsNames());
      if (role == Role.SERVER && dns.isEmpty() && request.ipAddresses().isEmpty()) {
        dns.add(Names.checkDnsName(request.name(), "the common name"));
      }
      X509Certificate certificate = builder.dnsNames(dns.toArray(String[]::new))
          .ipAddresses(request.ipAddresses().toArray(String[]::new))
          .uris(request.uris().toArray(String[]::new))
          .issueFor(request.publicKey());
      pki.writeCertificate(request.name(), certificate, authority.ca().certificate());
      pki.writeInventory();
      out.println("Signed " + csr + " (signature, key and names checked) in " + directory + ":");
      Issuing.describe(out, request.name(), certificate);
      out.printf("  %-28s the certificate then the CA's%n", request.name() + "-fullchain.pem");
      return ExitCode.OK;
    }
  }

  private PKCS10CertificationRequest read() {
    List<PemReader.Block> blocks = PkiDirectory.read("certificate signing request", csr).blocks().stream()
        .filter(block -> block.type().equals("CERTIFICATE REQUEST") || block.type().equals("NEW CERTIFICATE REQUEST"))
        .toList();
    if (blocks.size() != 1) {
      throw new CliException(csr + " should hold one CERTIFICATE REQUEST block, not " + blocks.size());
    }
    try {
      return new PKCS10CertificationRequest(blocks.get(0).der());
    } catch (IOException | RuntimeException e) {
      throw new CliException(csr + " is not a readable certificate signing request: " + e.getMessage());
    }
  }

  private Request check(PKCS10CertificationRequest request) {
    PublicKey publicKey;
    try {
      publicKey = new JcaPKCS10CertificationRequest(request).getPublicKey();
    } catch (GeneralSecurityException | RuntimeException e) {
      throw refuse("its public key cannot be read: " + e.getMessage());
    }
    checkKey(publicKey);
    String signature = request.getSignatureAlgorithm().getAlgorithm().getId();
    if (WEAK_SIGNATURES.contains(signature)) {
      throw refuse("it is signed with SHA-1 or MD5 (" + signature + "): make it with SHA-256");
    }
    try {
      if (!request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(publicKey))) {
        throw refuse("its signature does not verify with its own key: whoever made it may not hold the key");
      }
    } catch (OperatorCreationException | PKCSException e) {
      throw refuse("its signature cannot be checked: " + e.getMessage());
    }
    String name = commonName(request.getSubject());
    Extensions extensions = requestedExtensions(request);
    List<String> dns = new ArrayList<>();
    List<String> ips = new ArrayList<>();
    List<String> uris = new ArrayList<>();
    if (extensions != null) {
      BasicConstraints constraints = BasicConstraints.fromExtensions(extensions);
      if (constraints != null && constraints.isCA()) {
        throw refuse("it asks to be a CA (BasicConstraints cA=true): this PKI signs leaf certificates only");
      }
      KeyUsage usage = KeyUsage.fromExtensions(extensions);
      if (usage != null && (usage.hasUsages(KeyUsage.keyCertSign) || usage.hasUsages(KeyUsage.cRLSign))) {
        throw refuse("it asks for keyCertSign or cRLSign: CA powers are not signed");
      }
      GeneralNames names = GeneralNames.fromExtensions(extensions, Extension.subjectAlternativeName);
      if (names != null) {
        for (GeneralName san : names.getNames()) {
          String value = san.getName().toString();
          switch (san.getTagNo()) {
            case GeneralName.dNSName -> dns.add(Names.checkDnsName(value, "the CSR's names"));
            case GeneralName.iPAddress -> ips.add(ipAddress(san));
            case GeneralName.uniformResourceIdentifier -> {
              if (!value.startsWith("spiffe://")) {
                throw refuse("it asks for the URI " + Names.printable(value) + ": only spiffe:// URIs are signed");
              }
              uris.add(value);
            }
            default -> throw refuse("it asks for a subject alternative name of type " + san.getTagNo()
                + ": only DNS names, IP addresses and spiffe:// URIs are signed");
          }
        }
      }
    }
    return new Request(name, publicKey, dns, ips, uris);
  }

  private String commonName(X500Name subject) {
    RDN[] names = subject.getRDNs(BCStyle.CN);
    if (names.length != 1 || names[0].isMultiValued()) {
      throw refuse("its subject " + Names.printable(subject.toString()) + " should hold exactly one common name");
    }
    String cn = IETFUtils.valueToString(names[0].getFirst().getValue());
    try {
      return Names.checkName(cn);
    } catch (CliException e) {
      throw refuse(e.getMessage());
    }
  }

  private static @Nullable Extensions requestedExtensions(PKCS10CertificationRequest request) {
    for (Attribute attribute : request.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
      for (ASN1Encodable value : attribute.getAttributeValues()) {
        return Extensions.getInstance(value);
      }
    }
    return null;
  }

  private String ipAddress(GeneralName san) {
    byte[] bytes = ((org.bouncycastle.asn1.ASN1OctetString) ASN1Primitive.class.cast(san.getName().toASN1Primitive()))
        .getOctets();
    try {
      return java.net.InetAddress.getByAddress(bytes).getHostAddress();
    } catch (java.net.UnknownHostException e) {
      throw refuse("it asks for an IP address of " + bytes.length + " bytes");
    }
  }

  private void checkKey(PublicKey key) {
    if (key instanceof RSAPublicKey rsa) {
      int bits = rsa.getModulus().bitLength();
      if (bits < 2048 || bits > 8192) {
        throw refuse("its RSA key has " + bits + " bits: 2048 to 8192 are signed");
      }
    } else if (key instanceof ECPublicKey ec) {
      int bits = ec.getParams().getCurve().getField().getFieldSize();
      if (bits != 256 && bits != 384 && bits != 521) {
        throw refuse("its EC key is on a " + bits + "-bit curve: P-256, P-384 and P-521 are signed");
      }
    } else if (!key.getAlgorithm().equals("Ed25519") && !key.getAlgorithm().equals("EdDSA")) {
      throw refuse("its key is of type " + key.getAlgorithm() + ": RSA, EC and Ed25519 are signed");
    }
  }

  private CliException refuse(String why) {
    return new CliException("refusing to sign " + csr + ": " + why);
  }
}
