package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.PemFiles;
import dev.mtls.testkit.TestCa;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import javax.net.ssl.SSLHandshakeException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Settings as deployments write them: several connections under their own prefixes, TLS
 * switched off wholesale, the server a client expects, and a server that must say which
 * clients it lets in.
 */
class MtlsSettingsDeploymentTest {
  private static final String PAYMENTS = "spiffe://prod.example/payments";

  @TempDir Path dir;

  private final TestCa ca = TestCa.create();
  private PemFiles serverFiles;
  private PemFiles clientFiles;

  @BeforeEach
  void writeFiles() {
    serverFiles = ca.leaf("payments").serverAuth().spiffeId(PAYMENTS).dnsNames("payments.internal")
        .issue().writePem(dir.resolve("server"));
    clientFiles = ca.client("orders").writePem(dir.resolve("client"));
  }

  @Test
  void prefix_readsOnlyItsOwnKeys_soOneServiceCanHoldSeveralConnections() throws Exception {
    Map<String, String> env = new HashMap<>(serverEnv("KAS_TLS_"));
    env.put("KAS_TLS_ALLOWED_COMMON_NAMES", "orders");
    env.putAll(clientEnv("REDIS_TLS_"));
    env.put("REDIS_TLS_SERVER_SPIFFE_ID", PAYMENTS);
    env.put("TLS_CERT_FIEL", "not read under either prefix");
    try (MtlsContext server = MtlsSettings.fromMap(env, "KAS_TLS_").serverBuilder().build();
        MtlsContext client = MtlsSettings.fromMap(env, "REDIS_TLS_").clientBuilder().build();
        LoopbackServer loopback = new LoopbackServer(server)) {
      assertThat(LoopbackClient.connect(client, "localhost", loopback.port()).getProtocol()).isEqualTo("TLSv1.3");
      assertThat(loopback.nextOutcome().succeeded()).isTrue();
    }
  }

  @Test
  void prefix_namesItsKeysInErrors_andWorksForProperties() {
    assertKeyError(() -> MtlsSettings.fromMap(Map.of("KAS_TLS_CA_CERT", "ca.pem"), "KAS_TLS_"),
        "KAS_TLS_CA_CERT", "unknown setting; did you mean KAS_TLS_CA_CERT_FILE?");
    Properties properties = new Properties();
    properties.setProperty("kas.tls.ca-cert-file", clientFiles.caCertificate().toString());
    properties.setProperty("kas.tls.server.name", "payments.internal");
    properties.setProperty("tls.cert.fiel", "another prefix: ignored");
    MtlsSettings settings = MtlsSettings.fromProperties(properties, "kas.tls.");
    assertThat(settings.enabled()).isTrue();
    assertThat(settings.toString()).isEqualTo("MtlsSettings[KAS_TLS_CA_CERT_FILE, KAS_TLS_SERVER_NAME]");
    assertThat(MtlsSettings.fromEnvironment("MTLS_TEST_UNSET_PREFIX_").enabled()).isFalse();
    assertThatThrownBy(() -> MtlsSettings.fromMap(Map.of(), "KAS TLS"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ending in '_'");
  }

  @Test
  void enabledFalse_ignoresEveryOtherKey_evenUnknownOrMalformedOnes() {
    MtlsSettings settings = MtlsSettings.fromMap(Map.of(
        "TLS_ENABLED", "false",
        "TLS_CERT_FIEL", "typo",
        "TLS_VERIFY_MODE", "CERT_MAYBE",
        "TLS_CLOCK_SKEW", "a while"));
    assertThat(settings.enabled()).isFalse();
    assertThat(settings.toString()).endsWith("(disabled)");
    assertKeyError(settings::serverBuilder, "TLS_ENABLED", "TLS is disabled");
    assertKeyError(() -> MtlsSettings.fromMap(Map.of("TLS_ENABLED", "perhaps")), "TLS_ENABLED", "true or false");
  }

  @Test
  void serverName_isTheNameTheServersCertificateMustHave_whateverHostIsConnectedTo() throws Exception {
    try (MtlsContext server = server(Map.of("TLS_ALLOWED_PEERS", "any"));
        LoopbackServer loopback = new LoopbackServer(server);
        MtlsContext right = client(Map.of("TLS_SERVER_NAME", "payments.internal"));
        MtlsContext wrong = client(Map.of("TLS_SERVER_NAME", "orders.internal"))) {
      assertThat(LoopbackClient.connect(right, "localhost", loopback.port()).getProtocol()).isEqualTo("TLSv1.3");
      assertThatThrownBy(() -> LoopbackClient.connect(wrong, "localhost", loopback.port()))
          .isInstanceOf(SSLHandshakeException.class)
          .hasMessageContaining("expected a certificate naming host orders.internal");
    }
    assertKeyError(() -> MtlsSettings.fromMap(Map.of("TLS_CA_CERT_FILE", "ca.pem", "TLS_SERVER_NAME", "*.internal")),
        "TLS_SERVER_NAME", "no wildcard");
  }

  @Test
  void serverSpiffeId_acceptsThatServer_andRefusesAnother() throws Exception {
    try (MtlsContext server = server(Map.of("TLS_ALLOWED_PEERS", "any"));
        LoopbackServer loopback = new LoopbackServer(server);
        MtlsContext right = client(Map.of("TLS_SERVER_SPIFFE_ID", PAYMENTS));
        MtlsContext wrong = client(Map.of("TLS_SERVER_SPIFFE_ID", "spiffe://prod.example/billing"))) {
      assertThat(LoopbackClient.connect(right, "localhost", loopback.port()).getProtocol()).isEqualTo("TLSv1.3");
      assertThatThrownBy(() -> LoopbackClient.connect(wrong, "localhost", loopback.port()))
          .isInstanceOf(SSLHandshakeException.class)
          .hasMessageContaining("server presented " + PAYMENTS + " (DNS: payments.internal),"
              + " expected spiffe://prod.example/billing");
    }
    assertKeyError(() -> MtlsSettings.fromMap(Map.of("TLS_CA_CERT_FILE", "ca.pem",
        "TLS_SERVER_NAME", "payments.internal", "TLS_SERVER_SPIFFE_ID", PAYMENTS)), "TLS_SERVER_SPIFFE_ID", "not both");
    assertKeyError(() -> MtlsSettings.fromMap(Map.of("TLS_CA_CERT_FILE", "ca.pem",
        "TLS_SERVER_SPIFFE_ID", "https://not-spiffe")), "TLS_SERVER_SPIFFE_ID", "allowSpiffeIds");
  }

  @Test
  void serverRequiringClientCertificates_withoutAnAllowList_failsNamingTheKeys() {
    for (String mode : new String[] {"CERT_REQUIRED", "CERT_OPTIONAL"}) {
      MtlsSettings settings = MtlsSettings.fromMap(withServer(Map.of("TLS_VERIFY_MODE", mode)));
      assertKeyError(settings::serverBuilder, "TLS_ALLOWED_PEERS", "TLS_VERIFY_MODE is " + mode
          + ", but no allow-list names the clients to let in: set TLS_ALLOWED_COMMON_NAMES, TLS_ALLOWED_DNS_NAMES,"
          + " TLS_ALLOWED_URIS, TLS_ALLOWED_SPIFFE_IDS, TLS_ALLOWED_IP_ADDRESSES or TLS_ALLOWED_EMAILS,"
          + " or TLS_ALLOWED_PEERS=any");
    }
    // An issuer alone names no client either.
    assertKeyError(MtlsSettings.fromMap(withServer(Map.of("TLS_REQUIRED_ISSUER", "CN=Team CA")))::serverBuilder,
        "TLS_ALLOWED_PEERS", "no allow-list");
  }

  @Test
  void allowedPeersAny_saysEveryTrustedClient_explicitly() throws Exception {
    try (MtlsContext server = server(Map.of("TLS_ALLOWED_PEERS", "ANY"));
        LoopbackServer loopback = new LoopbackServer(server);
        MtlsContext client = client(Map.of("TLS_SERVER_NAME", "payments.internal"))) {
      LoopbackClient.connect(client, "localhost", loopback.port());
      assertThat(loopback.nextOutcome().succeeded()).isTrue();
    }
    assertKeyError(() -> MtlsSettings.fromMap(withServer(Map.of("TLS_ALLOWED_PEERS", "all"))),
        "TLS_ALLOWED_PEERS", "\"all\" is not 'any'");
    assertKeyError(() -> MtlsSettings.fromMap(withServer(Map.of("TLS_ALLOWED_PEERS", "any",
        "TLS_ALLOWED_COMMON_NAMES", "orders"))), "TLS_ALLOWED_PEERS", "meaningless");
  }

  @Test
  void eachSidesKeys_areRefusedOnTheOtherSide() {
    assertKeyError(MtlsSettings.fromMap(withServer(Map.of("TLS_ALLOWED_PEERS", "any",
        "TLS_SERVER_SPIFFE_ID", PAYMENTS)))::serverBuilder, "TLS_SERVER_SPIFFE_ID", "names the server a client expects");
    assertKeyError(MtlsSettings.fromMap(Map.of("TLS_CA_CERT_FILE", "ca.pem",
        "TLS_ALLOWED_COMMON_NAMES", "orders"))::clientBuilder, "TLS_ALLOWED_COMMON_NAMES", "names the clients a server lets in");
  }

  @Test
  void clockSkew_coversTheContextsOwnCertificate_andIsBounded() {
    IssuedCertificate justExpired = ca.leaf("server").serverAuth().dnsNames("localhost")
        .notBefore(ca.clock().instant().minus(Duration.ofDays(1)))
        .notAfter(ca.clock().instant().minusSeconds(30))
        .issue();
    PemFiles files = justExpired.writePem(dir.resolve("expired"));
    Map<String, String> env = new HashMap<>(Map.of(
        "TLS_CERT_FILE", files.chain().toString(),
        "TLS_KEY_FILE", files.privateKey().toString(),
        "TLS_VERIFY_MODE", "CERT_NONE",
        "TLS_RELOAD_INTERVAL", "off"));
    assertThatThrownBy(() -> MtlsSettings.fromMap(env).serverBuilder().build()).isInstanceOf(MtlsLoadException.class);
    env.put("TLS_CLOCK_SKEW", "2m");
    try (MtlsContext server = MtlsSettings.fromMap(env).serverBuilder().build()) {
      assertThat(server.identityChain()).first().isEqualTo(justExpired.certificate());
    }
    assertKeyError(() -> MtlsSettings.fromMap(Map.of("TLS_CA_CERT_FILE", "ca.pem", "TLS_CLOCK_SKEW", "2h")),
        "TLS_CLOCK_SKEW", "\"2h\" is out of range: must be between 0s and 1h");
  }

  @Test
  void keyPasswordFile_largerThanAPassword_isRefused() throws IOException {
    Path big = Files.write(dir.resolve("password"), new byte[9 * 1024]);
    Map<String, String> env = new HashMap<>(clientEnv("TLS_"));
    env.put("TLS_KEY_PASSWORD_FILE", big.toString());
    assertKeyError(() -> MtlsSettings.fromMap(env), "TLS_KEY_PASSWORD_FILE", "a password file holds one password");
  }

  private MtlsContext server(Map<String, String> more) {
    return MtlsSettings.fromMap(withServer(more)).serverBuilder().logging(false).build();
  }

  private MtlsContext client(Map<String, String> more) {
    Map<String, String> env = new HashMap<>(clientEnv("TLS_"));
    env.putAll(more);
    return MtlsSettings.fromMap(env).clientBuilder().logging(false).build();
  }

  private Map<String, String> withServer(Map<String, String> more) {
    Map<String, String> env = new HashMap<>(serverEnv("TLS_"));
    env.putAll(more);
    return env;
  }

  private Map<String, String> serverEnv(String prefix) {
    return Map.of(
        prefix + "CERT_FILE", serverFiles.chain().toString(),
        prefix + "KEY_FILE", serverFiles.privateKey().toString(),
        prefix + "CA_CERT_FILE", serverFiles.caCertificate().toString(),
        prefix + "RELOAD_INTERVAL", "off");
  }

  private Map<String, String> clientEnv(String prefix) {
    return Map.of(
        prefix + "CERT_FILE", clientFiles.chain().toString(),
        prefix + "KEY_FILE", clientFiles.privateKey().toString(),
        prefix + "CA_CERT_FILE", clientFiles.caCertificate().toString(),
        prefix + "RELOAD_INTERVAL", "off");
  }

  private static void assertKeyError(ThrowingCallable call, String key, String messagePart) {
    assertThatThrownBy(call).isInstanceOfSatisfying(MtlsSettingsException.class, e -> {
      assertThat(e.key()).isEqualTo(key);
      assertThat(e.getMessage()).contains(messagePart);
    });
  }
}
