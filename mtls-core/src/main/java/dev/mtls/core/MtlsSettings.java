package dev.mtls.core;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import javax.security.auth.x500.X500Principal;
import org.jspecify.annotations.Nullable;

/**
 * Builds contexts from the {@code TLS_*} settings services already use, taken from the
 * environment, a map, or properties (where {@code tls.cert.file} and {@code tls.cert-file}
 * stand for {@code TLS_CERT_FILE}). Every key is read when the settings are created: an
 * unknown {@code TLS_*} key, a malformed value, or two settings that contradict each other
 * is an {@link MtlsSettingsException} naming the key.
 *
 * <pre>{@code
 * MtlsSettings settings = MtlsSettings.fromEnvironment();
 * if (settings.enabled()) {
 *   MtlsContext context = settings.serverBuilder().build();
 * }
 * }</pre>
 *
 * <table>
 * <caption>Keys</caption>
 * <tr><th>key</th><th>meaning</th></tr>
 * <tr><td>{@code TLS_ENABLED}</td><td>{@code true}/{@code false}; default: true when any other {@code TLS_*} key is set</td></tr>
 * <tr><td>{@code TLS_CERT_FILE}, {@code TLS_KEY_FILE}</td><td>PEM certificate chain and private key (together)</td></tr>
 * <tr><td>{@code TLS_KEY_PASSWORD_FILE} or {@code TLS_KEY_PASSWORD}</td><td>password of an encrypted PKCS#8 key (one of them)</td></tr>
 * <tr><td>{@code TLS_CA_CERT_FILE}</td><td>PEM bundle, or a directory of PEM files, of trusted CAs</td></tr>
 * <tr><td>{@code TLS_PROTOCOL_VERSION}</td><td>lowest version: {@code TLSv1.3} (default) or {@code TLSv1.2}</td></tr>
 * <tr><td>{@code TLS_CIPHERS}</td><td>comma- or colon-separated IANA suite names, a subset of the policy's</td></tr>
 * <tr><td>{@code TLS_VERIFY_MODE}</td><td>{@code CERT_REQUIRED} (default), {@code CERT_OPTIONAL}, {@code CERT_NONE} (servers only)</td></tr>
 * <tr><td>{@code TLS_ALLOWED_COMMON_NAMES}, {@code TLS_ALLOWED_DNS_NAMES}, {@code TLS_ALLOWED_URIS}, {@code TLS_ALLOWED_SPIFFE_IDS}</td>
 *     <td>comma-separated allow-lists (patterns as in {@link PeerPolicy}); none set means any peer the CAs issued</td></tr>
 * <tr><td>{@code TLS_REQUIRED_ISSUER}</td><td>distinguished name the peer's issuer (or a CA above it) must have</td></tr>
 * <tr><td>{@code TLS_CLOCK_SKEW}</td><td>tolerated clock skew ({@code 30s}, {@code 5m}, or ISO-8601 {@code PT30S})</td></tr>
 * <tr><td>{@code TLS_CRL_FILE}, {@code TLS_CRL_URL}</td><td>comma-separated CRL files and URLs</td></tr>
 * <tr><td>{@code TLS_CRL_REFRESH_INTERVAL}</td><td>how often CRLs are refreshed</td></tr>
 * <tr><td>{@code TLS_CRL_MAX_STALENESS}</td><td>soft-fail: how long past its nextUpdate a CRL may still be used</td></tr>
 * <tr><td>{@code TLS_RELOAD_INTERVAL}</td><td>how often files are polled for rotation (default 10s; {@code off} to never reload)</td></tr>
 * <tr><td>{@code TLS_PROVIDER}</td><td>{@code JDK} (default) or {@code BOUNCY_CASTLE}</td></tr>
 * </table>
 */
public final class MtlsSettings {
  private static final String PREFIX = "TLS_";
  private static final Set<String> KNOWN = Set.of(
      "TLS_ENABLED", "TLS_CERT_FILE", "TLS_KEY_FILE", "TLS_KEY_PASSWORD", "TLS_KEY_PASSWORD_FILE",
      "TLS_CA_CERT_FILE", "TLS_PROTOCOL_VERSION", "TLS_CIPHERS", "TLS_VERIFY_MODE",
      "TLS_ALLOWED_COMMON_NAMES", "TLS_ALLOWED_DNS_NAMES", "TLS_ALLOWED_URIS", "TLS_ALLOWED_SPIFFE_IDS",
      "TLS_REQUIRED_ISSUER", "TLS_CLOCK_SKEW", "TLS_CRL_FILE", "TLS_CRL_URL",
      "TLS_CRL_REFRESH_INTERVAL", "TLS_CRL_MAX_STALENESS", "TLS_PROVIDER", "TLS_RELOAD_INTERVAL");
  private static final List<String> POLICY_KEYS = List.of("TLS_ALLOWED_COMMON_NAMES", "TLS_ALLOWED_DNS_NAMES",
      "TLS_ALLOWED_URIS", "TLS_ALLOWED_SPIFFE_IDS", "TLS_REQUIRED_ISSUER");
  private static final List<String> CRL_KEYS = List.of("TLS_CRL_FILE", "TLS_CRL_URL",
      "TLS_CRL_REFRESH_INTERVAL", "TLS_CRL_MAX_STALENESS");

  private final Map<String, String> values;
  private final SettingValues read;
  private final boolean enabled;
  private final @Nullable IdentitySource identity;
  private final @Nullable TrustSource trust;
  private final TlsPolicy tlsPolicy;
  private final @Nullable ClientAuth verifyMode;
  private final PeerPolicy peerPolicy;
  private final @Nullable Revocation revocation;
  private final TlsProvider provider;
  private final @Nullable ReloadPolicy reload;
  private final @Nullable Duration clockSkew;

  private MtlsSettings(Map<String, String> values) {
    this.values = values;
    this.read = new SettingValues(values);
    for (String key : values.keySet()) {
      if (!KNOWN.contains(key)) {
        throw new MtlsSettingsException(key, "unknown setting (known: "
            + String.join(", ", KNOWN.stream().sorted().toList()) + ")", null);
      }
    }
    this.enabled = parseEnabled();
    if (!enabled) {
      List<String> others = values.keySet().stream().filter(k -> !k.equals("TLS_ENABLED")).sorted().toList();
      if (!others.isEmpty()) {
        throw new MtlsSettingsException(others.get(0), "is set, but TLS_ENABLED is false: remove "
            + others + " or enable TLS", null);
      }
    }
    this.identity = parseIdentity();
    this.trust = parseTrust();
    this.tlsPolicy = parseTlsPolicy();
    this.verifyMode = parseVerifyMode();
    if (verifyMode == ClientAuth.NONE) {
      for (String key : concat(POLICY_KEYS, CRL_KEYS)) {
        if (values.containsKey(key)) {
          throw new MtlsSettingsException(key, "is set, but TLS_VERIFY_MODE is CERT_NONE, so peers are"
              + " never checked", null);
        }
      }
    }
    this.peerPolicy = parsePeerPolicy();
    this.revocation = parseRevocation();
    this.provider = read.enumValue("TLS_PROVIDER", TlsProvider.class, TlsProvider.JDK);
    this.reload = parseReload();
    this.clockSkew = read.duration("TLS_CLOCK_SKEW");
  }

  /**
   * Reads the {@code TLS_*} environment variables.
   *
   * @return the settings
   * @throws MtlsSettingsException naming the first bad key
   */
  public static MtlsSettings fromEnvironment() {
    return fromMap(System.getenv());
  }

  /**
   * Reads settings from a map; keys other than {@code TLS_*} ones are ignored, so a whole
   * environment can be passed.
   *
   * @param settings the settings
   * @return the settings
   * @throws MtlsSettingsException naming the first bad key
   */
  public static MtlsSettings fromMap(Map<String, String> settings) {
    Objects.requireNonNull(settings, "settings");
    Map<String, String> values = new LinkedHashMap<>();
    settings.forEach((key, value) -> {
      String normalised = normalise(key);
      if (normalised.startsWith(PREFIX)) {
        if (values.containsKey(normalised)) {
          throw new MtlsSettingsException(normalised, "given twice (as " + key + " and another spelling)", null);
        }
        // A password is taken as given: spaces may be part of it.
        String raw = Objects.requireNonNull(value, key);
        values.put(normalised, normalised.equals("TLS_KEY_PASSWORD") ? raw : raw.trim());
      }
    });
    return new MtlsSettings(values);
  }

  /**
   * Reads settings from properties: {@code TLS_CERT_FILE}, {@code tls.cert.file} and
   * {@code tls.cert-file} are the same key.
   *
   * @param properties the properties
   * @return the settings
   * @throws MtlsSettingsException naming the first bad key
   */
  public static MtlsSettings fromProperties(Properties properties) {
    Objects.requireNonNull(properties, "properties");
    Map<String, String> map = new LinkedHashMap<>();
    for (String name : properties.stringPropertyNames()) {
      map.put(name, properties.getProperty(name));
    }
    return fromMap(map);
  }

  /**
   * Whether TLS is on: {@code TLS_ENABLED}, or by default whether any {@code TLS_*} key is
   * set.
   *
   * @return whether to build a context at all
   */
  public boolean enabled() {
    return enabled;
  }

  /**
   * A server builder with these settings applied. The caller may still add what settings
   * cannot say (a listener, a clock) before {@code build()}.
   *
   * @return the builder
   * @throws MtlsSettingsException when TLS is disabled, or the settings lack what a server needs
   */
  public ServerContextBuilder serverBuilder() {
    requireEnabled();
    if (identity == null) {
      throw new MtlsSettingsException("TLS_CERT_FILE", "a server needs TLS_CERT_FILE and TLS_KEY_FILE", null);
    }
    ClientAuth clientAuth = verifyMode == null ? ClientAuth.REQUIRED : verifyMode;
    ServerContextBuilder builder = MtlsContext.forServer()
        .identity(identity)
        .clientAuth(clientAuth)
        .tlsPolicy(tlsPolicy)
        .provider(provider);
    if (reload != null) {
      builder.reload(reload);
    }
    applyClockSkew(builder);
    if (clientAuth != ClientAuth.NONE) {
      if (trust == null) {
        throw new MtlsSettingsException("TLS_CA_CERT_FILE", "TLS_VERIFY_MODE is " + verifyModeName(clientAuth)
            + ", so clients are checked: name the CAs that issue client certificates", null);
      }
      builder.trust(trust).peerPolicy(peerPolicy);
      if (revocation != null) {
        builder.revocation(revocation);
      }
    } else if (trust != null) {
      throw new MtlsSettingsException("TLS_CA_CERT_FILE", "is set, but TLS_VERIFY_MODE is CERT_NONE,"
          + " so a server never uses it", null);
    }
    return builder;
  }

  /**
   * A client builder with these settings applied. A client always checks its server:
   * {@code TLS_VERIFY_MODE} may only be {@code CERT_REQUIRED}.
   *
   * @return the builder
   * @throws MtlsSettingsException when TLS is disabled, or the settings lack what a client needs
   */
  public ClientContextBuilder clientBuilder() {
    requireEnabled();
    if (verifyMode != null && verifyMode != ClientAuth.REQUIRED) {
      throw new MtlsSettingsException("TLS_VERIFY_MODE", verifyModeName(verifyMode)
          + " would let a client talk to any server; clients always verify (CERT_REQUIRED)", null);
    }
    if (trust == null) {
      throw new MtlsSettingsException("TLS_CA_CERT_FILE", "a client needs the CAs that issue server certificates", null);
    }
    ClientContextBuilder builder = MtlsContext.forClient()
        .trust(trust)
        .tlsPolicy(tlsPolicy)
        .provider(provider);
    for (String key : POLICY_KEYS) {
      if (values.containsKey(key)) {
        throw new MtlsSettingsException(key, "names the clients a server lets in; a client checks that"
            + " its server's certificate names the host it connects to", null);
      }
    }
    if (identity != null) {
      builder.identity(identity);
    }
    if (revocation != null) {
      builder.revocation(revocation);
    }
    if (reload != null) {
      builder.reload(reload);
    }
    applyClockSkew(builder);
    return builder;
  }

  private void applyClockSkew(ContextBuilder<?> builder) {
    if (clockSkew != null) {
      try {
        builder.clockSkew(clockSkew);
      } catch (IllegalArgumentException e) {
        throw new MtlsSettingsException("TLS_CLOCK_SKEW", e.getMessage(), e);
      }
    }
  }

  @Override
  public String toString() {
    // Names of the keys set, never their values: one may be a password.
    return "MtlsSettings" + new TreeMap<>(values).keySet();
  }

  private void requireEnabled() {
    if (!enabled) {
      throw new MtlsSettingsException("TLS_ENABLED", "TLS is disabled; check enabled() first", null);
    }
  }

  private boolean parseEnabled() {
    String value = values.get("TLS_ENABLED");
    if (value == null) {
      return !values.isEmpty();
    }
    switch (value.toLowerCase(Locale.ROOT)) {
      case "true":
      case "1":
      case "yes":
        return true;
      case "false":
      case "0":
      case "no":
        return false;
      default:
        throw new MtlsSettingsException("TLS_ENABLED", "must be true or false, not '" + value + "'", null);
    }
  }

  private @Nullable IdentitySource parseIdentity() {
    Path cert = read.path("TLS_CERT_FILE");
    Path key = read.path("TLS_KEY_FILE");
    if (cert == null && key == null) {
      for (String passwordKey : List.of("TLS_KEY_PASSWORD", "TLS_KEY_PASSWORD_FILE")) {
        if (values.containsKey(passwordKey)) {
          throw new MtlsSettingsException(passwordKey, "is set, but TLS_KEY_FILE is not", null);
        }
      }
      return null;
    }
    if (cert == null) {
      throw new MtlsSettingsException("TLS_CERT_FILE", "TLS_KEY_FILE is set, but not the certificate it belongs to", null);
    }
    if (key == null) {
      throw new MtlsSettingsException("TLS_KEY_FILE", "TLS_CERT_FILE is set, but not its private key", null);
    }
    char[] password = password();
    return password == null ? IdentitySource.pemFiles(cert, key) : IdentitySource.pemFiles(cert, key, password);
  }

  private char @Nullable [] password() {
    String inline = values.get("TLS_KEY_PASSWORD");
    Path file = read.path("TLS_KEY_PASSWORD_FILE");
    if (inline != null && file != null) {
      throw new MtlsSettingsException("TLS_KEY_PASSWORD", "give the key password once: TLS_KEY_PASSWORD"
          + " or TLS_KEY_PASSWORD_FILE, not both", null);
    }
    if (inline != null) {
      return inline.toCharArray();
    }
    if (file == null) {
      return null;
    }
    try {
      String content = Files.readString(file, StandardCharsets.UTF_8);
      // A trailing newline is an editor's, not part of the password.
      return content.replaceFirst("\\R\\z", "").toCharArray();
    } catch (java.io.IOException e) {
      throw new MtlsSettingsException("TLS_KEY_PASSWORD_FILE", "cannot read " + file + ": " + e, e);
    }
  }

  private @Nullable TrustSource parseTrust() {
    Path ca = read.path("TLS_CA_CERT_FILE");
    if (ca == null) {
      return null;
    }
    return Files.isDirectory(ca) ? TrustSource.pemDirectory(ca) : TrustSource.pemFile(ca);
  }

  private TlsPolicy parseTlsPolicy() {
    String version = values.get("TLS_PROTOCOL_VERSION");
    TlsPolicy base;
    if (version == null) {
      base = TlsPolicy.MODERN;
    } else {
      switch (TlsPolicy.canonicalProtocol(version.trim())) {
        case TlsPolicy.TLS13:
          base = TlsPolicy.MODERN;
          break;
        case TlsPolicy.TLS12:
          base = TlsPolicy.COMPATIBLE;
          break;
        default:
          throw new MtlsSettingsException("TLS_PROTOCOL_VERSION", "'" + version
              + "' is not allowed: the lowest version may be TLSv1.3 (default) or TLSv1.2", null);
      }
    }
    String ciphers = values.get("TLS_CIPHERS");
    if (ciphers == null) {
      return base;
    }
    try {
      return TlsPolicy.of(base.protocols(), SettingValues.list("TLS_CIPHERS", ciphers.replace(':', ',')));
    } catch (IllegalArgumentException e) {
      throw new MtlsSettingsException("TLS_CIPHERS", e.getMessage()
          + (version == null ? "" : " (with TLS_PROTOCOL_VERSION " + version + ")"), e);
    }
  }

  private @Nullable ClientAuth parseVerifyMode() {
    String mode = values.get("TLS_VERIFY_MODE");
    if (mode == null) {
      return null;
    }
    switch (mode.toUpperCase(Locale.ROOT)) {
      case "CERT_REQUIRED":
        return ClientAuth.REQUIRED;
      case "CERT_OPTIONAL":
        return ClientAuth.OPTIONAL;
      case "CERT_NONE":
        return ClientAuth.NONE;
      default:
        throw new MtlsSettingsException("TLS_VERIFY_MODE", "'" + mode
            + "' is not one of CERT_NONE, CERT_OPTIONAL, CERT_REQUIRED", null);
    }
  }

  private PeerPolicy parsePeerPolicy() {
    boolean anyRule = false;
    PeerPolicy.Builder builder = PeerPolicy.builder();
    String commonNames = values.get("TLS_ALLOWED_COMMON_NAMES");
    String dnsNames = values.get("TLS_ALLOWED_DNS_NAMES");
    String uris = values.get("TLS_ALLOWED_URIS");
    String spiffeIds = values.get("TLS_ALLOWED_SPIFFE_IDS");
    try {
      if (commonNames != null) {
        builder.allowCommonNames(SettingValues.list("TLS_ALLOWED_COMMON_NAMES", commonNames).toArray(new String[0]));
        anyRule = true;
      }
      if (dnsNames != null) {
        builder.allowDnsNames(SettingValues.list("TLS_ALLOWED_DNS_NAMES", dnsNames).toArray(new String[0]));
        anyRule = true;
      }
      if (uris != null) {
        builder.allowUris(SettingValues.list("TLS_ALLOWED_URIS", uris).toArray(new String[0]));
        anyRule = true;
      }
      if (spiffeIds != null) {
        builder.allowSpiffeIds(SettingValues.list("TLS_ALLOWED_SPIFFE_IDS", spiffeIds).toArray(new String[0]));
        anyRule = true;
      }
    } catch (IllegalArgumentException e) {
      throw new MtlsSettingsException(read.firstPresent(POLICY_KEYS), e.getMessage(), e);
    }
    String issuer = values.get("TLS_REQUIRED_ISSUER");
    if (issuer != null) {
      try {
        builder.requireIssuer(new X500Principal(issuer));
      } catch (IllegalArgumentException e) {
        throw new MtlsSettingsException("TLS_REQUIRED_ISSUER", "'" + issuer + "' is not a distinguished name: "
            + e.getMessage(), e);
      }
    }
    if (!anyRule) {
      if (issuer == null) {
        return PeerPolicy.anyTrustedPeer();
      }
      // An issuer alone: every trusted peer, with that requirement on top.
      builder.allowAnyTrustedPeer();
    }
    return builder.build();
  }

  private @Nullable Revocation parseRevocation() {
    String files = values.get("TLS_CRL_FILE");
    String urls = values.get("TLS_CRL_URL");
    if (files == null && urls == null) {
      for (String key : List.of("TLS_CRL_REFRESH_INTERVAL", "TLS_CRL_MAX_STALENESS")) {
        if (values.containsKey(key)) {
          throw new MtlsSettingsException(key, "is set, but no CRL is (TLS_CRL_FILE or TLS_CRL_URL)", null);
        }
      }
      return null;
    }
    Revocation.Builder builder = Revocation.crls();
    if (files != null) {
      for (String file : SettingValues.list("TLS_CRL_FILE", files)) {
        builder.file(SettingValues.toPath("TLS_CRL_FILE", file));
      }
    }
    if (urls != null) {
      for (String url : SettingValues.list("TLS_CRL_URL", urls)) {
        try {
          URI uri = new URI(url);
          if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
            throw new MtlsSettingsException("TLS_CRL_URL", "'" + url + "' is not an http(s) URL", null);
          }
          builder.url(uri);
        } catch (URISyntaxException e) {
          throw new MtlsSettingsException("TLS_CRL_URL", "'" + url + "' is not a URL: " + e.getMessage(), e);
        }
      }
    }
    Duration interval = read.duration("TLS_CRL_REFRESH_INTERVAL");
    Duration staleness = read.duration("TLS_CRL_MAX_STALENESS");
    try {
      if (interval != null) {
        builder.refreshInterval(interval);
      }
      if (staleness != null) {
        builder.softFail(staleness);
      }
    } catch (IllegalArgumentException e) {
      throw new MtlsSettingsException(interval != null ? "TLS_CRL_REFRESH_INTERVAL" : "TLS_CRL_MAX_STALENESS",
          e.getMessage(), e);
    }
    return builder.build();
  }

  private @Nullable ReloadPolicy parseReload() {
    String value = read.get("TLS_RELOAD_INTERVAL");
    if (value == null) {
      return null;
    }
    if (value.equalsIgnoreCase("off") || value.equalsIgnoreCase("false") || value.equals("0")) {
      return ReloadPolicy.disabled();
    }
    Duration interval = read.duration("TLS_RELOAD_INTERVAL");
    try {
      return ReloadPolicy.builder().interval(interval).build();
    } catch (IllegalArgumentException e) {
      throw new MtlsSettingsException("TLS_RELOAD_INTERVAL", e.getMessage(), e);
    }
  }

  private static String verifyModeName(ClientAuth mode) {
    return mode == ClientAuth.REQUIRED ? "CERT_REQUIRED" : mode == ClientAuth.OPTIONAL ? "CERT_OPTIONAL" : "CERT_NONE";
  }

  private static String normalise(String key) {
    return key.trim().toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
