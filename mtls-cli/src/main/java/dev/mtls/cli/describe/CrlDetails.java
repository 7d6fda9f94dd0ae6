package dev.mtls.cli.describe;

import java.math.BigInteger;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.jspecify.annotations.Nullable;

/**
 * A CRL described field by field: issuer, this and next update, number, and its entries. Like
 * {@link CertificateDetails}, values are ready for {@link dev.mtls.cli.text.Json} or a line each.
 */
public final class CrlDetails {
  /** Entries listed one by one, at most; a larger CRL is summarised by its count. */
  public static final int MAX_LISTED_ENTRIES = 1000;

  private CrlDetails() {}

  /**
   * The fields of a CRL.
   *
   * @param crl the CRL
   * @param now the instant the time to the next update is counted from
   * @return the fields in display order
   */
  public static Map<String, Object> of(X509CRL crl, Instant now) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("issuer", crl.getIssuerX500Principal().getName(X500Principal.RFC2253));
    fields.put("thisUpdate", crl.getThisUpdate().toInstant().toString());
    if (crl.getNextUpdate() != null) {
      fields.put("nextUpdate", crl.getNextUpdate().toInstant().toString());
      fields.put("hoursToNextUpdate", Duration.between(now, crl.getNextUpdate().toInstant()).toHours());
    }
    BigInteger number = number(crl);
    if (number != null) {
      fields.put("crlNumber", number.toString());
    }
    fields.put("signatureAlgorithm", crl.getSigAlgName());
    Collection<? extends X509CRLEntry> entries = crl.getRevokedCertificates();
    fields.put("revokedCount", entries == null ? 0 : entries.size());
    List<Object> listed = new ArrayList<>();
    if (entries != null) {
      for (X509CRLEntry entry : entries) {
        if (listed.size() == MAX_LISTED_ENTRIES) {
          break;
        }
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("serial", entry.getSerialNumber().toString(16));
        item.put("revoked", entry.getRevocationDate().toInstant().toString());
        if (entry.getRevocationReason() != null) {
          item.put("reason", entry.getRevocationReason().name().toLowerCase(Locale.ROOT));
        }
        listed.add(item);
      }
    }
    fields.put("revoked", listed);
    return fields;
  }

  /**
   * The CRL number (RFC 5280, section 5.2.3).
   *
   * @param crl the CRL
   * @return the number, or null when the CRL has none
   */
  public static @Nullable BigInteger number(X509CRL crl) {
    byte[] extension = crl.getExtensionValue("2.5.29.20");
    if (extension == null) {
      return null;
    }
    try {
      return ASN1Integer.getInstance(ASN1OctetString.getInstance(extension).getOctets()).getValue();
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * What to notice about a CRL: stale (its next update passed), no next update, no CRL number
   * (mtls-core refuses such CRLs), a SHA-1 signature.
   *
   * @param crl the CRL
   * @param now the instant freshness is judged at
   * @return the warnings; empty when there is nothing to say
   */
  public static List<String> warnings(X509CRL crl, Instant now) {
    List<String> warnings = new ArrayList<>();
    if (crl.getNextUpdate() == null) {
      warnings.add("no next update: relying parties cannot tell when it is stale");
    } else if (now.isAfter(crl.getNextUpdate().toInstant())) {
      warnings.add("stale: its next update was due " + crl.getNextUpdate().toInstant());
    }
    if (number(crl) == null) {
      warnings.add("no CRL number: mtls-core refuses CRLs without one");
    }
    if (crl.getSigAlgName().toUpperCase(Locale.ROOT).contains("SHA1")) {
      warnings.add("signed with " + crl.getSigAlgName());
    }
    return warnings;
  }
}
