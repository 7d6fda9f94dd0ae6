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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.ReasonFlags;
import org.jspecify.annotations.Nullable;
import org.bouncycastle.asn1.x509.CertificateList;
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
 * <p>Refused, with a message saying why: a CRL without a CRL number (non-conforming, RFC
 * 5280, section 5.2.3), a malformed one, and an indirect CRL entry whose certificate issuer names
 * no directory name. Read into the CRL's {@link CrlScope}: delta CRL indicators (the CRL is then
 * merged with its base by the checker), issuing distribution points (kinds of certificate,
 * reasons, indirect CRLs, full and issuer-relative names); an indirect CRL's entries are indexed
 * by certificate issuer. Parsed but {@linkplain IndexedCrl#unusable() unusable}: a CRL with an
 * unknown critical extension, or signed with an algorithm refused by policy (DSA, SHA-1): it
 * answers for nothing, and says why to the certificates it would have covered.
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
  // id-dsa-with-sha1, -sha224, -sha256, -sha384, -sha512 (RFC 3279, RFC 5758)
  private static final Set<String> DSA_SIGNATURES = Set.of("1.2.840.10040.4.3",
      "2.16.840.1.101.3.4.3.1", "2.16.840.1.101.3.4.3.2", "2.16.840.1.101.3.4.3.3",
      "2.16.840.1.101.3.4.3.4");

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
    if (list.getSignature().getPadBits() != 0) {
      throw new CrlException("the CRL's signature is not a whole number of octets (its BIT STRING"
          + " has " + list.getSignature().getPadBits() + " unused bits): a corrupted CRL");
    }
    X500Principal issuer;
    try {
      issuer = new X500Principal(holder.getIssuer().getEncoded());
    } catch (IOException | IllegalArgumentException e) {
      throw new CrlException("unreadable issuer name: " + e.getMessage(), e);
    }
    Extensions extensions = holder.getExtensions();
    Extension number = extensions == null ? null : extensions.getExtension(Extension.cRLNumber);
    if (number == null) {
      throw new CrlException("the CRL has no CRL number, which RFC 5280 (section 5.2.3) requires of"
          + " every CRL: refused as non-conforming");
    }
    BigInteger crlNumber = ASN1Integer.getInstance(number.getParsedValue()).getValue();
    if (crlNumber.signum() < 0 || crlNumber.bitLength() > 159) {
      throw new CrlException("the CRL number " + crlNumber + " is not a non-negative integer of at"
          + " most 20 octets (RFC 5280, section 5.2.3)");
    }
    Extension delta = extensions.getExtension(Extension.deltaCRLIndicator);
    BigInteger deltaBase = null;
    if (delta != null) {
      deltaBase = ASN1Integer.getInstance(delta.getParsedValue()).getValue();
      if (deltaBase.compareTo(crlNumber) >= 0) {
        throw new CrlException("the delta CRL's base CRL number " + deltaBase
            + " is not below its own CRL number " + crlNumber + " (RFC 5280, section 5.2.4)");
      }
    }
    Instant thisUpdate = holder.getThisUpdate().toInstant();
    Instant nextUpdate = holder.getNextUpdate() == null ? null : holder.getNextUpdate().toInstant();
    Instant staleAt = nextUpdate != null ? nextUpdate : fetchedAt.plus(validityWithoutNextUpdate);
    IndexedCrl.SignedPart signed = signedPart(der, list);
    String unusable = unusable(list.getSignatureAlgorithm(), extensions);
    if (unusable != null) {
      // nothing of it is read further: it answers for no certificate
      return new IndexedCrl(source, issuer, crlNumber, deltaBase, thisUpdate, nextUpdate, staleAt,
          SerialIndex.of(der, -1, -1), Map.of(), CrlScope.ALL, unusable, signed);
    }
    Extension idp = extensions.getExtension(Extension.issuingDistributionPoint);
    CrlScope scope = idp == null ? CrlScope.ALL
        : scopeOf(IssuingDistributionPoint.getInstance(idp.getParsedValue()), issuer);
    int tbsStart = signed.tbsOffset();
    int[] listed = entryList(der, tbsStart, tbsStart + signed.tbsLength());
    if (!scope.indirect()) {
      return new IndexedCrl(source, issuer, crlNumber, deltaBase, thisUpdate, nextUpdate, staleAt,
          SerialIndex.of(der, listed[0], listed[1]), Map.of(), scope, null, signed);
    }
    Map<X500Principal, SerialIndex> byIssuer = indexIndirect(der, listed[0], listed[1], issuer);
    SerialIndex own = byIssuer.remove(issuer);
    return new IndexedCrl(source, issuer, crlNumber, deltaBase, thisUpdate, nextUpdate, staleAt,
        own == null ? SerialIndex.of(der, -1, -1) : own, byIssuer, scope, null, signed);
  }

  /**
   * Why a CRL that parsed cannot be used, or {@code null}: its signature algorithm is refused
   * by policy, or it has a critical extension this library does not know, which RFC 5280
   * (section 5.2) forbids using it with.
   */
  private static @Nullable String unusable(AlgorithmIdentifier algorithm, Extensions extensions) {
    String weak;
    try {
      weak = AlgorithmConstraints.signatureProblem(algorithm.getAlgorithm().getId(),
          algorithm.getParameters() == null ? null : algorithm.getParameters().toASN1Primitive().getEncoded());
    } catch (IOException e) {
      weak = "unreadable parameters: " + e.getMessage();
    }
    if (weak != null) {
      String oid = algorithm.getAlgorithm().getId();
      return DSA_SIGNATURES.contains(oid)
          ? "it is signed with DSA (" + oid + "), which this library refuses by policy: DSA keys"
              + " and signatures are accepted nowhere, in certificates, handshakes or CRLs"
          : "its signature algorithm " + oid + " is refused by policy: " + weak;
    }
    for (ASN1ObjectIdentifier oid : extensions.getCriticalExtensionOIDs()) {
      if (!oid.equals(Extension.issuingDistributionPoint) && !oid.equals(Extension.deltaCRLIndicator)) {
        return "it has the critical extension " + oid + ", which this library does not know"
            + " (RFC 5280, section 5.2: such a CRL must not be used)";
      }
    }
    return null;
  }

  /**
   * The offsets of the {@code revokedCertificates} SEQUENCE and just past it, or -1 twice when
   * the CRL lists nothing.
   */
  private static int[] entryList(byte[] der, int tbs, int tbsEnd) throws CrlException {
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
      return new int[] {-1, -1}; // no revokedCertificates: nothing is revoked
    }
    return new int[] {pos, Der.end(der, pos, tbsEnd)};
  }

  /**
   * Indexes the entries of an indirect CRL by certificate issuer (RFC 5280, section 5.3.3):
   * an entry's certificateIssuer extension names the issuer of it and of the entries after it,
   * up to the next one that names another; entries before the first belong to the CRL issuer.
   * Only indirect CRLs pay for decoding entry extensions at load.
   */
  private static Map<X500Principal, SerialIndex> indexIndirect(byte[] der, int listStart, int listEnd,
      X500Principal crlIssuer) throws CrlException {
    Map<X500Principal, int[]> entries = new HashMap<>();
    Map<X500Principal, Integer> counts = new HashMap<>();
    if (listStart >= 0) {
      X500Principal current = crlIssuer;
      int first = Der.contentStart(der, listStart, listEnd);
      for (int entry = first; entry < listEnd; entry = Der.end(der, entry, listEnd)) {
        int extensions = SerialIndex.extensionsOf(der, entry, listEnd);
        if (extensions >= 0) {
          X500Principal named = certificateIssuer(der, extensions, Der.end(der, extensions, listEnd), entry);
          if (named != null) {
            current = named;
          }
        }
        int count = counts.getOrDefault(current, 0);
        int[] offsets = entries.computeIfAbsent(current, issuer -> new int[16]);
        if (count == offsets.length) {
          offsets = Arrays.copyOf(offsets, count * 2);
          entries.put(current, offsets);
        }
        offsets[count] = entry;
        counts.put(current, count + 1);
      }
    }
    Map<X500Principal, SerialIndex> indexes = new HashMap<>();
    for (Map.Entry<X500Principal, int[]> issuer : entries.entrySet()) {
      indexes.put(issuer.getKey(),
          SerialIndex.ofEntries(der, issuer.getValue(), counts.get(issuer.getKey()), listEnd));
    }
    return indexes;
  }

  private static @Nullable X500Principal certificateIssuer(byte[] der, int start, int end, int entry)
      throws CrlException {
    Extension extension;
    try {
      extension = Extensions.getInstance(ASN1Primitive.fromByteArray(Arrays.copyOfRange(der, start, end)))
          .getExtension(Extension.certificateIssuer);
      if (extension == null) {
        return null;
      }
      for (GeneralName name : GeneralNames.getInstance(extension.getParsedValue()).getNames()) {
        if (name.getTagNo() == GeneralName.directoryName) {
          return new X500Principal(X500Name.getInstance(name.getName()).getEncoded());
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new CrlException("the extensions of the revoked certificate entry at offset " + entry
          + " of this indirect CRL do not decode: " + e.getMessage(), e);
    }
    throw new CrlException("the certificate issuer extension of the entry at offset " + entry
        + " names no directory name, which RFC 5280 (section 5.3.3) requires");
  }

  private static boolean isTime(int tag) {
    return tag == Der.UTC_TIME || tag == Der.GENERALIZED_TIME;
  }

  private static CrlScope scopeOf(IssuingDistributionPoint idp, X500Principal issuer)
      throws CrlException {
    int reasons = CrlScope.ALL_REASONS;
    if (idp.getOnlySomeReasons() != null) {
      reasons = reasonBits(idp.getOnlySomeReasons()) & CrlScope.ALL_REASONS;
      if (reasons == 0) {
        throw new CrlException("the CRL's issuing distribution point covers no revocation reason"
            + " (onlySomeReasons is empty)");
      }
    }
    int only = (idp.onlyContainsUserCerts() ? 1 : 0) + (idp.onlyContainsCACerts() ? 1 : 0)
        + (idp.onlyContainsAttributeCerts() ? 1 : 0);
    if (only > 1) {
      throw new CrlException("the CRL's issuing distribution point asserts more than one of"
          + " onlyContainsUserCerts, onlyContainsCACerts and onlyContainsAttributeCerts, which RFC"
          + " 5280 (section 5.2.5) forbids");
    }
    List<Object> names;
    try {
      names = DistributionPoints.names(idp.getDistributionPoint(), issuer);
    } catch (IOException e) {
      throw new CrlException("unreadable issuing distribution point name: " + e.getMessage(), e);
    }
    return new CrlScope(idp.onlyContainsUserCerts(), idp.onlyContainsCACerts(),
        idp.onlyContainsAttributeCerts(), reasons, idp.isIndirectCRL(), names);
  }

  /** The bits of a ReasonFlags BIT STRING, bit n of RFC 5280's numbering as bit n of the int. */
  private static int reasonBits(ReasonFlags flags) {
    byte[] bytes = flags.getBytes();
    int bits = 0;
    for (int bit = 0; bit < 16 && bit / 8 < bytes.length; bit++) {
      if ((bytes[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
        bits |= 1 << bit;
      }
    }
    return bits;
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
