package dev.mtls.cli.describe;

import dev.mtls.core.PeerIdentity;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
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
    fields.put("extendedKeyUsage", identity.extendedKeyUsages());
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
