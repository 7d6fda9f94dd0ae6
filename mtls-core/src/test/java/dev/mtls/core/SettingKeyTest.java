package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The nearest known key to the typos people make in settings. */
class SettingKeyTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "CERT_FIEL, CERT_FILE",            // two letters swapped
      "CERT_FLE, CERT_FILE",             // one left out
      "CA_CERT, CA_CERT_FILE",           // cut short
      "KEY_PASWORD, KEY_PASSWORD",
      "KEY_PASSWORD_FIL, KEY_PASSWORD_FILE",
      "SERVER_SPIFFEID, SERVER_SPIFFE_ID",
      "ALLOWED_COMMON_NAME, ALLOWED_COMMON_NAMES",
      "ALLOWED_SPIFFE_ID, ALLOWED_SPIFFE_IDS",
      "ALLOW_PEERS, ALLOWED_PEERS",
      "VERIFY, VERIFY_MODE",
      "CRL_URLS, CRL_URL",
      "PROTOCOL, PROTOCOL_VERSION",
      "ENABLE, ENABLED",
  })
  void closest_findsTheKeyMeant(String typo, SettingKey meant) {
    assertThat(SettingKey.closest(typo)).isEqualTo(meant);
  }

  @ParameterizedTest(name = "{0} to {1}: {2}")
  @CsvSource({
      "ABC, ABC, 0",
      "ABC, ACB, 1",
      "ABC, AB, 1",
      "KITTEN, SITTING, 3",
      "'', ABC, 3",
  })
  void editDistance_countsInsertionsDeletionsSubstitutionsAndSwaps(String a, String b, int distance) {
    assertThat(SettingKey.editDistance(a, b)).isEqualTo(distance);
  }
}
