package dev.mtls.core;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.security.auth.x500.X500Principal;
import org.jspecify.annotations.Nullable;

/**
 * Reads every key of enabled settings once, into the typed values {@link MtlsSettings} builds
 * contexts from: a malformed value, an unknown key or two keys that contradict each other,
 * whichever side the settings are for, fails here, naming the key. Which keys each side may
 * use is checked when its builder is made.
 */
final class SettingsReader {
  /** A password file holds one password: anything larger is the wrong file. */
  private static final int MAX_PASSWORD_FILE_BYTES = 8 * 1024;

  final SettingValues values;
  final @Nullable IdentitySource identity;
  final @Nullable TrustSource trust;
  final TlsPolicy tlsPolicy;
  final @Nullable ClientAuth verifyMode;
  /** The clients a server lets in; {@code null} when the settings name none and allow no "any". */
  final @Nullable PeerPolicy clientPolicy;
  /** The server a client expects; {@code null} for the default, its host name. */
  final @Nullable ServerIdentity serverIdentity;
  final @Nullable Revocation revocation;
  final TlsProvider provider;
  final @Nullable ReloadPolicy reload;
  final @Nullable Duration clockSkew;

  SettingsReader(SettingValues values) {
    this.values = values;
    values.checkKeys();
    this.identity = readIdentity();
    this.trust = readTrust();
    this.tlsPolicy = readTlsPolicy();
    this.verifyMode = readVerifyMode();
    if (verifyMode == ClientAuth.NONE) {
      SettingKey unused = values.firstSet(concat(SettingKey.CLIENT_CHECKS, SettingKey.CRL_KEYS));
      if (unused != null) {
        throw values.error(unused, "is set, but " + values.key(SettingKey.VERIFY_MODE)
            + " is CERT_NONE, so peers are never checked");
      }
    }
    X500Principal issuer = readIssuer();
    this.clientPolicy = readClientPolicy(issuer);
    this.serverIdentity = readServerIdentity(issuer);
    this.revocation = readRevocation();
    this.provider = values.enumValue(SettingKey.PROVIDER, TlsProvider.class, TlsProvider.JDK);
    this.reload = readReload();
    this.clockSkew = values.duration(SettingKey.CLOCK_SKEW);
    if (clockSkew != null && clockSkew.compareTo(ContextBuilder.MAX_CLOCK_SKEW) > 0) {
      throw values.error(SettingKey.CLOCK_SKEW, "'" + values.get(SettingKey.CLOCK_SKEW)
          + "' is more than the most a context tolerates, " + ContextBuilder.MAX_CLOCK_SKEW);
    }
  }

  /**
   * Whether TLS is on: the {@code ENABLED} key, or by default whether any key under the prefix
   * is set. Only {@code ENABLED} itself is read here: when it says {@code false}, every other
   * key is ignored.
   */
  static boolean enabled(SettingValues values) {
    String value = values.get(SettingKey.ENABLED);
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
        throw values.error(SettingKey.ENABLED, "must be true or false, not '" + value + "'");
    }
  }

  /** The verify mode as the settings spell it. */
  static String verifyModeName(ClientAuth mode) {
    return mode == ClientAuth.REQUIRED ? "CERT_REQUIRED" : mode == ClientAuth.OPTIONAL ? "CERT_OPTIONAL" : "CERT_NONE";
  }

  private @Nullable IdentitySource readIdentity() {
    Path cert = values.path(SettingKey.CERT_FILE);
    Path key = values.path(SettingKey.KEY_FILE);
    if (cert == null && key == null) {
      SettingKey password = values.firstSet(List.of(SettingKey.KEY_PASSWORD, SettingKey.KEY_PASSWORD_FILE));
      if (password != null) {
        throw values.error(password, "is set, but " + values.key(SettingKey.KEY_FILE) + " is not");
      }
      return null;
    }
    if (cert == null) {
      throw values.error(SettingKey.CERT_FILE, values.key(SettingKey.KEY_FILE)
          + " is set, but not the certificate it belongs to");
    }
    if (key == null) {
      throw values.error(SettingKey.KEY_FILE, values.key(SettingKey.CERT_FILE) + " is set, but not its private key");
    }
    char[] password = readPassword();
    return password == null ? IdentitySource.pemFiles(cert, key) : IdentitySource.pemFiles(cert, key, password);
  }

  private char @Nullable [] readPassword() {
    String inline = values.get(SettingKey.KEY_PASSWORD);
    Path file = values.path(SettingKey.KEY_PASSWORD_FILE);
    if (inline != null && file != null) {
      throw values.error(SettingKey.KEY_PASSWORD, "give the key password once: "
          + values.key(SettingKey.KEY_PASSWORD) + " or " + values.key(SettingKey.KEY_PASSWORD_FILE) + ", not both");
    }
    if (inline != null) {
      return inline.toCharArray();
    }
    if (file == null) {
      return null;
    }
    byte[] content;
    try (InputStream in = Files.newInputStream(file)) {
      content = in.readNBytes(MAX_PASSWORD_FILE_BYTES + 1);
    } catch (IOException e) {
      throw values.error(SettingKey.KEY_PASSWORD_FILE, "cannot read " + file + ": " + e, e);
    }
    if (content.length > MAX_PASSWORD_FILE_BYTES) {
      throw values.error(SettingKey.KEY_PASSWORD_FILE, file + " is larger than " + MAX_PASSWORD_FILE_BYTES
          + " bytes: a password file holds one password");
    }
    // A trailing newline is an editor's, not part of the password.
    return new String(content, StandardCharsets.UTF_8).replaceFirst("\\R\\z", "").toCharArray();
  }

  private @Nullable TrustSource readTrust() {
    Path ca = values.path(SettingKey.CA_CERT_FILE);
    if (ca == null) {
      return null;
    }
    return Files.isDirectory(ca) ? TrustSource.pemDirectory(ca) : TrustSource.pemFile(ca);
  }

  private TlsPolicy readTlsPolicy() {
    String version = values.get(SettingKey.PROTOCOL_VERSION);
    TlsPolicy base;
    if (version == null) {
      base = TlsPolicy.MODERN;
    } else {
      switch (TlsPolicy.canonicalProtocol(version)) {
        case TlsPolicy.TLS13:
          base = TlsPolicy.MODERN;
          break;
        case TlsPolicy.TLS12:
          base = TlsPolicy.COMPATIBLE;
          break;
        default:
          throw values.error(SettingKey.PROTOCOL_VERSION, "'" + version
              + "' is not allowed: the lowest version may be TLSv1.3 (default) or TLSv1.2");
      }
    }
    String ciphers = values.get(SettingKey.CIPHERS);
    if (ciphers == null) {
      return base;
    }
    try {
      return TlsPolicy.of(base.protocols(), values.list(SettingKey.CIPHERS, ciphers.replace(':', ',')));
    } catch (IllegalArgumentException e) {
      throw values.error(SettingKey.CIPHERS, e.getMessage()
          + (version == null ? "" : " (with " + values.key(SettingKey.PROTOCOL_VERSION) + " " + version + ")"), e);
    }
  }

  private @Nullable ClientAuth readVerifyMode() {
    String mode = values.get(SettingKey.VERIFY_MODE);
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
        throw values.error(SettingKey.VERIFY_MODE, "'" + mode + "' is not one of CERT_NONE, CERT_OPTIONAL, CERT_REQUIRED");
    }
  }

  private @Nullable X500Principal readIssuer() {
    String issuer = values.get(SettingKey.REQUIRED_ISSUER);
    if (issuer == null) {
      return null;
    }
    try {
      return new X500Principal(issuer);
    } catch (IllegalArgumentException e) {
      throw values.error(SettingKey.REQUIRED_ISSUER, "'" + issuer + "' is not a distinguished name: " + e.getMessage(), e);
    }
  }

  private @Nullable PeerPolicy readClientPolicy(@Nullable X500Principal issuer) {
    boolean any = readAllowedPeers();
    SettingKey firstList = values.firstSet(SettingKey.ALLOW_LISTS);
    if (any && firstList != null) {
      throw values.error(SettingKey.ALLOWED_PEERS, "is 'any', which lets in every trusted client and would"
          + " make " + values.key(firstList) + " meaningless: use one or the other");
    }
    if (!any && firstList == null) {
      return null;
    }
    PeerPolicy.Builder builder = PeerPolicy.builder();
    if (any) {
      builder.allowAnyTrustedPeer();
    }
    for (SettingKey key : SettingKey.ALLOW_LISTS) {
      List<String> names = values.list(key);
      if (names == null) {
        continue;
      }
      String[] array = names.toArray(new String[0]);
      try {
        switch (key) {
          case ALLOWED_COMMON_NAMES:
            builder.allowCommonNames(array);
            break;
          case ALLOWED_DNS_NAMES:
            builder.allowDnsNames(array);
            break;
          case ALLOWED_URIS:
            builder.allowUris(array);
            break;
          default:
            builder.allowSpiffeIds(array);
            break;
        }
      } catch (IllegalArgumentException e) {
        throw values.error(key, e.getMessage(), e);
      }
    }
    if (issuer != null) {
      builder.requireIssuer(issuer);
    }
    return builder.build();
  }

  private boolean readAllowedPeers() {
    String value = values.get(SettingKey.ALLOWED_PEERS);
    if (value == null) {
      return false;
    }
    if (!value.equalsIgnoreCase("any")) {
      throw values.error(SettingKey.ALLOWED_PEERS, "'" + value + "' is not 'any': name the allowed clients with "
          + allowListNames() + ", or say 'any' to let in every client the CAs issued");
    }
    return true;
  }

  private @Nullable ServerIdentity readServerIdentity(@Nullable X500Principal issuer) {
    String name = values.get(SettingKey.SERVER_NAME);
    List<String> spiffeIds = values.list(SettingKey.SERVER_SPIFFE_ID);
    if (name != null && spiffeIds != null) {
      throw values.error(SettingKey.SERVER_SPIFFE_ID, "give the server's identity once: "
          + values.key(SettingKey.SERVER_NAME) + " or " + values.key(SettingKey.SERVER_SPIFFE_ID) + ", not both");
    }
    if (name != null) {
      if (issuer != null) {
        throw values.error(SettingKey.REQUIRED_ISSUER, "cannot be combined with " + values.key(SettingKey.SERVER_NAME)
            + ": require an issuer with " + values.key(SettingKey.SERVER_SPIFFE_ID) + " or the host name, or drop it");
      }
      try {
        return ServerIdentity.hostName(name);
      } catch (IllegalArgumentException e) {
        throw values.error(SettingKey.SERVER_NAME, e.getMessage(), e);
      }
    }
    if (spiffeIds != null) {
      PeerPolicy.Builder policy = PeerPolicy.builder();
      try {
        policy.allowSpiffeIds(spiffeIds.toArray(new String[0]));
      } catch (IllegalArgumentException e) {
        throw values.error(SettingKey.SERVER_SPIFFE_ID, e.getMessage(), e);
      }
      if (issuer != null) {
        policy.requireIssuer(issuer);
      }
      return ServerIdentity.peer(policy.build());
    }
    return issuer == null
        ? null
        : ServerIdentity.hostNameAnd(PeerPolicy.builder().allowAnyTrustedPeer().requireIssuer(issuer).build());
  }

  private @Nullable Revocation readRevocation() {
    List<String> files = values.list(SettingKey.CRL_FILE);
    List<String> urls = values.list(SettingKey.CRL_URL);
    if (files == null && urls == null) {
      SettingKey orphan = values.firstSet(List.of(SettingKey.CRL_REFRESH_INTERVAL, SettingKey.CRL_MAX_STALENESS));
      if (orphan != null) {
        throw values.error(orphan, "is set, but no CRL is (" + values.key(SettingKey.CRL_FILE) + " or "
            + values.key(SettingKey.CRL_URL) + ")");
      }
      return null;
    }
    Revocation.Builder builder = Revocation.crls();
    for (String file : files == null ? List.<String>of() : files) {
      builder.file(values.toPath(SettingKey.CRL_FILE, file));
    }
    for (String url : urls == null ? List.<String>of() : urls) {
      URI uri;
      try {
        uri = new URI(url);
      } catch (URISyntaxException e) {
        throw values.error(SettingKey.CRL_URL, "'" + url + "' is not a URL: " + e.getMessage(), e);
      }
      if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
        throw values.error(SettingKey.CRL_URL, "'" + url + "' is not an http(s) URL");
      }
      builder.url(uri);
    }
    Duration interval = values.duration(SettingKey.CRL_REFRESH_INTERVAL);
    Duration staleness = values.duration(SettingKey.CRL_MAX_STALENESS);
    try {
      if (interval != null) {
        builder.refreshInterval(interval);
      }
    } catch (IllegalArgumentException e) {
      throw values.error(SettingKey.CRL_REFRESH_INTERVAL, e.getMessage(), e);
    }
    try {
      if (staleness != null) {
        builder.softFail(staleness);
      }
    } catch (IllegalArgumentException e) {
      throw values.error(SettingKey.CRL_MAX_STALENESS, e.getMessage(), e);
    }
    return builder.build();
  }

  private @Nullable ReloadPolicy readReload() {
    String value = values.get(SettingKey.RELOAD_INTERVAL);
    if (value == null) {
      return null;
    }
    if (value.equalsIgnoreCase("off") || value.equalsIgnoreCase("false") || value.equals("0")) {
      return ReloadPolicy.disabled();
    }
    Duration interval = values.duration(SettingKey.RELOAD_INTERVAL);
    try {
      return ReloadPolicy.builder().interval(interval).build();
    } catch (IllegalArgumentException e) {
      throw values.error(SettingKey.RELOAD_INTERVAL, e.getMessage(), e);
    }
  }

  /** Such as {@code TLS_ALLOWED_COMMON_NAMES, TLS_ALLOWED_DNS_NAMES, TLS_ALLOWED_URIS or TLS_ALLOWED_SPIFFE_IDS}. */
  String allowListNames() {
    List<SettingKey> lists = SettingKey.ALLOW_LISTS;
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < lists.size(); i++) {
      text.append(i == 0 ? "" : i == lists.size() - 1 ? " or " : ", ").append(values.key(lists.get(i)));
    }
    return text.toString();
  }

  private static List<SettingKey> concat(List<SettingKey> a, List<SettingKey> b) {
    List<SettingKey> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
