package dev.mtls.core.internal.crl;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mtls.core.FuzzChecks;
import dev.mtls.core.FuzzSeeds;
import java.math.BigInteger;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CRLEntryHolder;
import org.bouncycastle.cert.X509CRLHolder;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzzes CRL parsing, PEM and DER, and the index of revoked serials that the parser walks out
 * of the DER by hand ({@link Der}): any bytes either give CRLs or fail with a {@link
 * CrlException}; a CRL that parsed answers lookups, scope and signature questions without
 * throwing; and for a single DER CRL, the index holds exactly the serials Bouncy Castle's own
 * parser lists, each under its certificate's issuer (indirect CRLs), so that no revoked serial
 * is missed.
 */
class CrlParserFuzzTest {
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
  private static final Duration VALIDITY = Duration.ofHours(2);

  static Stream<Arguments> seeds() {
    return FuzzSeeds.crls();
  }

  @MethodSource("seeds")
  @FuzzTest(maxDuration = "5m")
  void parse_indexesEveryRevokedSerial_orThrowsCrlException(byte[] input) {
    if (!FuzzChecks.inBounds(input)) {
      return;
    }
    List<IndexedCrl> crls;
    try {
      crls = CrlParser.parse(input, "fuzz.crl", NOW, VALIDITY);
    } catch (CrlException e) {
      if (e.getMessage() == null || e.getMessage().isBlank()) {
        throw new AssertionError("a CRL failure must say what is wrong", e);
      }
      return;
    }
    if (crls.isEmpty()) {
      throw new AssertionError("parse returned no CRL instead of throwing");
    }
    List<BigInteger> probes = new ArrayList<>(FuzzSeeds.revokedSerials());
    if (crls.size() == 1 && isOneDerElement(input) && crls.get(0).unusable() == null) {
      List<Listed> listed = serialsListedByBouncyCastle(input);
      checkIndexMatches(crls.get(0), listed);
      listed.forEach(entry -> probes.add(entry.serial()));
    }
    PublicKey key = FuzzSeeds.scopeProbes().get(2).getPublicKey();
    for (IndexedCrl crl : crls) {
      for (BigInteger serial : probes) {
        RevokedEntry entry = crl.lookup(serial);
        if (entry != null && !entry.serial().equals(serial)) {
          throw new AssertionError("lookup of " + serial + " found " + entry);
        }
      }
      for (X509Certificate certificate : FuzzSeeds.scopeProbes()) {
        crl.covers(certificate);
        crl.lookup(certificate.getIssuerX500Principal(), certificate.getSerialNumber());
      }
      crl.isSignedBy(key, forged -> { });
      crl.toString();
    }
  }

  private static boolean isOneDerElement(byte[] input) {
    try {
      return Der.tag(input, 0, input.length) == Der.SEQUENCE
          && Der.end(input, 0, input.length) == input.length;
    } catch (CrlException e) {
      return false;
    }
  }

  /** A listed serial and the issuer of its certificate (not the CRL's, in an indirect CRL). */
  private record Listed(X500Principal issuer, BigInteger serial) {}

  /** The entries, as Bouncy Castle's object parser reads them, with their certificate issuers. */
  private static List<Listed> serialsListedByBouncyCastle(byte[] der) {
    List<Listed> listed = new ArrayList<>();
    try {
      for (Object object : new X509CRLHolder(der).getRevokedCertificates()) {
        X509CRLEntryHolder entry = (X509CRLEntryHolder) object;
        listed.add(new Listed(directoryName(entry.getCertificateIssuer()), entry.getSerialNumber()));
      }
    } catch (Exception e) {
      throw new AssertionError("the CRL parsed, but Bouncy Castle cannot list its entries", e);
    }
    return listed;
  }

  private static X500Principal directoryName(GeneralNames names) throws java.io.IOException {
    for (GeneralName name : names.getNames()) {
      if (name.getTagNo() == GeneralName.directoryName) {
        return new X500Principal(X500Name.getInstance(name.getName()).getEncoded());
      }
    }
    throw new AssertionError("the CRL parsed, but Bouncy Castle finds an entry without a"
        + " certificate issuer name: " + names);
  }

  private static void checkIndexMatches(IndexedCrl crl, List<Listed> listed) {
    // Entries against entries: a CRL may list one serial twice, and the index holds each entry.
    Set<Listed> distinct = new HashSet<>(listed);
    if (crl.size() != listed.size()) {
      throw new AssertionError("the index holds " + crl.size() + " entries, Bouncy Castle lists "
          + listed.size() + " (" + distinct.size() + " distinct): " + distinct);
    }
    for (Listed entry : distinct) {
      if (crl.lookup(entry.issuer(), entry.serial()) == null) {
        throw new AssertionError("serial " + entry.serial() + " of " + entry.issuer()
            + " is on the CRL but not in the index");
      }
    }
  }
}
