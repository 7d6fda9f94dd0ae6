package dev.mtls.core.internal.validation;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.util.ArrayList;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.ASN1UniversalString;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * Reads attributes out of a distinguished name from its DER encoding, attribute by attribute.
 *
 * <p>Never from the DN's string form: splitting {@code "OU=CN\=admin,CN=x"} on commas and equals
 * signs is how a name that merely contains {@code CN=admin} gets taken for the CN
 * {@code admin}. Values are decoded from their ASN.1 string types, with no unescaping and no
 * normalisation, so that {@code "admin "}, {@code "admin\0"} and a Cyrillic {@code "аdmin"}
 * stay different from {@code "admin"}.
 */
public final class DistinguishedNames {
  private DistinguishedNames() {}

  /**
   * All common name values of a DN, in the order they are encoded, including those inside
   * multi-valued RDNs such as {@code CN=a+O=b}.
   *
   * @param name the DN
   * @return the CN values, possibly empty
   * @throws IllegalArgumentException when the DN's encoding cannot be parsed or a CN value is not
   *     a string
   */
  public static List<String> commonNames(X500Principal name) {
    X500Name parsed;
    try {
      parsed = X500Name.getInstance(ASN1Primitive.fromByteArray(name.getEncoded()));
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("the DN cannot be parsed: " + e.getMessage(), e);
    }
    List<String> values = new ArrayList<>(1);
    for (RDN rdn : parsed.getRDNs()) {
      for (AttributeTypeAndValue attribute : rdn.getTypesAndValues()) {
        if (BCStyle.CN.equals(attribute.getType())) {
          values.add(stringValue(attribute.getValue()));
        }
      }
    }
    return values;
  }

  private static String stringValue(ASN1Encodable value) {
    // BC renders a UniversalString as "#<hex>" for lack of a decoder; it is UTF-32 (X.680).
    if (value instanceof ASN1UniversalString universal) {
      return decodeStrictly(universal.getOctets(), Charset.forName("UTF-32BE"), "UniversalString");
    }
    if (value instanceof ASN1String string) {
      try {
        return string.getString();
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("a CN value is badly encoded: " + e.getMessage(), e);
      }
    }
    throw new IllegalArgumentException(
        "a CN value is not a string but an ASN.1 " + value.getClass().getSimpleName());
  }

  private static String decodeStrictly(byte[] bytes, Charset charset, String type) {
    try {
      return charset
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("a CN value is not a valid " + type, e);
    }
  }
}
