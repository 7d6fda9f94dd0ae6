package dev.mtls.cli.describe;

import dev.mtls.core.PeerIdentity;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.security.cert.CertificateParsingException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Optional;
import java.util.List;
import java.util.Map;
import javax.security.auth.x500.X500Principal;

/**
 * One certificate described field by field, in a fixed order: what {@code inspect} prints,
 * {@code probe} shows of a server's chain and {@code serve} answers at {@code /certificate-info}.
 * The values are strings, numbers, booleans and lists, ready for {@link dev.mtls.cli.text.Json}
 * or for a line per field. Text from the certificate is passed on as it is: writers escape it.
 */
public final class CertificateDetails {

  private CertificateDetails() {}

  /**
   * The fields of a certificate.
   *
   * @param certificate the certificate
   * @param now the instant the days left are counted from
   * @return the fields in display order
   */
  public static Map<String, Object> of(X509Certificate certificate, Instant now) {
    PeerIdentity identity = PeerIdentity.of(List.of(certificate));
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("subject", certificate.getSubjectX500Principal().getName(X500Principal.RFC2253));
    fields.put("issuer", certificate.getIssuerX500Principal().getName(X500Principal.RFC2253));
    fields.put("serial", certificate.getSerialNumber().toString(16));
    identity.commonName().ifPresent(cn -> fields.put("commonName", cn));
    fields.put("dnsNames", identity.dnsNames());
    fields.put("ipAddresses", identity.ipAddresses());
    fields.put("uris", identity.uris().stream().map(Object::toString).toList());
    fields.put("emails", identity.emails());
    identity.spiffeId().ifPresent(id -> fields.put("spiffeId", id.toString()));
    fields.put("extendedKeyUsage", identity.extendedKeyUsages().stream().map(CertificateDetails::keyPurpose).toList());
    fields.put("ca", certificate.getBasicConstraints() >= 0);
    fields.put("notBefore", identity.notBefore().toString());
    fields.put("notAfter", identity.notAfter().toString());
    fields.put("daysLeft", Duration.between(now, identity.notAfter()).toDays());
    fields.put("keyType", keyType(certificate.getPublicKey()));
    fields.put("keySize", keySize(certificate.getPublicKey()));
    fields.put("signatureAlgorithm", certificate.getSigAlgName());
    fields.put("sha256Fingerprint", identity.sha256Fingerprint());
    return fields;
  }

  private static final Map<String, String> KEY_PURPOSES = Map.of(
      "1.3.6.1.5.5.7.3.1", "serverAuth",
      "1.3.6.1.5.5.7.3.2", "clientAuth",
      "1.3.6.1.5.5.7.3.3", "codeSigning",
      "1.3.6.1.5.5.7.3.4", "emailProtection",
      "1.3.6.1.5.5.7.3.8", "timeStamping",
      "1.3.6.1.5.5.7.3.9", "OCSPSigning",
      "2.5.29.37.0", "anyExtendedKeyUsage");

  /**
   * The RFC 5280 name of an extended key usage, such as {@code serverAuth}; the OID itself for
   * purposes without one.
   *
   * @param oid a dotted OID
   * @return its name, or the OID
   */
  public static String keyPurpose(String oid) {
    return KEY_PURPOSES.getOrDefault(oid, oid);
  }

  /**
   * What a careful reader should notice about a certificate: expired or expiring within {@code
   * warnWithin}, not yet valid, a weak key (RSA under 2048 bits, EC under 256), a SHA-1 (or MD5)
   * signature, and, for an end-entity certificate, no extended key usage (a TLS peer then accepts
   * it for any purpose).
   *
   * @param certificate the certificate
   * @param now the instant validity is judged at
   * @param warnWithin how close to its end a certificate counts as expiring
   * @return the warnings, each one short sentence; empty when there is nothing to say
   */
  public static List<String> warnings(X509Certificate certificate, Instant now, Duration warnWithin) {
    List<String> warnings = new ArrayList<>();
    Instant notAfter = certificate.getNotAfter().toInstant();
    if (now.isAfter(notAfter)) {
      warnings.add("expired " + Duration.between(notAfter, now).toDays() + " days ago (" + notAfter + ")");
    } else if (now.plus(warnWithin).isAfter(notAfter)) {
      warnings.add("expires in " + Duration.between(now, notAfter).toDays() + " days (" + notAfter + ")");
    }
    if (now.isBefore(certificate.getNotBefore().toInstant())) {
      warnings.add("not valid before " + certificate.getNotBefore().toInstant());
    }
    weakKey(certificate.getPublicKey()).ifPresent(warnings::add);
    String signature = certificate.getSigAlgName().toUpperCase(Locale.ROOT);
    if (signature.contains("SHA1") || signature.contains("MD5")) {
      warnings.add("signed with " + certificate.getSigAlgName() + ", which peers refuse: re-issue it with SHA-256");
    }
    try {
      if (certificate.getBasicConstraints() < 0 && certificate.getExtendedKeyUsage() == null) {
        warnings.add("no extended key usage: peers accept it as a server and as a client");
      }
    } catch (CertificateParsingException e) {
      warnings.add("the extended key usage cannot be read: " + e.getMessage());
    }
    return warnings;
  }

  /**
   * A warning for a key too weak to rely on: RSA under 2048 bits, EC under 256.
   *
   * @param key the key
   * @return the warning, or empty for a key of acceptable strength
   */
  public static Optional<String> weakKey(PublicKey key) {
    int size = keySize(key);
    String type = keyType(key);
    boolean weak = (type.equals("RSA") && size < 2048) || (type.equals("EC") && size < 256);
    return weak ? Optional.of("weak key: " + type + " " + size + " bits (use RSA 2048+ or EC P-256+)")
        : Optional.empty();
  }

  /**
   * The name of a public key's type, as people write it: {@code EC}, {@code RSA},
   * {@code Ed25519}.
   *
   * @param key the key
   * @return its type
   */
  public static String keyType(PublicKey key) {
    String algorithm = key.getAlgorithm();
    return algorithm.equals("EdDSA") ? "Ed25519" : algorithm;
  }

  /**
   * The size of a public key in bits (the curve's field size for EC), or 0 where the notion does
   * not apply.
   *
   * @param key the key
   * @return its size in bits
   */
  public static int keySize(PublicKey key) {
    if (key instanceof RSAPublicKey rsa) {
      return rsa.getModulus().bitLength();
    }
    if (key instanceof ECPublicKey ec) {
      return ec.getParams().getCurve().getField().getFieldSize();
    }
    return key.getAlgorithm().equals("Ed25519") || key.getAlgorithm().equals("EdDSA") ? 255 : 0;
  }
}
