package dev.mtls.core;

import dev.mtls.core.internal.validation.IpAddress;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.jspecify.annotations.Nullable;

/**
 * The DNS, IP, URI and email entries of a certificate's subject alternative name extension
 * (RFC 5280, 4.2.1.6), decoded from DER.
 *
 * <p>Decoded here rather than through {@link X509Certificate#getSubjectAlternativeNames()},
 * whose JDK implementation drops the whole extension when one entry fails its own syntax check
 * and prints IPv6 addresses uncompressed. Other name types (directory names, other names) are
 * not read.
 *
 * @param dnsNames {@code dNSName} entries as encoded (bytes outside ASCII become chars
 *     U+0080..U+00FF, which no DNS rule matches)
 * @param ipAddresses {@code iPAddress} entries as text: IPv4 dotted, IPv6 in RFC 5952 form
 * @param uris {@code uniformResourceIdentifier} entries as encoded
 * @param emails {@code rfc822Name} entries as encoded
 */
record SubjectAltNames(
    List<String> dnsNames, List<String> ipAddresses, List<String> uris, List<String> emails) {

  private static final SubjectAltNames NONE =
      new SubjectAltNames(List.of(), List.of(), List.of(), List.of());

  SubjectAltNames {
    dnsNames = List.copyOf(dnsNames);
    ipAddresses = List.copyOf(ipAddresses);
    uris = List.copyOf(uris);
    emails = List.copyOf(emails);
  }

  /**
   * Reads the subject alternative names of a certificate.
   *
   * @param certificate the certificate
   * @return its names; all lists empty when it has no such extension
   * @throws IllegalArgumentException when the extension is present but malformed
   */
  static SubjectAltNames of(X509Certificate certificate) {
    String oid = Extension.subjectAlternativeName.getId();
    if (!listed(certificate.getNonCriticalExtensionOIDs(), oid) && !listed(certificate.getCriticalExtensionOIDs(), oid)) {
      // Asked for an extension it does not have, the JDK's certificate throws and catches two exceptions.
      return NONE;
    }
    byte[] extension = certificate.getExtensionValue(oid);
    if (extension == null) {
      return NONE;
    }
    GeneralNames names;
    try {
      byte[] value = ASN1OctetString.getInstance(extension).getOctets();
      names = GeneralNames.getInstance(ASN1Primitive.fromByteArray(value));
    } catch (IOException | IllegalArgumentException | IllegalStateException e) {
      throw new IllegalArgumentException(
          "the subject alternative name extension is malformed: " + e.getMessage(), e);
    }
    List<String> dns = new ArrayList<>(2);
    List<String> ips = new ArrayList<>(0);
    List<String> uris = new ArrayList<>(1);
    List<String> emails = new ArrayList<>(0);
    for (GeneralName name : names.getNames()) {
      switch (name.getTagNo()) {
        case GeneralName.dNSName -> dns.add(text(name, "DNS name"));
        case GeneralName.iPAddress -> ips.add(ipAddress(name));
        case GeneralName.uniformResourceIdentifier -> uris.add(text(name, "URI"));
        case GeneralName.rfc822Name -> emails.add(text(name, "email address"));
        default -> {
          // Directory names, other names and registered IDs name no peer this library matches.
        }
      }
    }
    return new SubjectAltNames(dns, ips, uris, emails);
  }

  private static String text(GeneralName name, String what) {
    if (name.getName() instanceof ASN1String string) {
      return string.getString();
    }
    throw new IllegalArgumentException("a " + what + " subject alternative name is not a string");
  }

  private static String ipAddress(GeneralName name) {
    byte[] octets = ASN1OctetString.getInstance(name.getName()).getOctets();
    if (octets.length != 4 && octets.length != 16) {
      throw new IllegalArgumentException(
          "an IP address subject alternative name has " + octets.length + " bytes, not 4 or 16");
    }
    if (octets.length == 16) {
      return IpAddress.ipv6Text(octets);
    }
    return (octets[0] & 0xff) + "." + (octets[1] & 0xff) + "." + (octets[2] & 0xff) + "."
        + (octets[3] & 0xff);
  }

  private static boolean listed(@Nullable Set<String> oids, String oid) {
    return oids != null && oids.contains(oid);
  }
}
