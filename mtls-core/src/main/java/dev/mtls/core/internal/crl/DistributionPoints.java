package dev.mtls.core.internal.crl;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

/**
 * The CRL distribution points of one certificate (RFC 5280, section 4.2.1.13), read once per
 * certificate check and only when a CRL's scope needs them: names made comparable with those
 * of an issuing distribution point ({@link #key}), a name relative to the CRL issuer resolved to
 * a full directory name, and the {@code cRLIssuer} of each point. The point's {@code reasons}
 * are not read: a CRL is consulted for every reason it covers, which can only find more
 * revocations.
 *
 * @param points the points; empty for a certificate without the extension, or whose extension
 *     does not decode (the certificate is then covered by no CRL scoped to distribution points)
 */
record DistributionPoints(List<Point> points) {
  private static final DistributionPoints NONE = new DistributionPoints(List.of());

  /**
   * One distribution point.
   *
   * @param names its full names, keyed by {@link #key}; empty when it has none
   * @param crlIssuers the directory names of its {@code cRLIssuer}; empty when the
   *     certificate's issuer issues the CRL
   */
  record Point(List<Object> names, List<X500Principal> crlIssuers) {}

  /**
   * Reads a certificate's distribution points.
   *
   * @param certificate the certificate
   * @return its points, possibly none
   */
  static DistributionPoints of(X509Certificate certificate) {
    byte[] extension = certificate.getExtensionValue(Extension.cRLDistributionPoints.getId());
    if (extension == null) {
      return NONE;
    }
    try {
      CRLDistPoint list = CRLDistPoint.getInstance(DEROctetString.getInstance(extension).getOctets());
      List<Point> points = new ArrayList<>();
      for (DistributionPoint point : list.getDistributionPoints()) {
        List<X500Principal> crlIssuers = new ArrayList<>(1);
        if (point.getCRLIssuer() != null) {
          for (GeneralName name : point.getCRLIssuer().getNames()) {
            if (name.getTagNo() == GeneralName.directoryName) {
              crlIssuers.add(principal(X500Name.getInstance(name.getName())));
            }
          }
        }
        X500Principal base = crlIssuers.isEmpty() ? certificate.getIssuerX500Principal() : crlIssuers.get(0);
        points.add(new Point(names(point.getDistributionPoint(), base), crlIssuers));
      }
      return new DistributionPoints(List.copyOf(points));
    } catch (IOException | RuntimeException e) {
      // Bouncy Castle's lazy structures throw unchecked exceptions on malformed parts
      return NONE;
    }
  }

  /**
   * The comparable names of a distribution point name: each full name by {@link #key}, or the
   * name relative to {@code base} (the CRL issuer) as the directory name it stands for.
   *
   * @param name the distribution point name, or {@code null}
   * @param base the name a relative name is appended to
   * @return the names; empty for {@code null}
   * @throws IOException when a name does not encode
   */
  static List<Object> names(DistributionPointName name, X500Principal base) throws IOException {
    if (name == null) {
      return List.of();
    }
    if (name.getType() == DistributionPointName.FULL_NAME) {
      List<Object> keys = new ArrayList<>();
      for (GeneralName general : GeneralNames.getInstance(name.getName()).getNames()) {
        keys.add(key(general));
      }
      return List.copyOf(keys);
    }
    // nameRelativeToCRLIssuer: RFC 5280, section 4.2.1.13 appends it to the CRL issuer's name
    RDN[] rdns = X500Name.getInstance(base.getEncoded()).getRDNs();
    RDN[] full = Arrays.copyOf(rdns, rdns.length + 1);
    full[rdns.length] = RDN.getInstance(ASN1Set.getInstance(name.getName()));
    return List.of(principal(new X500Name(full)));
  }

  /**
   * A general name as compared between distribution points: a directory name by {@link
   * X500Principal} equality (which compares canonical forms), any other by its encoding.
   *
   * @param name the name
   * @return a value with the equality to compare by
   * @throws IOException when a directory name does not encode
   */
  static Object key(GeneralName name) throws IOException {
    return name.getTagNo() == GeneralName.directoryName
        ? principal(X500Name.getInstance(name.getName())) : name;
  }

  private static X500Principal principal(X500Name name) throws IOException {
    return new X500Principal(name.getEncoded());
  }
}
