package dev.mtls.core.internal.crl;

import dev.mtls.core.internal.validation.AlgorithmConstraints;

import dev.mtls.core.internal.SafeText;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
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
  private static final byte[] BEGIN = "-----BEGIN ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DASHES = "-----".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END = "-----END X509 CRL-----".getBytes(StandardCharsets.US_ASCII);
  private static final int MAX_TYPE_CHARS = 64;

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
    SerialIndex revoked =
        indexEntries(der, signed.tbsOffset(), signed.tbsOffset() + signed.tbsLength());
    return new IndexedCrl(source, issuer, crlNumber, thisUpdate, nextUpdate, staleAt, revoked,
        scope, signed);
  }

  /**
   * Indexes the serials of {@code revokedCertificates} by walking the DER in place, into one
   * compact table of entry offsets ({@link SerialIndex}): materialising BC's entry objects, or a
   * BigInteger per serial, would cost ten times more. An entry is decoded only when its serial
   * is found.
   */
  private static SerialIndex indexEntries(byte[] der, int tbs, int tbsEnd) throws CrlException {
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
      return SerialIndex.of(der, -1, -1); // no revokedCertificates: nothing is revoked
    }
    return SerialIndex.of(der, pos, Der.end(der, pos, tbsEnd));
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

  /**
   * The DER of each {@code X509 CRL} block, decoded straight from the bytes: no line strings,
   * no copy of the text, so a CRL of 60 MB in PEM costs its bytes and its DER, not four times
   * that. Text around the blocks (such as {@code openssl crl -text} output) is ignored.
   */
  private static List<byte[]> pemBlocks(byte[] bytes) throws CrlException {
    List<byte[]> ders = new ArrayList<>();
    int pos = 0;
    int begin;
    while ((begin = indexOf(bytes, BEGIN, pos)) >= 0) {
      int typeStart = begin + BEGIN.length;
      int typeEnd = indexOf(bytes, DASHES, typeStart);
      if (typeEnd < 0 || typeEnd - typeStart > MAX_TYPE_CHARS) {
        throw new CrlException("malformed PEM: the BEGIN line at offset " + begin + " does not end in -----");
      }
      String type = new String(bytes, typeStart, typeEnd - typeStart, StandardCharsets.ISO_8859_1);
      if (!type.equals("X509 CRL")) {
        throw new CrlException("PEM block '" + SafeText.printable(type) + "' is not a CRL (expected 'X509 CRL')");
      }
      int content = typeEnd + DASHES.length;
      int end = indexOf(bytes, END, content);
      if (end < 0) {
        throw new CrlException("malformed PEM: the block at offset " + begin + " has no -----END X509 CRL----- line");
      }
      ByteBuffer der;
      try {
        // the MIME decoder skips line breaks (and any other character outside base64)
        der = Base64.getMimeDecoder().decode(ByteBuffer.wrap(bytes, content, end - content));
      } catch (IllegalArgumentException e) {
        throw new CrlException("malformed PEM: the block at offset " + begin + " is not base64: " + e.getMessage(), e);
      }
      ders.add(der.arrayOffset() == 0 && der.remaining() == der.array().length
          ? der.array() : Arrays.copyOfRange(der.array(), der.arrayOffset() + der.position(),
              der.arrayOffset() + der.limit()));
      pos = end + END.length;
    }
    return ders;
  }

  private static int indexOf(byte[] bytes, byte[] pattern, int from) {
    int last = bytes.length - pattern.length;
    outer:
    for (int i = from; i <= last; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (bytes[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
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
