package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.mtls.testkit.PemFiles;
import dev.mtls.testkit.TestCa;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@code TLS_*} key with bad values: malformed, overflowing, out of bounds, empty,
 * duplicated, contradicting another key, naming a file that is not there, hostile text. Each
 * case starts from settings that build a working context and changes one thing; reading the
 * settings, making the builder or building the context must then fail with an {@link
 * MtlsSettingsException} whose {@code key()} is the key at fault and whose message, one
 * escaped and bounded line, names the key and the value and never holds the key's password.
 * Nothing else escapes: no {@code IllegalArgumentException}, {@code ArithmeticException},
 * {@code DateTimeParseException} or {@code NullPointerException}.
 */
class SettingsErrorMatrixTest {
  /** The password of both private keys: no message may ever hold it. */
  private static final String PASSWORD = "Pw-canary-7f3e";
  /** A message has the key, the value cut to 256 characters, and words: never a page. */
  private static final int MAX_MESSAGE_CHARS = 1_500;
  private static final String LONG_VALUE = "x".repeat(10_000);

  @TempDir static Path dir;

  private static Map<String, String> server;
  private static Map<String, String> client;
  private static Map<String, String> placeholders;

  /** Which builder a case ends in. */
  enum Side { SERVER, CLIENT }

  /**
   * One bad setting: what changes in the working settings of a side (a {@code null} value
   * removes the key), the key the error must name, and the words its message must hold.
   */
  record Case(String name, Side side, Map<String, String> changes, String key, List<String> says) {
    @Override
    public String toString() {
      return name;
    }
  }

  @BeforeAll
  static void writeFiles() throws IOException {
    TestCa ca = TestCa.create();
    PemFiles serverFiles = ca.server("localhost").writeEncryptedPem(dir.resolve("server"), PASSWORD.toCharArray());
    PemFiles clientFiles = ca.client("orders").writeEncryptedPem(dir.resolve("client"), PASSWORD.toCharArray());
    Path crl = ca.writeCrl(dir.resolve("ca.crl"));
    Path directory = Files.createDirectories(dir.resolve("a-directory"));
    Path emptyPasswordFile = Files.writeString(dir.resolve("empty-password"), "\n");
    Path hugePasswordFile = Files.writeString(dir.resolve("huge-password"), "p".repeat(9_000));
    server = new LinkedHashMap<>();
    server.put("TLS_CERT_FILE", serverFiles.chain().toString());
    server.put("TLS_KEY_FILE", serverFiles.privateKey().toString());
    server.put("TLS_KEY_PASSWORD", PASSWORD);
    server.put("TLS_CA_CERT_FILE", serverFiles.caCertificate().toString());
    server.put("TLS_ALLOWED_COMMON_NAMES", "orders");
    server.put("TLS_CRL_FILE", crl.toString());
    client = new LinkedHashMap<>();
    client.put("TLS_CERT_FILE", clientFiles.chain().toString());
    client.put("TLS_KEY_FILE", clientFiles.privateKey().toString());
    client.put("TLS_KEY_PASSWORD", PASSWORD);
    client.put("TLS_CA_CERT_FILE", clientFiles.caCertificate().toString());
    placeholders = Map.of(
        "<crl>", crl.toString(),
        "<missing>", dir.resolve("missing.pem").toString(),
        "<dir>", directory.toString(),
        "<empty-file>", emptyPasswordFile.toString(),
        "<huge-file>", hugePasswordFile.toString());
  }

  static Stream<Case> cases() {
    List<Case> cases = new ArrayList<>();
    // TLS_ENABLED
    cases.add(server("ENABLED", "maybe", "\"maybe\"", "true or false"));
    cases.add(server("ENABLED", "", "is empty"));
    cases.add(server("ENABLED", "   ", "is empty"));
    // files: empty, not a path, missing, a directory, absent where needed
    for (String key : List.of("CERT_FILE", "KEY_FILE", "CA_CERT_FILE")) {
      cases.add(server(key, "", "is empty"));
      cases.add(server(key, "a\u0000b", "\"a\\u0000b\"", "not a path"));
      cases.add(server(key, "<missing>", "\"<missing>\"", "does not exist"));
    }
    cases.add(server("CERT_FILE", "<dir>", "\"<dir>\"", "is a directory"));
    cases.add(server("KEY_FILE", "<dir>", "\"<dir>\"", "is a directory"));
    cases.add(client("CA_CERT_FILE", "<missing>", "\"<missing>\"", "does not exist"));
    cases.add(new Case("server without TLS_CERT_FILE and TLS_KEY_FILE", Side.SERVER,
        changes("TLS_CERT_FILE", null, "TLS_KEY_FILE", null, "TLS_KEY_PASSWORD", null), "TLS_CERT_FILE",
        List.of("a server needs TLS_CERT_FILE and TLS_KEY_FILE")));
    cases.add(new Case("TLS_CERT_FILE without TLS_KEY_FILE", Side.SERVER, changes("TLS_KEY_FILE", null),
        "TLS_KEY_FILE", List.of("not its private key")));
    cases.add(new Case("TLS_KEY_FILE without TLS_CERT_FILE", Side.SERVER, changes("TLS_CERT_FILE", null),
        "TLS_CERT_FILE", List.of("not the certificate")));
    cases.add(new Case("client without TLS_CA_CERT_FILE", Side.CLIENT, changes("TLS_CA_CERT_FILE", null),
        "TLS_CA_CERT_FILE", List.of("a client needs the CAs")));
    cases.add(new Case("server asking for client certificates without TLS_CA_CERT_FILE", Side.SERVER,
        changes("TLS_CA_CERT_FILE", null, "TLS_CRL_FILE", null), "TLS_CA_CERT_FILE", List.of("CERT_REQUIRED")));
    cases.add(new Case("TLS_CA_CERT_FILE on a server with CERT_NONE", Side.SERVER,
        changes("TLS_VERIFY_MODE", "CERT_NONE", "TLS_ALLOWED_COMMON_NAMES", null, "TLS_CRL_FILE", null),
        "TLS_CA_CERT_FILE", List.of("CERT_NONE")));
    // TLS_KEY_PASSWORD and TLS_KEY_PASSWORD_FILE
    cases.add(server("KEY_PASSWORD", "", "is empty"));
    cases.add(new Case("TLS_KEY_PASSWORD and TLS_KEY_PASSWORD_FILE", Side.SERVER,
        changes("TLS_KEY_PASSWORD_FILE", "<empty-file>"), "TLS_KEY_PASSWORD", List.of("not both")));
    cases.add(new Case("TLS_KEY_PASSWORD without a key", Side.CLIENT,
        changes("TLS_CERT_FILE", null, "TLS_KEY_FILE", null), "TLS_KEY_PASSWORD", List.of("TLS_KEY_FILE is not")));
    for (String[] bad : new String[][] {
        {"<missing>", "cannot read"}, {"<dir>", "cannot read"}, {"<empty-file>", "is empty"},
        {"<huge-file>", "larger than 8192 bytes"}, {"", "is empty"}}) {
      cases.add(new Case("TLS_KEY_PASSWORD_FILE=" + bad[0], Side.SERVER,
          changes("TLS_KEY_PASSWORD", null, "TLS_KEY_PASSWORD_FILE", bad[0]), "TLS_KEY_PASSWORD_FILE",
          bad[0].isEmpty() ? List.of(bad[1]) : List.of("\"" + bad[0] + "\"", bad[1])));
    }
    // TLS_PROTOCOL_VERSION, TLS_CIPHERS
    cases.add(server("PROTOCOL_VERSION", "TLSv1.1", "\"TLSv1.1\"", "TLSv1.3 (default) or TLSv1.2"));
    cases.add(server("PROTOCOL_VERSION", "SSLv3", "\"SSLv3\""));
    cases.add(server("PROTOCOL_VERSION", "TLSv1.3,TLSv1.2", "\"TLSv1.3,TLSv1.2\""));
    cases.add(server("PROTOCOL_VERSION", "", "is empty"));
    cases.add(server("CIPHERS", "TLS_FAKE_WITH_NULL_NULL", "TLS_FAKE_WITH_NULL_NULL", "not allowed"));
    cases.add(server("CIPHERS", "TLS_AES_128_GCM_SHA256,TLS_AES_128_GCM_SHA256", "\"TLS_AES_128_GCM_SHA256\"",
        "twice"));
    cases.add(server("CIPHERS", "TLS_AES_128_GCM_SHA256:TLS_AES_128_GCM_SHA256", "\"TLS_AES_128_GCM_SHA256\"",
        "twice"));
    cases.add(server("CIPHERS", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        "TLSv1.2"));
    cases.add(server("CIPHERS", ",", "empty entry"));
    cases.add(server("CIPHERS", "", "is empty"));
    // TLS_VERIFY_MODE
    cases.add(server("VERIFY_MODE", "CERT_MAYBE", "\"CERT_MAYBE\"", "CERT_NONE, CERT_OPTIONAL, CERT_REQUIRED"));
    cases.add(server("VERIFY_MODE", "REQUIRED", "\"REQUIRED\""));
    cases.add(server("VERIFY_MODE", "", "is empty"));
    cases.add(client("VERIFY_MODE", "CERT_OPTIONAL", "CERT_OPTIONAL", "clients always verify"));
    cases.add(client("VERIFY_MODE", "CERT_NONE", "CERT_NONE", "clients always verify"));
    // TLS_ALLOWED_PEERS
    cases.add(server("ALLOWED_PEERS", "all", "\"all\"", "is not 'any'"));
    cases.add(server("ALLOWED_PEERS", "", "is empty"));
    cases.add(server("ALLOWED_PEERS", "any", "\"any\"", "TLS_ALLOWED_COMMON_NAMES"));
    cases.add(new Case("server asking for client certificates without an allow-list", Side.SERVER,
        changes("TLS_ALLOWED_COMMON_NAMES", null), "TLS_ALLOWED_PEERS", List.of("no allow-list")));
    cases.add(client("ALLOWED_PEERS", "any", "names the clients a server lets in"));
    // the allow-lists
    for (String[] list : new String[][] {
        {"ALLOWED_COMMON_NAMES", "orders"}, {"ALLOWED_DNS_NAMES", "orders.internal"},
        {"ALLOWED_URIS", "https://id.example/orders"}, {"ALLOWED_SPIFFE_IDS", "spiffe://prod.example/orders"}}) {
      String key = list[0];
      String name = list[1];
      cases.add(server(key, name + "," + name, "\"" + name + "\"", "twice"));
      cases.add(server(key, name + ",," + name, "empty entry"));
      cases.add(server(key, name + ",", "empty entry"));
      cases.add(server(key, "", "is empty"));
      cases.add(client(key, name, "names the clients a server lets in"));
      cases.add(new Case("TLS_" + key + " with CERT_NONE", Side.SERVER,
          changes("TLS_ALLOWED_COMMON_NAMES", null, "TLS_CRL_FILE", null, "TLS_CA_CERT_FILE", null,
              "TLS_VERIFY_MODE", "CERT_NONE", "TLS_" + key, name),
          "TLS_" + key, List.of("CERT_NONE")));
    }
    cases.add(server("ALLOWED_DNS_NAMES", "not a dns name!", "\"not a dns name!\""));
    cases.add(server("ALLOWED_URIS", "not a uri", "\"not a uri\""));
    cases.add(server("ALLOWED_URIS", "relative/path", "\"relative/path\""));
    cases.add(server("ALLOWED_SPIFFE_IDS", "spiffe://", "\"spiffe://\""));
    cases.add(server("ALLOWED_SPIFFE_IDS", "https://prod.example/orders", "\"https://prod.example/orders\""));
    // TLS_REQUIRED_ISSUER
    cases.add(server("REQUIRED_ISSUER", "not a distinguished name", "\"not a distinguished name\"",
        "not a distinguished name"));
    cases.add(server("REQUIRED_ISSUER", "", "is empty"));
    cases.add(new Case("TLS_REQUIRED_ISSUER with TLS_SERVER_NAME", Side.CLIENT,
        changes("TLS_SERVER_NAME", "payments.internal", "TLS_REQUIRED_ISSUER", "CN=Issuing CA"),
        "TLS_REQUIRED_ISSUER", List.of("TLS_SERVER_NAME")));
    // TLS_SERVER_NAME, TLS_SERVER_SPIFFE_ID
    cases.add(client("SERVER_NAME", "*.example.com", "\"*.example.com\""));
    cases.add(client("SERVER_NAME", "bad name!", "\"bad name!\""));
    cases.add(client("SERVER_NAME", "", "is empty"));
    cases.add(server("SERVER_NAME", "payments.internal", "names the server a client expects"));
    cases.add(client("SERVER_SPIFFE_ID", "spiffe://", "\"spiffe://\""));
    cases.add(client("SERVER_SPIFFE_ID", "spiffe://prod.example/a,spiffe://prod.example/a",
        "\"spiffe://prod.example/a\"", "twice"));
    cases.add(client("SERVER_SPIFFE_ID", "", "is empty"));
    cases.add(server("SERVER_SPIFFE_ID", "spiffe://prod.example/a", "names the server a client expects"));
    cases.add(new Case("TLS_SERVER_NAME and TLS_SERVER_SPIFFE_ID", Side.CLIENT,
        changes("TLS_SERVER_NAME", "payments.internal", "TLS_SERVER_SPIFFE_ID", "spiffe://prod.example/a"),
        "TLS_SERVER_SPIFFE_ID", List.of("not both")));
    // durations: malformed, negative, overflowing, out of bounds, empty
    for (String key : List.of("CLOCK_SKEW", "HANDSHAKE_TIMEOUT", "RELOAD_INTERVAL", "CRL_REFRESH_INTERVAL", "CRL_MAX_STALENESS")) {
      cases.add(server(key, "soon", "\"soon\"", "not a duration"));
      cases.add(server(key, "5 minutes", "\"5 minutes\"", "not a duration"));
      cases.add(server(key, "1.5m", "\"1.5m\"", "not a duration"));
      cases.add(server(key, "-5s", "\"-5s\"", "not a duration"));
      cases.add(server(key, "PT-5S", "\"PT-5S\"", "negative"));
      cases.add(server(key, "99999999999999d", "\"99999999999999d\""));
      cases.add(server(key, "P99999999999999D", "\"P99999999999999D\""));
      cases.add(server(key, "PT99999999999999999999H", "\"PT99999999999999999999H\""));
      cases.add(server(key, "9999999999999999999s", "\"9999999999999999999s\""));
      cases.add(server(key, "", "is empty"));
    }
    cases.add(server("CLOCK_SKEW", "2h", "\"2h\"", "between 0s and 1h"));
    cases.add(server("CLOCK_SKEW", "61m", "\"61m\"", "between 0s and 1h"));
    cases.add(server("HANDSHAKE_TIMEOUT", "0s", "\"0s\"", "between 100ms and 5m"));
    cases.add(server("HANDSHAKE_TIMEOUT", "99ms", "\"99ms\"", "between 100ms and 5m"));
    cases.add(client("HANDSHAKE_TIMEOUT", "301s", "\"301s\"", "between 100ms and 5m"));
    cases.add(server("RELOAD_INTERVAL", "10ms", "\"10ms\"", "between 1s and 1d"));
    cases.add(server("RELOAD_INTERVAL", "999ms", "\"999ms\"", "between 1s and 1d"));
    cases.add(server("RELOAD_INTERVAL", "0s", "\"0s\"", "between 1s and 1d"));
    cases.add(server("RELOAD_INTERVAL", "25h", "\"25h\"", "between 1s and 1d"));
    cases.add(server("CRL_REFRESH_INTERVAL", "1ms", "\"1ms\"", "between 1m and 7d"));
    cases.add(server("CRL_REFRESH_INTERVAL", "0", "\"0\"", "between 1m and 7d"));
    cases.add(server("CRL_REFRESH_INTERVAL", "59s", "\"59s\"", "between 1m and 7d"));
    cases.add(server("CRL_REFRESH_INTERVAL", "8d", "\"8d\"", "between 1m and 7d"));
    cases.add(server("CRL_MAX_STALENESS", "0s", "\"0s\"", "between 1s and 30d"));
    cases.add(server("CRL_MAX_STALENESS", "31d", "\"31d\"", "between 1s and 30d"));
    for (String key : List.of("CRL_REFRESH_INTERVAL", "CRL_MAX_STALENESS")) {
      cases.add(new Case("TLS_" + key + " without a CRL", Side.SERVER, changes("TLS_CRL_FILE", null, "TLS_" + key, "1h"),
          "TLS_" + key, List.of("no CRL is")));
    }
    // TLS_CRL_FILE
    cases.add(server("CRL_FILE", "<crl>,<crl>", "\"<crl>\"", "twice"));
    cases.add(server("CRL_FILE", "<crl>,", "empty entry"));
    cases.add(server("CRL_FILE", "", "is empty"));
    cases.add(server("CRL_FILE", "<crl>,<missing>", "\"<missing>\"", "does not exist"));
    cases.add(server("CRL_FILE", "<dir>", "\"<dir>\"", "is a directory"));
    cases.add(server("CRL_FILE", "a\u0000b", "\"a\\u0000b\"", "not a path"));
    // TLS_CRL_URL
    cases.add(server("CRL_URL", "http:///x", "\"http:///x\"", "no host"));
    cases.add(server("CRL_URL", "http://", "\"http://\""));
    cases.add(server("CRL_URL", "ftp://pki.example/ca.crl", "\"ftp://pki.example/ca.crl\"", "http"));
    cases.add(server("CRL_URL", "ldap://pki.example/cn=ca", "\"ldap://pki.example/cn=ca\"", "http"));
    cases.add(server("CRL_URL", "pki.example/ca.crl", "\"pki.example/ca.crl\"", "http"));
    cases.add(server("CRL_URL", "http://pki example/ca.crl", "\"http://pki example/ca.crl\"", "not a URL"));
    cases.add(server("CRL_URL", "http://pki.example/ca crl", "\"http://pki.example/ca crl\"", "not a URL"));
    cases.add(server("CRL_URL", "http://pki.example:99999/ca.crl", "\"http://pki.example:99999/ca.crl\"", "port"));
    cases.add(server("CRL_URL", "http://pki_example/ca.crl", "\"http://pki_example/ca.crl\"", "no host"));
    cases.add(server("CRL_URL", "http://ops:" + PASSWORD + "@pki.example/ca.crl", "user info"));
    cases.add(server("CRL_URL", "http://pki.example/ca.crl,http://pki.example/ca.crl", "\"http://pki.example/ca.crl\"",
        "twice"));
    cases.add(server("CRL_URL", "http://PKI.example/ca.crl,http://pki.example/ca.crl", "\"http://pki.example/ca.crl\"",
        "twice"));
    cases.add(server("CRL_URL", "http://pki.example/ca.crl,", "empty entry"));
    cases.add(server("CRL_URL", "", "is empty"));
    // TLS_CERTIFICATE_PROFILE
    cases.add(client("CERTIFICATE_PROFILE", "STRICT", "\"STRICT\"", "RFC_5280, CA_BROWSER_FORUM"));
    cases.add(client("CERTIFICATE_PROFILE", "", "is empty"));
    cases.add(server("CERTIFICATE_PROFILE", "CA_BROWSER_FORUM", "a server has none"));
    // TLS_PROVIDER
    cases.add(server("PROVIDER", "OPENSSL", "\"OPENSSL\"", "JDK", "BOUNCY_CASTLE"));
    cases.add(server("PROVIDER", "bouncy", "\"bouncy\""));
    cases.add(server("PROVIDER", "", "is empty"));
    // unknown keys, and one key twice
    cases.add(new Case("TLS_CERT_FIEL", Side.SERVER, changes("TLS_CERT_FIEL", "x"), "TLS_CERT_FIEL",
        List.of("did you mean TLS_CERT_FILE?")));
    cases.add(new Case("tls.ca.cert-file beside TLS_CA_CERT_FILE", Side.SERVER, changes("tls.ca.cert-file", "b.pem"),
        "TLS_CA_CERT_FILE", List.of("given twice")));
    // hostile text: a forged log line, an invisible character, a huge value
    cases.add(server("VERIFY_MODE", "CERT_NONE\nERROR forged line", "\"CERT_NONE\\u000aERROR forged line\""));
    cases.add(server("CRL_URL", "http://pki.example/\u202ecrl.lave", "\\u202e"));
    cases.add(server("PROVIDER", LONG_VALUE, "(10000 chars)"));
    cases.add(server("CRL_URL", "http://" + LONG_VALUE + "/ca.crl", "(10014 chars)", "host"));
    cases.add(server("ALLOWED_DNS_NAMES", LONG_VALUE, "(10000 chars)"));
    cases.add(server("REQUIRED_ISSUER", LONG_VALUE, "(10000 chars)"));
    cases.add(server("CERT_FILE", "x".repeat(70_000), "(70000 chars)", "longer than"));
    cases.add(new Case("a key with a newline", Side.SERVER, changes("TLS_CERT\nERROR forged", "x"),
        "TLS_CERT\nERROR FORGED", List.of("TLS_CERT\\u000aERROR FORGED", "unknown setting")));
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void badSetting_isAnMtlsSettingsException_namingTheKeyAndTheValue(Case bad) {
    Map<String, String> settings = apply(bad.side() == Side.SERVER ? server : client, bad.changes());

    Throwable thrown = catchThrowable(() -> {
      MtlsSettings read = MtlsSettings.fromMap(settings);
      ContextBuilder<?> builder = bad.side() == Side.SERVER ? read.serverBuilder() : read.clientBuilder();
      builder.listener(MtlsListener.silent()).build().close();
    });

    assertThat(thrown).as(bad.name()).isExactlyInstanceOf(MtlsSettingsException.class);
    MtlsSettingsException error = (MtlsSettingsException) thrown;
    assertThat(error.key()).isEqualTo(bad.key());
    assertThat(error.getMessage())
        .startsWith(SafeText.printable(bad.key()) + ": ")
        .contains(bad.says().stream().map(SettingsErrorMatrixTest::resolve).toList())
        .hasSizeLessThan(MAX_MESSAGE_CHARS)
        .doesNotContain(PASSWORD);
    assertOneEscapedLine(error.getMessage());
    for (Throwable cause = error.getCause(); cause != null; cause = cause.getCause()) {
      assertThat(String.valueOf(cause.getMessage())).as("cause %s", cause).doesNotContain(PASSWORD);
      assertOneEscapedLine(String.valueOf(cause.getMessage()));
    }
  }

  @Test
  void everyKey_hasBadValuesInTheMatrix() {
    Set<SettingKey> named = cases().map(Case::key).filter(key -> key.startsWith("TLS_"))
        .map(key -> key.substring("TLS_".length()))
        .filter(name -> Arrays.stream(SettingKey.values()).anyMatch(key -> key.name().equals(name)))
        .map(SettingKey::valueOf)
        .collect(Collectors.toCollection(() -> EnumSet.noneOf(SettingKey.class)));
    assertThat(named).containsExactlyInAnyOrder(SettingKey.values());
  }

  @Test
  void theWorkingSettings_buildContextsThatShakeHands() throws Exception {
    try (MtlsContext serverContext = MtlsSettings.fromMap(server).serverBuilder().listener(MtlsListener.silent()).build();
        MtlsContext clientContext = MtlsSettings.fromMap(client).clientBuilder().listener(MtlsListener.silent()).build();
        LoopbackServer loopback = new LoopbackServer(serverContext)) {
      assertThat(LoopbackClient.connect(clientContext, "localhost", loopback.port()).getProtocol()).isEqualTo("TLSv1.3");
      assertThat(loopback.nextOutcome().succeeded()).isTrue();
    }
  }

  private static void assertOneEscapedLine(String message) {
    assertThat(message.chars().filter(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT))
        .as("control or invisible characters in %s", message).isEmpty();
  }

  private static Map<String, String> apply(Map<String, String> base, Map<String, String> changes) {
    Map<String, String> settings = new LinkedHashMap<>(base);
    changes.forEach((key, value) -> {
      if (value == null) {
        settings.remove(key);
      } else {
        settings.put(key, resolve(value));
      }
    });
    return settings;
  }

  private static String resolve(String text) {
    String resolved = text;
    for (Map.Entry<String, String> placeholder : placeholders.entrySet()) {
      resolved = resolved.replace(placeholder.getKey(), placeholder.getValue());
    }
    return resolved;
  }

  private static Case server(String key, String value, String... says) {
    return new Case("TLS_" + key + "=" + shown(value), Side.SERVER, changes("TLS_" + key, value), "TLS_" + key,
        List.of(says));
  }

  private static Case client(String key, String value, String... says) {
    return new Case("client TLS_" + key + "=" + shown(value), Side.CLIENT, changes("TLS_" + key, value),
        "TLS_" + key, List.of(says));
  }

  private static String shown(String value) {
    return SafeText.printable(value.length() > 40 ? value.substring(0, 40) + "..." : value);
  }

  /** Keys and values, in pairs; a {@code null} value removes the key. */
  private static Map<String, String> changes(String... keysAndValues) {
    Map<String, String> changes = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      changes.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return changes;
  }
}
