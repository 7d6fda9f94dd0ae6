package dev.mtls.core;

import java.util.List;

/**
 * The settings {@link MtlsSettings} knows, by the name that follows the prefix
 * ({@code CERT_FILE} is {@code TLS_CERT_FILE}, or {@code KAS_TLS_CERT_FILE} under the prefix
 * {@code KAS_TLS_}), and the nearest of them to a mistyped key.
 */
enum SettingKey {
  ENABLED,
  CERT_FILE,
  KEY_FILE,
  KEY_PASSWORD,
  KEY_PASSWORD_FILE,
  CA_CERT_FILE,
  PROTOCOL_VERSION,
  CIPHERS,
  VERIFY_MODE,
  ALLOWED_PEERS,
  ALLOWED_COMMON_NAMES,
  ALLOWED_DNS_NAMES,
  ALLOWED_URIS,
  ALLOWED_SPIFFE_IDS,
  REQUIRED_ISSUER,
  SERVER_NAME,
  SERVER_SPIFFE_ID,
  CERTIFICATE_PROFILE,
  CLOCK_SKEW,
  HANDSHAKE_TIMEOUT,
  CRL_FILE,
  CRL_URL,
  CRL_REFRESH_INTERVAL,
  CRL_MAX_STALENESS,
  RELOAD_INTERVAL,
  PROVIDER;

  /** The allow-lists of a server: which clients it lets in. */
  static final List<SettingKey> ALLOW_LISTS =
      List.of(ALLOWED_COMMON_NAMES, ALLOWED_DNS_NAMES, ALLOWED_URIS, ALLOWED_SPIFFE_IDS);

  /** What only a server that asks for client certificates uses. */
  static final List<SettingKey> CLIENT_CHECKS = List.of(ALLOWED_PEERS, ALLOWED_COMMON_NAMES,
      ALLOWED_DNS_NAMES, ALLOWED_URIS, ALLOWED_SPIFFE_IDS, REQUIRED_ISSUER);

  /** What only a client uses: the server it expects. */
  static final List<SettingKey> SERVER_CHECKS = List.of(SERVER_NAME, SERVER_SPIFFE_ID);

  /** The revocation keys. */
  static final List<SettingKey> CRL_KEYS =
      List.of(CRL_FILE, CRL_URL, CRL_REFRESH_INTERVAL, CRL_MAX_STALENESS);

  /** Longer keys are compared by their first characters only: a typo is short. */
  private static final int MAX_COMPARED = 64;

  /**
   * The known key nearest to a name by edit distance: insertions, deletions, substitutions and
   * swaps of two neighbouring characters each count one (optimal string alignment, a
   * Levenshtein distance with transpositions), and a name that is a known key cut short
   * counts one more than its distance to the key's start ({@code CA_CERT} is nearest to
   * {@code CA_CERT_FILE}). The first in declaration order wins a tie.
   *
   * @param name a key without its prefix, such as {@code CERT_FIEL}
   * @return the nearest key, such as {@link #CERT_FILE}
   */
  static SettingKey closest(String name) {
    String compared = name.length() > MAX_COMPARED ? name.substring(0, MAX_COMPARED) : name;
    SettingKey best = values()[0];
    int bestDistance = Integer.MAX_VALUE;
    for (SettingKey key : values()) {
      int distance = distance(compared, key.name());
      if (distance < bestDistance) {
        best = key;
        bestDistance = distance;
      }
    }
    return best;
  }

  private static int distance(String name, String key) {
    int whole = editDistance(name, key);
    if (key.length() <= name.length()) {
      return whole;
    }
    return Math.min(whole, editDistance(name, key.substring(0, name.length())) + 1);
  }

  /** Optimal string alignment distance between two strings. */
  static int editDistance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j], d[i][j - 1]) + 1);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
