package dev.mtls.cli.pki;

import dev.mtls.cli.CliException;
import dev.mtls.cli.text.Json;
import dev.mtls.core.MaterialLimits;
import dev.mtls.core.MtlsLoadException;
import dev.mtls.core.internal.material.PemReader;
import dev.mtls.testkit.RevocationReason;
import dev.mtls.testkit.TestCa;
import dev.mtls.testkit.TestClock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CRLException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A development PKI on disk, as {@code pki init} lays it out: {@code ca.pem}, {@code
 * ca-key.pem}, {@code crl.pem}, {@code inventory.json}, and per certificate {@code NAME.pem},
 * {@code NAME-fullchain.pem} and (unless it was signed from a CSR) {@code NAME-key.pem}. The
 * files are the record: the certificates are found by listing the directory, their roles read
 * from their extended key usage, revocations from the CRL; {@code inventory.json} is written
 * from them after every change, for people and tools.
 */
final class PkiDirectory {
  static final String CA_CERTIFICATE = "ca.pem";
  static final String CA_KEY = "ca-key.pem";
  static final String CRL = "crl.pem";
  static final String INVENTORY = "inventory.json";
  /** How long a CRL the PKI signs stays fresh: {@code pki revoke} and {@code pki renew} re-sign it. */
  static final Duration CRL_VALIDITY = Duration.ofDays(30);
  private static final int MAX_DIRECTORY_ENTRIES = 10_000;
  private static final Base64.Encoder PEM_BASE64 =
      Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));

  private final Path directory;

  PkiDirectory(Path directory) {
    this.directory = directory;
  }

  Path directory() {
    return directory;
  }

  Path file(String name) {
    return directory.resolve(name);
  }

  Path certificate(String name) {
    return directory.resolve(name + ".pem");
  }

  Path fullChain(String name) {
    return directory.resolve(name + "-fullchain.pem");
  }

  Path key(String name) {
    return directory.resolve(name + "-key.pem");
  }

  /**
   * The CA, its key read from {@code ca-key.pem}, and the password of the PKI's keys if
   * encrypted; closing it wipes the password.
   */
  record Authority(TestCa ca, char @Nullable [] password) implements AutoCloseable {
    @Override
    public void close() {
      if (password != null) {
        java.util.Arrays.fill(password, '\0');
      }
    }
  }

  /** A certificate of the PKI, by the name its files carry. */
  record Leaf(String name, X509Certificate certificate) {
    Role role() {
      return Role.of(certificate);
    }
  }

  /** What the current CRL says: its number and entries. */
  record CrlState(BigInteger number, List<X509CRLEntry> entries, Instant nextUpdate) {
    boolean revokes(BigInteger serial) {
      return entries.stream().anyMatch(entry -> entry.getSerialNumber().equals(serial));
    }
  }

  void requirePki() {
    if (!Files.isRegularFile(file(CA_CERTIFICATE)) || !Files.isRegularFile(file(CA_KEY))) {
      throw new CliException(directory + " holds no PKI (no " + CA_CERTIFICATE + " and " + CA_KEY
          + "): make one with `mtls pki init " + directory + "`");
    }
  }

  X509Certificate caCertificate() {
    List<X509Certificate> certificates = read("CA certificate", file(CA_CERTIFICATE)).certificates();
    if (certificates.size() != 1) {
      throw new CliException(file(CA_CERTIFICATE) + " should hold one certificate, the CA's, not "
          + certificates.size());
    }
    return certificates.get(0);
  }

  boolean keysEncrypted() {
    return keyBlock(file(CA_KEY)).type().equals("ENCRYPTED PRIVATE KEY");
  }

  /** Loads the CA; asks for the password (file or terminal) when its key is encrypted. */
  Authority authority(@Nullable Path passwordFile, TestClock clock) {
    requirePki();
    X509Certificate certificate = caCertificate();
    char[] password = keysEncrypted() ? Passwords.read(passwordFile, false) : null;
    PrivateKey key;
    try {
      key = PemReader.privateKey("CA private key", file(CA_KEY), keyBlock(file(CA_KEY)), password);
    } catch (MtlsLoadException e) {
      throw new CliException(e.getMessage());
    }
    try {
      return new Authority(TestCa.of(certificate, key, clock), password);
    } catch (IllegalArgumentException e) {
      throw new CliException("cannot use the CA in " + directory + ": " + e.getMessage());
    }
  }

  private PemReader.Block keyBlock(Path file) {
    List<PemReader.Block> keys = read("private key", file).privateKeys();
    if (keys.size() != 1) {
      throw new CliException(file + " should hold one private key, not " + keys.size());
    }
    return keys.get(0);
  }

  static PemReader.Contents read(String what, Path file) {
    try {
      return PemReader.read(what, file, MaterialLimits.defaults());
    } catch (MtlsLoadException e) {
      throw new CliException(e.getMessage());
    }
  }

  /** The PKI's certificates by name, in name order, the CA's own files aside. */
  List<Leaf> leaves() {
    Map<String, Leaf> leaves = new TreeMap<>();
    int entries = 0;
    try (DirectoryStream<Path> listing = Files.newDirectoryStream(directory, "*.pem")) {
      for (Path path : listing) {
        if (++entries > MAX_DIRECTORY_ENTRIES) {
          throw new CliException(directory + " holds more than " + MAX_DIRECTORY_ENTRIES
              + " PEM files: not a PKI directory of this tool");
        }
        String file = path.getFileName().toString();
        String name = file.substring(0, file.length() - ".pem".length());
        if (!isLeafName(name) || !Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        List<X509Certificate> certificates = read("certificate", path).certificates();
        if (certificates.isEmpty()) {
          throw new CliException(path + " holds no certificate");
        }
        leaves.put(name, new Leaf(name, certificates.get(0)));
      }
    } catch (IOException e) {
      throw new CliException("cannot list " + directory + ": " + e);
    }
    return List.copyOf(leaves.values());
  }

  private static boolean isLeafName(String name) {
    try {
      Names.checkName(name);
      return true;
    } catch (CliException e) {
      return false;
    }
  }

  @Nullable Leaf leaf(String name) {
    return leaves().stream().filter(leaf -> leaf.name().equals(name)).findFirst().orElse(null);
  }

  CrlState crl() {
    Path file = file(CRL);
    List<PemReader.Block> blocks = read("CRL", file).blocks().stream()
        .filter(block -> block.type().equals("X509 CRL")).toList();
    if (blocks.size() != 1) {
      throw new CliException(file + " should hold one CRL, not " + blocks.size());
    }
    X509CRL crl;
    try {
      crl = (X509CRL) CertificateFactory.getInstance("X.509")
          .generateCRL(new ByteArrayInputStream(blocks.get(0).der()));
      crl.verify(caCertificate().getPublicKey());
    } catch (CertificateException | CRLException e) {
      throw new CliException(file + " is not a readable CRL: " + e.getMessage());
    } catch (java.security.GeneralSecurityException e) {
      throw new CliException(file + " is not signed by the CA in " + CA_CERTIFICATE + ": " + e.getMessage());
    }
    Collection<? extends X509CRLEntry> revoked = crl.getRevokedCertificates();
    return new CrlState(crlNumber(crl, file),
        revoked == null ? List.of() : List.copyOf(revoked), crl.getNextUpdate().toInstant());
  }

  private static BigInteger crlNumber(X509CRL crl, Path file) {
    BigInteger number = dev.mtls.cli.describe.CrlDetails.number(crl);
    if (number == null) {
      throw new CliException(file + " has no CRL number");
    }
    return number;
  }

  /** Signs and writes the next CRL: every entry of {@code state}, then {@code more}. */
  void writeCrl(TestCa ca, @Nullable CrlState state, Map<BigInteger, RevocationReason> more) {
    Instant now = ca.clock().instant();
    long number = 1;
    if (state != null) {
      for (X509CRLEntry entry : state.entries()) {
        ca.revoke(entry.getSerialNumber(), reason(entry), entry.getRevocationDate().toInstant());
      }
      number = state.number().longValueExact() + 1;
    }
    more.forEach((serial, reason) -> ca.revoke(serial, reason, now));
    String pem = ca.crlBuilder().crlNumber(number).nextUpdate(now.plus(CRL_VALIDITY)).buildPem();
    AtomicFiles.writePublic(file(CRL), pem);
  }

  private static RevocationReason reason(X509CRLEntry entry) {
    java.security.cert.CRLReason reason = entry.getRevocationReason();
    if (reason == null) {
      return RevocationReason.UNSPECIFIED;
    }
    for (RevocationReason candidate : RevocationReason.values()) {
      if (candidate.code() == reason.ordinal()) {
        return candidate;
      }
    }
    return RevocationReason.UNSPECIFIED;
  }

  /** Writes {@code inventory.json} from the certificates and the CRL on disk. */
  void writeInventory() {
    X509Certificate ca = caCertificate();
    CrlState crl = crl();
    Map<String, Object> inventory = new LinkedHashMap<>();
    Map<String, Object> authority = new LinkedHashMap<>();
    authority.put("subject", ca.getSubjectX500Principal().getName());
    authority.put("serial", ca.getSerialNumber().toString(16));
    authority.put("notAfter", ca.getNotAfter().toInstant().toString());
    inventory.put("ca", authority);
    List<Object> certificates = new ArrayList<>();
    for (Leaf leaf : leaves()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("name", leaf.name());
      entry.put("role", leaf.role().label());
      entry.put("serial", leaf.certificate().getSerialNumber().toString(16));
      entry.put("sans", subjectAltNames(leaf.certificate()));
      entry.put("notAfter", leaf.certificate().getNotAfter().toInstant().toString());
      entry.put("revoked", crl.revokes(leaf.certificate().getSerialNumber()));
      entry.put("keyFile", Files.exists(key(leaf.name())));
      certificates.add(entry);
    }
    inventory.put("certificates", certificates);
    inventory.put("crlNumber", crl.number().toString());
    AtomicFiles.writePublic(file(INVENTORY), Json.write(inventory) + "\n");
  }

  /** The subject alternative names as {@code DNS:x}, {@code IP:x}, {@code URI:x}, {@code email:x}. */
  static List<String> subjectAltNames(X509Certificate certificate) {
    List<String> names = new ArrayList<>();
    try {
      Collection<List<?>> all = certificate.getSubjectAlternativeNames();
      if (all != null) {
        for (List<?> name : all) {
          int type = (Integer) name.get(0);
          String prefix = switch (type) {
            case 1 -> "email:";
            case 2 -> "DNS:";
            case 6 -> "URI:";
            case 7 -> "IP:";
            default -> null;
          };
          if (prefix != null) {
            names.add(prefix + name.get(1));
          }
        }
      }
    } catch (CertificateParsingException e) {
      throw new CliException("cannot read the subject alternative names of "
          + certificate.getSubjectX500Principal() + ": " + e.getMessage());
    }
    return names;
  }

  /** Writes a certificate and its full chain (the certificate, then the CA's). */
  void writeCertificate(String name, X509Certificate certificate, X509Certificate ca) {
    AtomicFiles.writePublic(certificate(name), pem(certificate));
    AtomicFiles.writePublic(fullChain(name), pem(certificate) + pem(ca));
  }

  static String pem(X509Certificate certificate) {
    try {
      return pem("CERTIFICATE", certificate.getEncoded());
    } catch (CertificateEncodingException e) {
      throw new CliException("cannot encode " + certificate.getSubjectX500Principal() + ": " + e);
    }
  }

  /** One PEM block (RFC 7468) of 64-character lines. */
  static String pem(String label, byte[] der) {
    return "-----BEGIN " + label + "-----\n" + PEM_BASE64.encodeToString(der) + "\n-----END " + label + "-----\n";
  }

  /** Names of the PKI's files that exist already, for refusing to overwrite. */
  List<String> existing(Set<String> names) {
    return names.stream().filter(name -> Files.exists(file(name), LinkOption.NOFOLLOW_LINKS))
        .sorted(Comparator.naturalOrder()).toList();
  }
}
