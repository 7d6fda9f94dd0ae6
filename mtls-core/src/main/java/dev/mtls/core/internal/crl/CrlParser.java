package dev.mtls.core.internal.crl;

import dev.mtls.core.internal.validation.AlgorithmConstraints;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.CertificateList;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.IssuingDistributionPoint;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.TBSCertList;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * Turns the bytes of a CRL source into {@link IndexedCrl}s: PEM with one or several
 * {@code X509 CRL} blocks, or one or several concatenated DER CRLs. Parsing goes through
 * Bouncy Castle's lazy ASN.1 structures (a 100,000-entry CRL takes milliseconds, where
 * {@code CertificateFactory.generateCRL} takes hundreds) and indexes the serials once.
 *
 * <p>Refused, with a message saying why: delta CRLs, indirect CRLs, CRLs partitioned by
 * reason, CRLs for attribute certificates, and CRLs with any other critical extension than
 * the issuing distribution point. Checking a CRL against them would silently answer for
 * certificates the CRL does not cover.
 *
 * <p>A CRL without nextUpdate (RFC 5280 requires it of conforming CAs) is considered stale
 * {@code validityWithoutNextUpdate} after it was fetched: the checker vouches for such a CRL
 * only while it keeps fetching it successfully.
 */
public final class CrlParser {
  /** The largest CRL source accepted, in bytes (a million entries take about 40 MB). */
  public static final int MAX_BYTES = 128 * 1024 * 1024;

  // SEQUENCE header (2) + INTEGER of one octet (3) + UTCTime (15)
  private static final int MIN_ENTRY_BYTES = 20;

  private CrlParser() {}

  /**
   * Parses and indexes every CRL in {@code bytes}.
   *
   * @param bytes the content of a file or an HTTP body
   * @param source the file or URL, recorded in each CRL for messages
   * @param fetchedAt when the bytes were read
   * @param validityWithoutNextUpdate how long after {@code fetchedAt} a CRL without
   *     nextUpdate stays fresh
   * @return the CRLs, at least one
   * @throws CrlException when the content holds no CRL, cannot be parsed, or holds a CRL of
   *     a kind this library refuses
   */
  public static List<IndexedCrl> parse(
      byte[] bytes, String source, Instant fetchedAt, Duration validityWithoutNextUpdate)
      throws CrlException {
    List<byte[]> ders = looksLikePem(bytes) ? pemBlocks(bytes) : derObjects(bytes);
    if (ders.isEmpty()) {
      throw new CrlException("no CRL found (expected PEM 'X509 CRL' blocks or DER)");
    }
    List<IndexedCrl> crls = new ArrayList<>(ders.size());
    for (int i = 0; i < ders.size(); i++) {
      try {
        crls.add(index(ders.get(i), source, fetchedAt, validityWithoutNextUpdate));
      } catch (CrlException e) {
        throw new CrlException(ders.size() == 1 ? e.getMessage()
            : "CRL " + (i + 1) + " of " + ders.size() + ": " + e.getMessage(), e.getCause());
      }
    }
    return List.copyOf(crls);
  }

  private static IndexedCrl index(
      byte[] der, String source, Instant fetchedAt, Duration validityWithoutNextUpdate)
      throws CrlException {
    try {
      return indexParsed(der, source, fetchedAt, validityWithoutNextUpdate);
    } catch (RuntimeException e) {
      // Bouncy Castle's ASN.1 objects decode lazily: a malformed part of a CRL (a name, a
      // date, an extension) surfaces as an unchecked exception from whichever accessor first
      // reads it, and BC's Time.getDate() throws even StringIndexOutOfBoundsException
      throw new CrlException("malformed CRL: " + e.getMessage(), e);
    }
  }

  private static IndexedCrl indexParsed(
      byte[] der, String source, Instant fetchedAt, Duration validityWithoutNextUpdate)
      throws CrlException {
    X509CRLHolder holder;
    CertificateList list;
    try {
      holder = new X509CRLHolder(der);
      list = holder.toASN1Structure();
    } catch (IOException | RuntimeException e) {
      throw new CrlException("not a valid CRL: " + e.getMessage(), e);
    }
    TBSCertList tbs = list.getTBSCertList();
    if (!tbs.getSignature().equals(list.getSignatureAlgorithm())) {
      throw new CrlException("signature algorithm inside the CRL ("
          + tbs.getSignature().getAlgorithm() + ") differs from the one outside ("
          + list.getSignatureAlgorithm().getAlgorithm() + ")");
    }
    AlgorithmIdentifier algorithm = list.getSignatureAlgorithm();
    String weak;
    try {
      weak = AlgorithmConstraints.signatureProblem(algorithm.getAlgorithm().getId(),
          algorithm.getParameters() == null ? null : algorithm.getParameters().toASN1Primitive().getEncoded());
    } catch (IOException e) {
      weak = "unreadable parameters: " + e.getMessage();
    }
    if (weak != null) {
      throw new CrlException("the CRL's signature algorithm " + algorithm.getAlgorithm() + " is " + weak);
    }
    IndexedCrl.Scope scope = checkExtensions(holder.getExtensions());
    X500Principal issuer;
    try {
      issuer = new X500Principal(holder.getIssuer().getEncoded());
    } catch (IOException | IllegalArgumentException e) {
      throw new CrlException("unreadable issuer name: " + e.getMessage(), e);
    }
    Instant thisUpdate = holder.getThisUpdate().toInstant();
    Instant nextUpdate = holder.getNextUpdate() == null ? null : holder.getNextUpdate().toInstant();
    Instant staleAt = nextUpdate != null ? nextUpdate : fetchedAt.plus(validityWithoutNextUpdate);
    BigInteger crlNumber = null;
    Extension number = holder.getExtension(Extension.cRLNumber);
    if (number != null) {
      crlNumber = ASN1Integer.getInstance(number.getParsedValue()).getValue();
    }
    IndexedCrl.SignedPart signed = signedPart(der, list);
    Map<BigInteger, Integer> revoked =
        indexEntries(der, signed.tbsOffset(), signed.tbsOffset() + signed.tbsLength());
    return new IndexedCrl(source, issuer, crlNumber, thisUpdate, nextUpdate, staleAt, revoked,
        scope, signed);
  }

  /**
   * Indexes the serials of {@code revokedCertificates} by walking the DER in place: each
   * entry costs a BigInteger and a map slot, where materialising BC's entry objects would
   * cost ten times more. The map holds each entry's offset, decoded when a serial is found.
   */
  private static Map<BigInteger, Integer> indexEntries(byte[] der, int tbs, int tbsEnd)
      throws CrlException {
    int pos = Der.contentStart(der, tbs, tbsEnd);
    if (Der.tag(der, pos, tbsEnd) == Der.INTEGER) {
      pos = Der.end(der, pos, tbsEnd); // version
    }
    pos = Der.end(der, pos, tbsEnd); // signature algorithm
    pos = Der.end(der, pos, tbsEnd); // issuer
    pos = Der.end(der, pos, tbsEnd); // thisUpdate
    if (pos < tbsEnd && isTime(Der.tag(der, pos, tbsEnd))) {
      pos = Der.end(der, pos, tbsEnd); // nextUpdate
    }
    if (pos >= tbsEnd || Der.tag(der, pos, tbsEnd) != Der.SEQUENCE) {
      return Map.of(); // no revokedCertificates: nothing is revoked
    }
    int listEnd = Der.end(der, pos, tbsEnd);
    // sized for the most entries the list can hold (the smallest entry takes 20 bytes), so
    // that the map never rehashes while it fills
    Map<BigInteger, Integer> revoked =
        new HashMap<>((int) ((listEnd - pos) / MIN_ENTRY_BYTES / 0.75f) + 1);
    for (int entry = Der.contentStart(der, pos, listEnd); entry < listEnd; ) {
      int entryEnd = Der.end(der, entry, listEnd);
      int serial = Der.contentStart(der, entry, entryEnd);
      if (Der.tag(der, entry, entryEnd) != Der.SEQUENCE
          || Der.tag(der, serial, entryEnd) != Der.INTEGER) {
        throw new CrlException("malformed revoked certificate entry at offset " + entry);
      }
      int serialContent = Der.contentStart(der, serial, entryEnd);
      int serialEnd = Der.end(der, serial, entryEnd);
      if (serialEnd == serialContent) {
        throw new CrlException("empty serial number in the entry at offset " + entry);
      }
      if (serialEnd - serialContent > 1 && redundantFirstOctet(der[serialContent],
          der[serialContent + 1])) {
        throw new CrlException("serial number in the entry at offset " + entry
            + " is not minimally encoded, as DER requires");
      }
      checkEntryRest(der, entry, serialEnd, entryEnd);
      revoked.put(new BigInteger(der, serialContent, serialEnd - serialContent), entry);
      entry = entryEnd;
    }
    return revoked;
  }

  /** Whether an INTEGER starts with an octet that only repeats the sign of the next one. */
  private static boolean redundantFirstOctet(byte first, byte second) {
    return (first == 0 && second >= 0) || (first == -1 && second < 0);
  }

  /**
   * Checks the rest of an entry after its serial: a revocation date in the one form RFC 5280
   * allows, then at most a SEQUENCE of extensions. A lookup decodes the entry only when its
   * serial is found, on a handshake: by then, its frame and date must be known to decode.
   */
  private static void checkEntryRest(byte[] der, int entry, int date, int entryEnd)
      throws CrlException {
    if (date >= entryEnd) {
      throw new CrlException("malformed revoked certificate entry at offset " + entry
          + ": no revocation date");
    }
    int dateEnd = Der.end(der, date, entryEnd);
    if (!Der.isTime(der, date, dateEnd)) {
      throw new CrlException("malformed revoked certificate entry at offset " + entry
          + ": the revocation date is not a UTCTime YYMMDDHHMMSSZ or GeneralizedTime"
          + " YYYYMMDDHHMMSSZ on the calendar (RFC 5280, section 5.1.2.6)");
    }
    if (dateEnd < entryEnd && (Der.tag(der, dateEnd, entryEnd) != Der.SEQUENCE
        || Der.end(der, dateEnd, entryEnd) != entryEnd)) {
      throw new CrlException("malformed revoked certificate entry at offset " + entry
          + ": after the revocation date, only a SEQUENCE of extensions may follow");
    }
  }


  private static boolean isTime(int tag) {
    return tag == Der.UTC_TIME || tag == Der.GENERALIZED_TIME;
  }

  private static IndexedCrl.Scope checkExtensions(Extensions extensions) throws CrlException {
    if (extensions == null) {
      return IndexedCrl.Scope.ALL;
    }
    if (extensions.getExtension(Extension.deltaCRLIndicator) != null) {
      throw new CrlException("delta CRLs are not supported; give the complete (base) CRL");
    }
    IndexedCrl.Scope scope = IndexedCrl.Scope.ALL;
    Extension idpExtension = extensions.getExtension(Extension.issuingDistributionPoint);
    if (idpExtension != null) {
      scope = scopeOf(IssuingDistributionPoint.getInstance(idpExtension.getParsedValue()));
    }
    for (ASN1ObjectIdentifier oid : extensions.getCriticalExtensionOIDs()) {
      if (!oid.equals(Extension.issuingDistributionPoint)) {
        throw new CrlException("unsupported critical CRL extension " + oid);
      }
    }
    return scope;
  }

  private static IndexedCrl.Scope scopeOf(IssuingDistributionPoint idp) throws CrlException {
    if (idp.isIndirectCRL()) {
      throw new CrlException("indirect CRLs (entries for other issuers) are not supported");
    }
    if (idp.getOnlySomeReasons() != null) {
      throw new CrlException("CRLs covering only some revocation reasons are not supported;"
          + " give a CRL covering all reasons");
    }
    if (idp.onlyContainsAttributeCerts()) {
      throw new CrlException("the CRL covers only attribute certificates");
    }
    List<org.bouncycastle.asn1.x509.GeneralName> names = List.of();
    DistributionPointName point = idp.getDistributionPoint();
    if (point != null) {
      if (point.getType() != DistributionPointName.FULL_NAME) {
        throw new CrlException("issuing distribution point names relative to the issuer are"
            + " not supported");
      }
      names = List.of(GeneralNames.getInstance(point.getName()).getNames());
    }
    return new IndexedCrl.Scope(idp.onlyContainsUserCerts(), idp.onlyContainsCACerts(), names);
  }

  private static IndexedCrl.SignedPart signedPart(byte[] der, CertificateList list)
      throws CrlException {
    // CertificateList ::= SEQUENCE { tbsCertList SEQUENCE, .. }: the TBS is the first element
    int tbs = Der.contentStart(der, 0, der.length);
    int tbsEnd = Der.end(der, tbs, Der.end(der, 0, der.length));
    return new IndexedCrl.SignedPart(der, tbs, tbsEnd - tbs, list.getSignatureAlgorithm(),
        list.getSignature().getOctets());
  }

  private static boolean looksLikePem(byte[] bytes) {
    // DER starts with a SEQUENCE tag; anything else is read as PEM, which may carry text
    // (such as openssl's "crl -text" output) around its blocks
    return bytes.length == 0 || (bytes[0] & 0xff) != Der.SEQUENCE;
  }

  private static List<byte[]> pemBlocks(byte[] bytes) throws CrlException {
    List<byte[]> ders = new ArrayList<>();
    try (PemReader reader = new PemReader(
        new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.US_ASCII))) {
      PemObject object;
      while ((object = reader.readPemObject()) != null) {
        if (!object.getType().equals("X509 CRL")) {
          throw new CrlException("PEM block '" + object.getType()
              + "' is not a CRL (expected 'X509 CRL')");
        }
        ders.add(object.getContent());
      }
    } catch (IOException | RuntimeException e) {
      throw new CrlException("malformed PEM: " + e.getMessage(), e);
    }
    return ders;
  }

  private static List<byte[]> derObjects(byte[] bytes) throws CrlException {
    List<byte[]> ders = new ArrayList<>();
    int offset = 0;
    while (offset < bytes.length) {
      if (Der.tag(bytes, offset, bytes.length) != Der.SEQUENCE) {
        throw new CrlException("neither PEM nor DER: byte " + offset + " is not an ASN.1"
            + " SEQUENCE");
      }
      int end = Der.end(bytes, offset, bytes.length);
      ders.add(offset == 0 && end == bytes.length ? bytes : Arrays.copyOfRange(bytes, offset, end));
      offset = end;
    }
    return ders;
  }
}
