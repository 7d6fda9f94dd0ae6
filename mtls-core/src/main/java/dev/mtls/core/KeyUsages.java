package dev.mtls.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The extended key usage rule of a {@link PeerPolicy} (RFC 5280, 4.2.1.12), and readable names
 * for the usual purpose OIDs.
 */
final class KeyUsages {
  private static final Map<String, String> NAMES = Map.of(
      KeyPurpose.SERVER_AUTH.oid(), "serverAuth",
      KeyPurpose.CLIENT_AUTH.oid(), "clientAuth",
      "1.3.6.1.5.5.7.3.3", "codeSigning",
      "1.3.6.1.5.5.7.3.4", "emailProtection",
      "1.3.6.1.5.5.7.3.8", "timeStamping",
      "1.3.6.1.5.5.7.3.9", "OCSPSigning",
      PeerIdentity.ANY_EXTENDED_KEY_USAGE, "anyExtendedKeyUsage");

  private KeyUsages() {}

  /**
   * Returns why a certificate's extended key usages do not fit, or {@code null} when they do.
   *
   * @param usages the certificate's EKU OIDs, empty when it has no EKU extension
   * @param required the purpose the policy requires, strictly, or {@code null}
   * @param rolePurpose the purpose of the peer's role, checked per RFC 5280 when the policy
   *     requires none
   * @return the problem, or {@code null}
   */
  static @Nullable String problem(
      List<String> usages, @Nullable KeyPurpose required, KeyPurpose rolePurpose) {
    if (required != null) {
      if (usages.isEmpty()) {
        return "has no extended key usage extension but the policy requires "
            + name(required.oid());
      }
      return permits(usages, required)
          ? null
          : "has extended key usages " + names(usages) + " but the policy requires "
              + name(required.oid());
    }
    // RFC 5280: without the extension the key may be used for any purpose.
    if (usages.isEmpty() || permits(usages, rolePurpose)) {
      return null;
    }
    String role = rolePurpose == KeyPurpose.CLIENT_AUTH ? "a client" : "a server";
    return "has extended key usages " + names(usages) + " but " + role + " needs "
        + name(rolePurpose.oid());
  }

  /**
   * A readable name for a purpose OID.
   *
   * @param oid a dotted OID
   * @return such as {@code clientAuth}, or the OID itself when it has no well-known name
   */
  static String name(String oid) {
    return NAMES.getOrDefault(oid, oid);
  }

  private static boolean permits(List<String> usages, KeyPurpose purpose) {
    return usages.contains(purpose.oid())
        || usages.contains(PeerIdentity.ANY_EXTENDED_KEY_USAGE);
  }

  private static String names(List<String> oids) {
    List<String> names = new ArrayList<>(oids.size());
    for (String oid : oids) {
      names.add(name(oid));
    }
    return names.toString();
  }
}
