package dev.mtls.core;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
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
 * use, and whether the files named exist, is checked when its builder is made.
 *
 * <p>A settings error carries no cause: its message says the key, the value (quoted) and what
 * is wrong, and the causes at hand (URI, path and name parsers, the builders) would only
 * repeat the value, unescaped, in a stack trace.
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
  final @Nullable Duration handshakeTimeout;
  final CertificateProfile certificateProfile;

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
    this.clockSkew = values.duration(SettingKey.CLOCK_SKEW, ContextBuilder.CLOCK_SKEW);
    this.handshakeTimeout = values.duration(SettingKey.HANDSHAKE_TIMEOUT, ContextBuilder.HANDSHAKE_TIMEOUT);
    this.certificateProfile = values.enumValue(SettingKey.CERTIFICATE_PROFILE, CertificateProfile.class,
        CertificateProfile.RFC_5280);
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
        throw values.error(SettingKey.ENABLED, "must be true or false, not " + SafeText.quote(value));
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
    String shown = SafeText.quote(file.toString());
    byte[] content;
    try (InputStream in = Files.newInputStream(file)) {
      content = in.readNBytes(MAX_PASSWORD_FILE_BYTES + 1);
    } catch (NoSuchFileException e) {
      throw values.error(SettingKey.KEY_PASSWORD_FILE, "cannot read " + shown + ": it does not exist");
    } catch (IOException e) {
      // The exception's message is the path again, unescaped: only its kind is kept.
      throw values.error(SettingKey.KEY_PASSWORD_FILE, "cannot read " + shown + ": "
          + (Files.isDirectory(file) ? "it is a directory" : e.getClass().getSimpleName()));
    }
    if (content.length > MAX_PASSWORD_FILE_BYTES) {
      throw values.error(SettingKey.KEY_PASSWORD_FILE, shown + " is larger than " + MAX_PASSWORD_FILE_BYTES
          + " bytes: a password file holds one password");
    }
    // A trailing newline is an editor's, not part of the password.
    char[] password = new String(content, StandardCharsets.UTF_8).replaceFirst("\\R\\z", "").toCharArray();
    if (password.length == 0) {
      throw values.error(SettingKey.KEY_PASSWORD_FILE, shown + " is empty: it must hold the key's password");
    }
    return password;
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
          throw values.error(SettingKey.PROTOCOL_VERSION, SafeText.quote(version)
              + " is not allowed: the lowest version may be TLSv1.3 (default) or TLSv1.2");
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
          + (version == null ? "" : " (with " + values.key(SettingKey.PROTOCOL_VERSION) + " " + SafeText.quote(version)
          + ")"));
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
        throw values.error(SettingKey.VERIFY_MODE, SafeText.quote(mode)
            + " is not one of CERT_NONE, CERT_OPTIONAL, CERT_REQUIRED");
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
      // The JDK's message repeats the value unescaped.
      throw values.error(SettingKey.REQUIRED_ISSUER, SafeText.quote(issuer)
          + " is not a distinguished name (such as CN=Issuing CA,O=Example)");
    }
  }

  private @Nullable PeerPolicy readClientPolicy(@Nullable X500Principal issuer) {
    boolean any = readAllowedPeers();
    SettingKey firstList = values.firstSet(SettingKey.ALLOW_LISTS);
    if (any && firstList != null) {
      throw values.error(SettingKey.ALLOWED_PEERS, "is \"any\", which lets in every trusted client and would"
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
        throw values.error(key, e.getMessage());
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
      throw values.error(SettingKey.ALLOWED_PEERS, SafeText.quote(value) + " is not 'any': name the allowed clients with "
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
        throw values.error(SettingKey.SERVER_NAME, e.getMessage());
      }
    }
    if (spiffeIds != null) {
      PeerPolicy.Builder policy = PeerPolicy.builder();
      try {
        policy.allowSpiffeIds(spiffeIds.toArray(new String[0]));
      } catch (IllegalArgumentException e) {
        throw values.error(SettingKey.SERVER_SPIFFE_ID, e.getMessage());
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
      Path path = values.toPath(SettingKey.CRL_FILE, file);
      try {
        builder.file(path);
      } catch (IllegalArgumentException e) {
        throw values.error(SettingKey.CRL_FILE, SafeText.quote(file) + " is refused: " + e.getMessage());
      }
    }
    for (String url : urls == null ? List.<String>of() : urls) {
      URI uri;
      try {
        uri = new URI(url);
      } catch (URISyntaxException e) {
        // The exception's message repeats the value unescaped: only its reason and index are kept.
        throw values.error(SettingKey.CRL_URL, SafeText.quote(url) + " is not a URL: " + e.getReason()
            + (e.getIndex() >= 0 ? " at index " + e.getIndex() : ""));
      }
      String problem = Revocation.Builder.problemWith(uri);
      if (problem != null) {
        String shown = uri.getRawUserInfo() == null ? SafeText.quote(url)
            : '"' + Revocation.Builder.withoutUserInfo(uri) + '"';
        throw values.error(SettingKey.CRL_URL, shown + " " + problem);
      }
      try {
        builder.url(uri);
      } catch (IllegalArgumentException e) {
        // What is left for the builder to refuse: the same URL, spelt with another case.
        throw values.error(SettingKey.CRL_URL, "has " + SafeText.quote(url) + " twice (scheme and host are"
            + " compared ignoring case)");
      }
    }
    Duration interval = values.duration(SettingKey.CRL_REFRESH_INTERVAL, Revocation.Builder.REFRESH_INTERVAL);
    if (interval != null) {
      builder.refreshInterval(interval);
    }
    Duration staleness = values.duration(SettingKey.CRL_MAX_STALENESS, Revocation.Builder.MAX_STALENESS);
    if (staleness != null) {
      builder.softFail(staleness);
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
    Duration interval = values.duration(SettingKey.RELOAD_INTERVAL, ReloadPolicy.INTERVAL);
    return ReloadPolicy.builder().interval(interval).build();
  }

  /**
   * Fails, naming the key, when a file the settings name is not there at all, or is a
   * directory where a file is needed: said before the loader, which names only the file,
   * reads it. Everything else about a file (a dangling link, its content) is the loader's.
   */
  void checkFilesExist() {
    checkFile(SettingKey.CERT_FILE, values.path(SettingKey.CERT_FILE), false);
    checkFile(SettingKey.KEY_FILE, values.path(SettingKey.KEY_FILE), false);
    checkFile(SettingKey.CA_CERT_FILE, values.path(SettingKey.CA_CERT_FILE), true);
    if (revocation != null) {
      for (Path crl : revocation.files()) {
        checkFile(SettingKey.CRL_FILE, crl, false);
      }
    }
  }

  private void checkFile(SettingKey key, @Nullable Path file, boolean directoryAllowed) {
    if (file == null) {
      return;
    }
    if (Files.notExists(file, LinkOption.NOFOLLOW_LINKS)) {
      throw values.error(key, SafeText.quote(file.toString()) + " does not exist");
    }
    if (!directoryAllowed && Files.isDirectory(file)) {
      throw values.error(key, SafeText.quote(file.toString()) + " is a directory, not a file");
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
