package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.testkit.PemFiles;
import dev.mtls.testkit.TestCa;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MtlsSettingsTest {
  @TempDir Path dir;

  private final TestCa ca = TestCa.create();
  private PemFiles serverFiles;
  private PemFiles clientFiles;

  @BeforeEach
  void writeFiles() {
    serverFiles = ca.server("localhost").writePem(dir.resolve("server"));
    clientFiles = ca.client("orders").writePem(dir.resolve("client"));
  }

  @Test
  void serverAndClient_fromSettings_shakeHands() throws Exception {
    Map<String, String> serverEnv = Map.of(
        "TLS_CERT_FILE", serverFiles.chain().toString(),
        "TLS_KEY_FILE", serverFiles.privateKey().toString(),
        "TLS_CA_CERT_FILE", serverFiles.caCertificate().toString(),
        "TLS_VERIFY_MODE", "CERT_REQUIRED",
        "TLS_ALLOWED_COMMON_NAMES", "orders,payments",
        "PATH", "/usr/bin");
    Map<String, String> clientEnv = Map.of(
        "TLS_CERT_FILE", clientFiles.chain().toString(),
        "TLS_KEY_FILE", clientFiles.privateKey().toString(),
        "TLS_CA_CERT_FILE", clientFiles.caCertificate().toString());
    try (MtlsContext server = MtlsSettings.fromMap(serverEnv).serverBuilder().logging(false).build();
        MtlsContext client = MtlsSettings.fromMap(clientEnv).clientBuilder().build();
        LoopbackServer loopback = new LoopbackServer(server)) {
      assertThat(LoopbackClient.connect(client, "localhost", loopback.port()).getProtocol()).isEqualTo("TLSv1.3");
      assertThat(loopback.nextOutcome().succeeded()).isTrue();
    }
  }

  @Test
  void propertiesSpellings_areTheSameKeys() {
    Properties properties = new Properties();
    properties.setProperty("tls.cert.file", serverFiles.chain().toString());
    properties.setProperty("tls.key-file", serverFiles.privateKey().toString());
    properties.setProperty("TLS_CA_CERT_FILE", serverFiles.caCertificate().toString());
    properties.setProperty("tls.protocol.version", "TLSv1.2");
    properties.setProperty("tls.allowed-peers", "any");
    try (MtlsContext server = MtlsSettings.fromProperties(properties).serverBuilder().build()) {
      assertThat(server.sslParameters().getProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
    }
  }

  @Test
  void unknownKey_isNamed_withTheClosestKnownKey() {
    assertKeyError(Map.of("TLS_CERT_FIEL", "x"), "TLS_CERT_FIEL", "unknown setting; did you mean TLS_CERT_FILE?");
    assertKeyError(Map.of("TLS_CA_CERT", "x"), "TLS_CA_CERT", "did you mean TLS_CA_CERT_FILE?");
    assertKeyError(Map.of("TLS_SERVER_SPIFFEID", "x"), "TLS_SERVER_SPIFFEID", "did you mean TLS_SERVER_SPIFFE_ID?");
  }

  @Test
  void certificateWithoutKey_isNamed() {
    assertKeyError(Map.of("TLS_CERT_FILE", "a.pem"), "TLS_KEY_FILE", "not its private key");
    assertKeyError(Map.of("TLS_KEY_FILE", "a.pem"), "TLS_CERT_FILE", "not the certificate");
  }

  @Test
  void badVerifyMode_andBadProtocol_areNamed() {
    assertKeyError(Map.of("TLS_CA_CERT_FILE", "ca.pem", "TLS_VERIFY_MODE", "CERT_MAYBE"), "TLS_VERIFY_MODE", "CERT_MAYBE");
    assertKeyError(Map.of("TLS_CA_CERT_FILE", "ca.pem", "TLS_PROTOCOL_VERSION", "TLSv1.1"), "TLS_PROTOCOL_VERSION", "TLSv1.1");
  }

  @Test
  void contradictions_areNamed() {
    assertKeyError(Map.of("TLS_CA_CERT_FILE", "ca.pem", "TLS_VERIFY_MODE", "CERT_NONE",
        "TLS_ALLOWED_COMMON_NAMES", "orders"), "TLS_ALLOWED_COMMON_NAMES", "CERT_NONE");
    assertKeyError(Map.of("TLS_CA_CERT_FILE", "ca.pem", "TLS_PROTOCOL_VERSION", "TLSv1.3",
        "TLS_CIPHERS", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"), "TLS_CIPHERS", "TLSv1.2");
    assertKeyError(Map.of("TLS_CA_CERT_FILE", "ca.pem", "TLS_CRL_REFRESH_INTERVAL", "1h"),
        "TLS_CRL_REFRESH_INTERVAL", "no CRL");
    assertKeyError(Map.of("TLS_CA_CERT_FILE", "ca.pem", "TLS_KEY_PASSWORD", "secret"), "TLS_KEY_PASSWORD", "TLS_KEY_FILE");
  }

  @Test
  void ipAndEmailAllowLists_fromSettings_letInTheNamedClient() throws Exception {
    PemFiles robot = ca.leaf("robot").clientAuth().ipAddresses("10.1.2.3").emails("robot@example.com").issue()
        .writePem(dir.resolve("robot"));
    Map<String, String> serverEnv = Map.of(
        "TLS_CERT_FILE", serverFiles.chain().toString(),
        "TLS_KEY_FILE", serverFiles.privateKey().toString(),
        "TLS_CA_CERT_FILE", serverFiles.caCertificate().toString(),
        "TLS_ALLOWED_IP_ADDRESSES", "10.0.0.0/8, 2001:db8::/32");
    Map<String, String> clientEnv = Map.of(
        "TLS_CERT_FILE", robot.chain().toString(),
        "TLS_KEY_FILE", robot.privateKey().toString(),
        "TLS_CA_CERT_FILE", robot.caCertificate().toString());
    Map<String, String> byEmail = new HashMap<>(serverEnv);
    byEmail.remove("TLS_ALLOWED_IP_ADDRESSES");
    byEmail.put("TLS_ALLOWED_EMAILS", "robot@EXAMPLE.com");
    for (Map<String, String> env : List.of(serverEnv, byEmail)) {
      try (MtlsContext server = MtlsSettings.fromMap(env).serverBuilder().logging(false).build();
          MtlsContext client = MtlsSettings.fromMap(clientEnv).clientBuilder().build();
          LoopbackServer loopback = new LoopbackServer(server)) {
        LoopbackClient.connect(client, "localhost", loopback.port());
        assertThat(loopback.nextOutcome().succeeded()).as(env.toString()).isTrue();
      }
    }
    assertKeyError(Map.of("TLS_CA_CERT_FILE", "ca.pem", "TLS_ALLOWED_IP_ADDRESSES", "10.0.0.1/8"),
        "TLS_ALLOWED_IP_ADDRESSES", "bits are set after the prefix");
    assertKeyError(Map.of("TLS_CA_CERT_FILE", "ca.pem", "TLS_ALLOWED_EMAILS", "example.com"),
        "TLS_ALLOWED_EMAILS", "local-part@domain");
  }

  @Test
  void emptyAllowListEntry_isNamed() {
    assertKeyError(Map.of("TLS_CA_CERT_FILE", "ca.pem", "TLS_ALLOWED_COMMON_NAMES", "orders,,billing"),
        "TLS_ALLOWED_COMMON_NAMES", "empty entry");
  }

  @Test
  void clientWithCertNone_isRefused() {
    MtlsSettings settings = MtlsSettings.fromMap(Map.of("TLS_CA_CERT_FILE", "ca.pem", "TLS_VERIFY_MODE", "CERT_NONE"));
    assertThatThrownBy(settings::clientBuilder)
        .isInstanceOfSatisfying(MtlsSettingsException.class, e -> assertThat(e.key()).isEqualTo("TLS_VERIFY_MODE"));
  }

  @Test
  void peerPolicy_isTheAllowListTheServerBuilderSets_forAdaptersThatJudgeRequests() {
    MtlsSettings settings = MtlsSettings.fromMap(Map.of(
        "TLS_CERT_FILE", serverFiles.chain().toString(),
        "TLS_KEY_FILE", serverFiles.privateKey().toString(),
        "TLS_CA_CERT_FILE", serverFiles.caCertificate().toString(),
        "TLS_ALLOWED_COMMON_NAMES", "orders"));
    try (MtlsContext server = settings.serverBuilder().peerPolicyInHandshake(false).logging(false).build()) {
      PeerVerifier requests = server.verifier(settings.peerPolicy().orElseThrow());

      assertThat(requests.verify(ca.client("orders").chain())).isInstanceOf(Verdict.Allowed.class);
      assertThat(requests.verify(ca.client("intruder").chain())).isInstanceOfSatisfying(Verdict.Rejected.class,
          rejected -> assertThat(rejected.reason()).isEqualTo(RejectionReason.IDENTITY_NOT_ALLOWED));
    }
    assertThat(MtlsSettings.fromMap(Map.of("TLS_CA_CERT_FILE", "ca.pem")).peerPolicy()).isEmpty();
    assertThat(MtlsSettings.fromMap(Map.of("TLS_ENABLED", "false")).peerPolicy()).isEmpty();
  }

  @Test
  void disabled_whenNothingIsSet() {
    Map<String, String> env = new HashMap<>();
    env.put("HOME", "/root");
    assertThat(MtlsSettings.fromMap(env).enabled()).isFalse();
  }

  @Test
  void passwordValue_neverAppearsInToString() {
    MtlsSettings settings = MtlsSettings.fromMap(Map.of(
        "TLS_CERT_FILE", clientFiles.chain().toString(),
        "TLS_KEY_FILE", clientFiles.privateKey().toString(),
        "TLS_KEY_PASSWORD", "hunter2",
        "TLS_CA_CERT_FILE", clientFiles.caCertificate().toString()));
    assertThat(settings.toString()).contains("TLS_KEY_PASSWORD").doesNotContain("hunter2");
  }

  @Test
  void reloadInterval_isReadOrSwitchedOff_andBadValuesAreNamed() {
    Map<String, String> env = new HashMap<>(Map.of(
        "TLS_CERT_FILE", serverFiles.chain().toString(),
        "TLS_KEY_FILE", serverFiles.privateKey().toString(),
        "TLS_CA_CERT_FILE", serverFiles.caCertificate().toString(),
        "TLS_RELOAD_INTERVAL", "off",
        "TLS_ALLOWED_PEERS", "any"));
    try (MtlsContext server = MtlsSettings.fromMap(env).serverBuilder().build()) {
      assertThat(server.reloadNow().outcomes()).isNotEmpty();
    }
    assertKeyError(Map.of("TLS_CA_CERT_FILE", "ca.pem", "TLS_RELOAD_INTERVAL", "10ms"), "TLS_RELOAD_INTERVAL",
        "\"10ms\" is out of range: must be between 1s and 1d");
    assertKeyError(Map.of("TLS_CA_CERT_FILE", "ca.pem", "TLS_RELOAD_INTERVAL", "often"), "TLS_RELOAD_INTERVAL", "not a duration");
  }

  @Test
  void handshakeTimeout_isRead_andOutOfRangeValuesAreNamed() {
    Map<String, String> env = new HashMap<>(Map.of(
        "TLS_CERT_FILE", serverFiles.chain().toString(),
        "TLS_KEY_FILE", serverFiles.privateKey().toString(),
        "TLS_CA_CERT_FILE", serverFiles.caCertificate().toString(),
        "TLS_HANDSHAKE_TIMEOUT", "2500ms",
        "TLS_ALLOWED_PEERS", "any"));
    try (MtlsContext server = MtlsSettings.fromMap(env).serverBuilder().logging(false).build()) {
      assertThat(server.handshakeTimeout()).isEqualTo(Duration.ofMillis(2500));
    }
    env.remove("TLS_HANDSHAKE_TIMEOUT");
    try (MtlsContext server = MtlsSettings.fromMap(env).serverBuilder().logging(false).build()) {
      assertThat(server.handshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
    }
    assertKeyError(Map.of("TLS_CA_CERT_FILE", "ca.pem", "TLS_HANDSHAKE_TIMEOUT", "10m"), "TLS_HANDSHAKE_TIMEOUT",
        "\"10m\" is out of range: must be between 100ms and 5m");
  }

  @Test
  void certificateProfile_isReadForClients_andRefusedForServers() {
    Map<String, String> env = Map.of("TLS_CA_CERT_FILE", serverFiles.caCertificate().toString(),
        "TLS_CERTIFICATE_PROFILE", "ca_browser_forum");
    dev.mtls.testkit.IssuedCertificate noUsage = (ca.leaf("localhost").dnsNames("localhost").issue());
    try (MtlsContext client = MtlsSettings.fromMap(env).clientBuilder().logging(false).build()) {
      assertThat(client.verifier().verifyServer(noUsage.chain(), "localhost").isAllowed()).isFalse();
    }
    try (MtlsContext client = MtlsSettings.fromMap(Map.of("TLS_CA_CERT_FILE", serverFiles.caCertificate().toString()))
        .clientBuilder().logging(false).build()) {
      assertThat(client.verifier().verifyServer(noUsage.chain(), "localhost").isAllowed()).isTrue();
    }
    assertKeyError(Map.of("TLS_CA_CERT_FILE", "ca.pem", "TLS_CERTIFICATE_PROFILE", "strict"),
        "TLS_CERTIFICATE_PROFILE", "\"strict\" is not one of RFC_5280, CA_BROWSER_FORUM");
    Map<String, String> server = Map.of(
        "TLS_CERT_FILE", serverFiles.chain().toString(),
        "TLS_KEY_FILE", serverFiles.privateKey().toString(),
        "TLS_CA_CERT_FILE", serverFiles.caCertificate().toString(),
        "TLS_ALLOWED_PEERS", "any",
        "TLS_CERTIFICATE_PROFILE", "CA_BROWSER_FORUM");
    assertThatThrownBy(() -> MtlsSettings.fromMap(server).serverBuilder())
        .isInstanceOf(MtlsSettingsException.class)
        .hasMessageContaining("TLS_CERTIFICATE_PROFILE")
        .hasMessageContaining("a server has none");
  }

  @Test
  void durations_acceptShortAndIsoForms() {
    assertThat(SettingValues.parseDuration("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(SettingValues.parseDuration("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(SettingValues.parseDuration("PT1H")).isEqualTo(Duration.ofHours(1));
    assertThat(SettingValues.parseDuration("soon")).isNull();
  }

  @Test
  void emptyLastListEntry_isNamed() {
    assertKeyError(Map.of("TLS_CA_CERT_FILE", "ca.pem", "TLS_ALLOWED_SPIFFE_IDS", "spiffe://prod/a,"),
        "TLS_ALLOWED_SPIFFE_IDS", "empty entry");
  }

  @Test
  void oneKeyInTwoSpellings_isNamed() {
    Map<String, String> env = new java.util.LinkedHashMap<>();
    env.put("TLS_CA_CERT_FILE", "a.pem");
    env.put("tls.ca.cert-file", "b.pem");
    assertKeyError(env, "TLS_CA_CERT_FILE", "given twice");
  }

  private static void assertKeyError(Map<String, String> settings, String key, String messagePart) {
    assertThatThrownBy(() -> MtlsSettings.fromMap(settings))
        .isInstanceOfSatisfying(MtlsSettingsException.class, e -> {
          assertThat(e.key()).isEqualTo(key);
          assertThat(e.getMessage()).contains(messagePart);
        });
  }
}
