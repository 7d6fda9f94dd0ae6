package dev.mtls.benchmarks;

import dev.mtls.testkit.TestCa;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.X509CRL;
import java.util.SplittableRandom;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.x509.CertificateList;
import org.bouncycastle.asn1.x509.TBSCertList;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * A large CRL of a testkit CA, fast: the CA's own CRL (its name, dates, CRL number, key
 * identifier, its real revocations) with synthetic entries written straight into its DER and
 * signed again with the CA's key. The testkit's {@code addSyntheticRevocations} makes the same
 * CRL through Bouncy Castle's builder and has the JDK parse it, which takes minutes for
 * 1,000,000 entries on a loaded 2-core machine; here it takes well under a second, so that
 * every benchmark fork can make its own.
 *
 * <p>Each synthetic entry is a 65-bit serial (the shape of real 64-bit random serials, from a
 * fixed seed distinct from the benchmarks' look-up serials) with a revocation date and no entry
 * extensions: 28 bytes, as the testkit's.
 */
final class SyntheticCrl {
  private static final BouncyCastleProvider BC = new BouncyCastleProvider();
  private static final int ENTRY_BYTES = 28;
  private static final long SEED = 0x5eed_c71L;

  private SyntheticCrl() {}

  /**
   * The CA's CRL with synthetic entries added.
   *
   * @param ca the CA, which signs
   * @param crlNumber the CRL's number
   * @param synthetic how many entries to add to the CA's own revocations
   * @return the CRL's DER
   */
  static byte[] der(TestCa ca, long crlNumber, int synthetic) {
    X509CRL small = ca.crlBuilder().crlNumber(crlNumber).build();
    try {
      TBSCertList tbs = CertificateList.getInstance(small.getEncoded()).getTBSCertList();
      ByteArrayOutputStream revoked = new ByteArrayOutputStream(synthetic * ENTRY_BYTES + 1024);
      for (TBSCertList.CRLEntry entry : tbs.getRevokedCertificates()) {
        revoked.write(entry.getEncoded(ASN1Encoding.DER));
      }
      // UTCTime YYMMDDhhmmssZ of the CRL's thisUpdate (BC's getTime() is YYYYMMDDhhmmssGMT+00:00)
      byte[] time = (tbs.getThisUpdate().getTime().substring(2, 14) + "Z").getBytes(StandardCharsets.US_ASCII);
      byte[] date = new byte[2 + time.length];
      date[0] = 0x17;
      date[1] = (byte) time.length;
      System.arraycopy(time, 0, date, 2, time.length);
      SplittableRandom random = new SplittableRandom(SEED);
      byte[] entry = new byte[ENTRY_BYTES];
      for (int i = 0; i < synthetic; i++) {
        // SEQUENCE { INTEGER (9 bytes: 0x01 and 64 random bits), UTCTime }
        entry[0] = 0x30;
        entry[1] = 26;
        entry[2] = 0x02;
        entry[3] = 9;
        entry[4] = 0x01;
        long serial = random.nextLong();
        for (int b = 0; b < 8; b++) {
          entry[5 + b] = (byte) (serial >>> (56 - 8 * b));
        }
        System.arraycopy(date, 0, entry, 13, date.length);
        revoked.write(entry);
      }
      ByteArrayOutputStream body = new ByteArrayOutputStream(revoked.size() + 1024);
      if (tbs.getVersion() != null) {
        body.write(tbs.getVersion().getEncoded(ASN1Encoding.DER));
      }
      body.write(tbs.getSignature().getEncoded(ASN1Encoding.DER));
      body.write(tbs.getIssuer().getEncoded(ASN1Encoding.DER));
      body.write(tbs.getThisUpdate().getEncoded(ASN1Encoding.DER));
      if (tbs.getNextUpdate() != null) {
        body.write(tbs.getNextUpdate().getEncoded(ASN1Encoding.DER));
      }
      body.write(header(0x30, revoked.size()));
      revoked.writeTo(body);
      if (tbs.getExtensions() != null) {
        body.write(new DERTaggedObject(true, 0, tbs.getExtensions()).getEncoded(ASN1Encoding.DER));
      }
      byte[] signed = sequence(body);
      Signature signer = Signature.getInstance(small.getSigAlgName(), BC);
      signer.initSign(ca.keyPair().getPrivate());
      signer.update(signed);
      byte[] signature = signer.sign();
      ByteArrayOutputStream list = new ByteArrayOutputStream(signed.length + 256);
      list.write(signed);
      list.write(tbs.getSignature().getEncoded(ASN1Encoding.DER));
      list.write(header(0x03, signature.length + 1));
      list.write(0);
      list.write(signature);
      return sequence(list);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot make the synthetic CRL: " + e, e);
    }
  }

  private static byte[] sequence(ByteArrayOutputStream content) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(content.size() + 8);
    out.write(header(0x30, content.size()));
    content.writeTo(out);
    return out.toByteArray();
  }

  private static byte[] header(int tag, int length) {
    if (length < 0x80) {
      return new byte[] {(byte) tag, (byte) length};
    }
    int bytes = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
    byte[] header = new byte[2 + bytes];
    header[0] = (byte) tag;
    header[1] = (byte) (0x80 | bytes);
    for (int i = 0; i < bytes; i++) {
      header[2 + i] = (byte) (length >>> (8 * (bytes - 1 - i)));
    }
    return header;
  }
}
