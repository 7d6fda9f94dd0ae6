package dev.mtls.core;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * Builds contexts from the {@code TLS_*} settings services already use, taken from the
 * environment, a map, or properties (where {@code tls.cert.file} and {@code tls.cert-file}
 * stand for {@code TLS_CERT_FILE}). A prefix lets several connections of one service have
 * their own: under {@code KAS_TLS_} the keys are {@code KAS_TLS_CERT_FILE} and so on. Every
 * key is read when the settings are created: an unknown key under the prefix (named with the
 * nearest known one), a malformed, empty or out-of-bounds value, a list naming an entry
 * twice, or two settings that contradict each other is an {@link MtlsSettingsException}
 * naming the key and quoting the value (escaped and cut; a password is never shown). A file
 * that does not exist is one when the builder is made.
 *
 * <p>Durations are {@code 0}, a whole number with a unit ({@code 250ms}, {@code 30s},
 * {@code 5m}, {@code 1h}, {@code 2d}) or ISO-8601 ({@code PT30S}), within the bounds below,
 * which are those of the builder methods they set.
 *
 * <pre>{@code
 * MtlsSettings settings = MtlsSettings.fromEnvironment("KAS_TLS_");
 * if (settings.enabled()) {
 *   MtlsContext client = settings.clientBuilder().build();
 * }
 * }</pre>
 *
 * <table>
 * <caption>Keys (shown with the default prefix {@code TLS_})</caption>
 * <tr><th>key</th><th>meaning</th></tr>
 * <tr><td>{@code TLS_ENABLED}</td><td>{@code true}/{@code false}; default: true when any other key is set;
 *     {@code false} ignores every other key</td></tr>
 * <tr><td>{@code TLS_CERT_FILE}, {@code TLS_KEY_FILE}</td><td>PEM certificate chain and private key (together)</td></tr>
 * <tr><td>{@code TLS_KEY_PASSWORD_FILE} or {@code TLS_KEY_PASSWORD}</td><td>password of an encrypted PKCS#8 key (one of them)</td></tr>
 * <tr><td>{@code TLS_CA_CERT_FILE}</td><td>PEM bundle, or a directory of PEM files, of trusted CAs</td></tr>
 * <tr><td>{@code TLS_PROTOCOL_VERSION}</td><td>lowest version: {@code TLSv1.3} (default) or {@code TLSv1.2}</td></tr>
 * <tr><td>{@code TLS_CIPHERS}</td><td>comma- or colon-separated IANA suite names, a subset of the policy's</td></tr>
 * <tr><td>{@code TLS_VERIFY_MODE}</td><td>{@code CERT_REQUIRED} (default), {@code CERT_OPTIONAL}, {@code CERT_NONE} (servers only)</td></tr>
 * <tr><td>{@code TLS_ALLOWED_COMMON_NAMES}, {@code TLS_ALLOWED_DNS_NAMES}, {@code TLS_ALLOWED_URIS}, {@code TLS_ALLOWED_SPIFFE_IDS},
 *     {@code TLS_ALLOWED_IP_ADDRESSES}, {@code TLS_ALLOWED_EMAILS}</td>
 *     <td>servers: comma-separated allow-lists of clients (patterns as in {@link PeerPolicy}); a server
 *     that asks for client certificates needs one, or {@code TLS_ALLOWED_PEERS}</td></tr>
 * <tr><td>{@code TLS_ALLOWED_PEERS}</td><td>servers: {@code any} lets in every client the CAs issued, explicitly</td></tr>
 * <tr><td>{@code TLS_SERVER_NAME}</td><td>clients: the host name the server's certificate must name, instead of
 *     the host connected to ({@link ServerIdentity#hostName(String)})</td></tr>
 * <tr><td>{@code TLS_SERVER_SPIFFE_ID}</td><td>clients: the server's SPIFFE ID (comma-separated, patterns allowed),
 *     instead of the host name ({@link ServerIdentity#peer(PeerPolicy)})</td></tr>
 * <tr><td>{@code TLS_CERTIFICATE_PROFILE}</td><td>clients: {@code RFC_5280} (default) or {@code CA_BROWSER_FORUM}
 *     for public servers ({@link ClientContextBuilder#certificateProfile}; needs Guava)</td></tr>
 * <tr><td>{@code TLS_REQUIRED_ISSUER}</td><td>distinguished name the peer's issuer (or a CA above it) must have</td></tr>
 * <tr><td>{@code TLS_CLOCK_SKEW}</td><td>tolerated clock skew, {@code 0s} (default) to {@code 1h}
 *     ({@link ContextBuilder#clockSkew})</td></tr>
 * <tr><td>{@code TLS_HANDSHAKE_TIMEOUT}</td><td>how long a client has to complete its handshake with a server,
 *     {@code 100ms} to {@code 5m} (default 10s; {@link ContextBuilder#handshakeTimeout})</td></tr>
 * <tr><td>{@code TLS_CRL_FILE}, {@code TLS_CRL_URL}</td><td>comma-separated CRL files and http(s) URLs
 *     ({@link Revocation.Builder#url}: ASCII, with a host, no user info)</td></tr>
 * <tr><td>{@code TLS_CRL_REFRESH_INTERVAL}</td><td>how often CRLs are refreshed, {@code 1m} to {@code 7d}
 *     (default 1h; {@link Revocation.Builder#refreshInterval})</td></tr>
 * <tr><td>{@code TLS_CRL_MAX_STALENESS}</td><td>soft-fail: how long past its nextUpdate a CRL may still be used,
 *     {@code 1s} to {@code 30d} ({@link Revocation.Builder#softFail})</td></tr>
 * <tr><td>{@code TLS_RELOAD_INTERVAL}</td><td>how often files are polled for rotation, {@code 1s} to {@code 1d}
 *     (default 10s; {@code off} to never reload; {@link ReloadPolicy.Builder#interval})</td></tr>
 * <tr><td>{@code TLS_PROVIDER}</td><td>{@code JDK} (default) or {@code BOUNCY_CASTLE}</td></tr>
 * </table>
 */
public final class MtlsSettings {
  private static final String DEFAULT_PREFIX = "TLS_";

  private final SettingValues values;
  private final @Nullable SettingsReader read;

  private MtlsSettings(SettingValues values) {
    this.values = values;
    this.read = SettingsReader.enabled(values) ? new SettingsReader(values) : null;
  }

  /**
   * Reads the {@code TLS_*} environment variables.
   *
   * @return the settings
   * @throws MtlsSettingsException naming the first bad key
   */
  public static MtlsSettings fromEnvironment() {
    return fromEnvironment(DEFAULT_PREFIX);
  }

  /**
   * Reads the environment variables under a prefix, such as {@code KAS_TLS_} for
   * {@code KAS_TLS_CERT_FILE}, {@code KAS_TLS_CA_CERT_FILE} and so on.
   *
   * @param prefix letters, digits and {@code _}, ending in {@code _}
   * @return the settings
   * @throws MtlsSettingsException naming the first bad key
   * @throws IllegalArgumentException when the prefix is malformed
   */
  public static MtlsSettings fromEnvironment(String prefix) {
    return fromMap(System.getenv(), prefix);
  }

  /**
   * Reads {@code TLS_*} settings from a map; other keys are ignored, so a whole environment
   * can be passed.
   *
   * @param settings the settings
   * @return the settings
   * @throws MtlsSettingsException naming the first bad key
   */
  public static MtlsSettings fromMap(Map<String, String> settings) {
    return fromMap(settings, DEFAULT_PREFIX);
  }

  /**
   * Reads settings under a prefix from a map; other keys are ignored.
   *
   * @param settings the settings
   * @param prefix such as {@code KAS_TLS_} (or {@code kas.tls.}: keys and prefix are compared
   *     in upper case, with {@code .} and {@code -} as {@code _})
   * @return the settings
   * @throws MtlsSettingsException naming the first bad key
   * @throws IllegalArgumentException when the prefix is malformed
   */
  public static MtlsSettings fromMap(Map<String, String> settings, String prefix) {
    return new MtlsSettings(SettingValues.collect(settings, prefix));
  }

  /**
   * Reads {@code TLS_*} settings from properties: {@code TLS_CERT_FILE}, {@code tls.cert.file}
   * and {@code tls.cert-file} are the same key.
   *
   * @param properties the properties
   * @return the settings
   * @throws MtlsSettingsException naming the first bad key
   */
  public static MtlsSettings fromProperties(Properties properties) {
    return fromProperties(properties, DEFAULT_PREFIX);
  }

  /**
   * Reads settings under a prefix from properties, such as {@code kas.tls.cert.file} under
   * {@code kas.tls.}.
   *
   * @param properties the properties
   * @param prefix the prefix, normalised as keys are
   * @return the settings
   * @throws MtlsSettingsException naming the first bad key
   * @throws IllegalArgumentException when the prefix is malformed
   */
  public static MtlsSettings fromProperties(Properties properties, String prefix) {
    Objects.requireNonNull(properties, "properties");
    Map<String, String> map = new LinkedHashMap<>();
    for (String name : properties.stringPropertyNames()) {
      map.put(name, properties.getProperty(name));
    }
    return fromMap(map, prefix);
  }

  /**
   * Whether TLS is on: the {@code ENABLED} key, or by default whether any key under the
   * prefix is set.
   *
   * @return whether to build a context at all
   */
  public boolean enabled() {
    return read != null;
  }

  /**
   * The allow-list the settings name for a server's clients ({@code TLS_ALLOWED_*} and {@code
   * TLS_REQUIRED_ISSUER}): the policy {@link #serverBuilder()} sets, for an adapter that
   * judges requests itself with {@link MtlsContext#verifier(PeerPolicy)} (a filter that answers
   * 403, with {@code peerPolicyInHandshake(false)}).
   *
   * @return the policy; empty when TLS is disabled or no allow-list key is set
   */
  public Optional<PeerPolicy> peerPolicy() {
    return read == null ? Optional.empty() : Optional.ofNullable(read.clientPolicy);
  }

  /**
   * A server builder with these settings applied. The caller may still add what settings
   * cannot say (a listener, a clock) before {@code build()}.
   *
   * @return the builder
   * @throws MtlsSettingsException when TLS is disabled, the settings lack what a server needs,
   *     hold what only a client uses, or name a file that does not exist
   */
  public ServerContextBuilder serverBuilder() {
    SettingsReader settings = requireEnabled();
    if (settings.identity == null) {
      throw values.error(SettingKey.CERT_FILE, "a server needs " + values.key(SettingKey.CERT_FILE)
          + " and " + values.key(SettingKey.KEY_FILE));
    }
    SettingKey clientOnly = values.firstSet(SettingKey.SERVER_CHECKS);
    if (clientOnly != null) {
      throw values.error(clientOnly, "names the server a client expects; a server names the clients it lets in"
          + " with " + settings.allowListNames());
    }
    if (values.has(SettingKey.CERTIFICATE_PROFILE)) {
      throw values.error(SettingKey.CERTIFICATE_PROFILE, "is the profile a client holds its servers' certificates"
          + " to; a server has none");
    }
    ClientAuth clientAuth = settings.verifyMode == null ? ClientAuth.REQUIRED : settings.verifyMode;
    ServerContextBuilder builder = MtlsContext.forServer()
        .identity(settings.identity)
        .clientAuth(clientAuth)
        .tlsPolicy(settings.tlsPolicy)
        .provider(settings.provider);
    applyShared(settings, builder);
    if (clientAuth == ClientAuth.NONE) {
      if (settings.trust != null) {
        throw values.error(SettingKey.CA_CERT_FILE, "is set, but " + values.key(SettingKey.VERIFY_MODE)
            + " is CERT_NONE, so a server never uses it");
      }
      settings.checkFilesExist();
      return builder;
    }
    String mode = values.key(SettingKey.VERIFY_MODE) + " is " + SettingsReader.verifyModeName(clientAuth);
    if (settings.trust == null) {
      throw values.error(SettingKey.CA_CERT_FILE, mode + ", so clients are checked: name the CAs that issue"
          + " client certificates");
    }
    if (settings.clientPolicy == null) {
      throw values.error(SettingKey.ALLOWED_PEERS, mode + ", but no allow-list names the clients to let in: set "
          + settings.allowListNames() + ", or " + values.key(SettingKey.ALLOWED_PEERS) + "=any to let in every"
          + " client the CAs in " + values.key(SettingKey.CA_CERT_FILE) + " issued");
    }
    builder.trust(settings.trust).peerPolicy(settings.clientPolicy);
    if (settings.revocation != null) {
      builder.revocation(settings.revocation);
    }
    settings.checkFilesExist();
    return builder;
  }

  /**
   * A client builder with these settings applied. A client always checks its server:
   * {@code TLS_VERIFY_MODE} may only be {@code CERT_REQUIRED}; who the server must be is its
   * host name, or {@code TLS_SERVER_NAME} or {@code TLS_SERVER_SPIFFE_ID}.
   *
   * @return the builder
   * @throws MtlsSettingsException when TLS is disabled, the settings lack what a client needs,
   *     hold what only a server uses, or name a file that does not exist
   */
  public ClientContextBuilder clientBuilder() {
    SettingsReader settings = requireEnabled();
    if (settings.verifyMode != null && settings.verifyMode != ClientAuth.REQUIRED) {
      throw values.error(SettingKey.VERIFY_MODE, SettingsReader.verifyModeName(settings.verifyMode)
          + " would let a client talk to any server; clients always verify (CERT_REQUIRED)");
    }
    if (settings.trust == null) {
      throw values.error(SettingKey.CA_CERT_FILE, "a client needs the CAs that issue server certificates");
    }
    for (SettingKey key : SettingKey.CLIENT_CHECKS) {
      if (key != SettingKey.REQUIRED_ISSUER && values.has(key)) {
        throw values.error(key, "names the clients a server lets in; a client names the server it expects with "
            + values.key(SettingKey.SERVER_NAME) + " or " + values.key(SettingKey.SERVER_SPIFFE_ID)
            + " (default: the host it connects to)");
      }
    }
    ClientContextBuilder builder = MtlsContext.forClient()
        .trust(settings.trust)
        .tlsPolicy(settings.tlsPolicy)
        .provider(settings.provider)
        .certificateProfile(settings.certificateProfile);
    if (settings.serverIdentity != null) {
      builder.serverIdentity(settings.serverIdentity);
    }
    if (settings.identity != null) {
      builder.identity(settings.identity);
    }
    if (settings.revocation != null) {
      builder.revocation(settings.revocation);
    }
    applyShared(settings, builder);
    settings.checkFilesExist();
    return builder;
  }

  /**
   * The keys set, never their values (one may be a password).
   *
   * @return such as {@code MtlsSettings[TLS_CA_CERT_FILE, TLS_CERT_FILE, TLS_KEY_FILE]}
   */
  @Override
  public String toString() {
    return "MtlsSettings" + values.keys() + (read == null ? " (disabled)" : "");
  }

  private void applyShared(SettingsReader settings, ContextBuilder<?> builder) {
    if (settings.reload != null) {
      builder.reload(settings.reload);
    }
    if (settings.clockSkew != null) {
      builder.clockSkew(settings.clockSkew);
    }
    if (settings.handshakeTimeout != null) {
      builder.handshakeTimeout(settings.handshakeTimeout);
    }
  }

  private SettingsReader requireEnabled() {
    if (read == null) {
      throw values.error(SettingKey.ENABLED, "TLS is disabled; check enabled() first");
    }
    return read;
  }
}
