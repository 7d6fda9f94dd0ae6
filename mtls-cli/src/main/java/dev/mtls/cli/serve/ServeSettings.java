package dev.mtls.cli.serve;

import dev.mtls.cli.CliException;
import dev.mtls.cli.ExitCode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The {@code TLS_*} settings {@code serve} builds its context from: made from the flags
 * ({@code --cert}, {@code --key}, {@code --ca}, ...) or, without them, taken from the
 * environment with the flags that may go along ({@code --allow-cn}, {@code --crl}, {@code
 * --reload-interval}) added. Either way the context asks for a client certificate without
 * requiring one ({@code CERT_OPTIONAL}), so that {@code /health} is reached without one.
 */
final class ServeSettings {
  static final String DEFAULT_RELOAD_INTERVAL = "2s";
  private static final String PREFIX = "TLS_";
  private static final List<String> ALLOW_LISTS = List.of("TLS_ALLOWED_COMMON_NAMES", "TLS_ALLOWED_DNS_NAMES",
      "TLS_ALLOWED_URIS", "TLS_ALLOWED_SPIFFE_IDS", "TLS_ALLOWED_IP_ADDRESSES", "TLS_ALLOWED_EMAILS",
      "TLS_ALLOWED_PEERS", "TLS_REQUIRED_ISSUER");

  private ServeSettings() {}

  /**
   * The settings for these options.
   *
   * @param environment where {@code TLS_*} settings come from when no file flag is given
   * @return the {@code TLS_*} map for {@code MtlsSettings.fromMap}
   * @throws CliException naming the flag or key at fault
   */
  static Map<String, String> of(ServeCommand options, Map<String, String> environment) {
    boolean fromFlags = options.cert != null || options.key != null || options.ca != null;
    Map<String, String> settings = new LinkedHashMap<>();
    if (fromFlags) {
      settings.put("TLS_CERT_FILE", required(options.cert, "--cert").toString());
      settings.put("TLS_KEY_FILE", required(options.key, "--key").toString());
      settings.put("TLS_CA_CERT_FILE", required(options.ca, "--ca").toString());
    } else {
      environment.forEach((key, value) -> {
        if (key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_').startsWith(PREFIX)) {
          settings.put(key, value);
        }
      });
      if (settings.isEmpty()) {
        throw usage("serve needs --cert, --key and --ca, or the TLS_CERT_FILE, TLS_KEY_FILE and TLS_CA_CERT_FILE"
            + " settings in the environment");
      }
    }
    if (!options.allowCommonNames.isEmpty()) {
      String clash = firstSet(settings, ALLOW_LISTS);
      if (clash != null) {
        throw usage("--allow-cn and " + clash + " both say which clients are let in: use one");
      }
      for (String name : options.allowCommonNames) {
        if (name.isBlank() || name.contains(",")) {
          throw usage("--allow-cn takes one name (or pattern) at a time, without commas: repeat the flag");
        }
      }
      settings.put("TLS_ALLOWED_COMMON_NAMES", String.join(",", options.allowCommonNames));
    } else if (firstSet(settings, ALLOW_LISTS) == null) {
      settings.put("TLS_ALLOWED_PEERS", "any");
    }
    if (options.crl != null) {
      refuseBoth(settings, "TLS_CRL_FILE", "--crl");
      settings.put("TLS_CRL_FILE", options.crl.toString());
    }
    if (options.reloadInterval != null) {
      refuseBoth(settings, "TLS_RELOAD_INTERVAL", "--reload-interval");
      settings.put("TLS_RELOAD_INTERVAL", options.reloadInterval);
    } else if (!settings.containsKey("TLS_RELOAD_INTERVAL")) {
      settings.put("TLS_RELOAD_INTERVAL", DEFAULT_RELOAD_INTERVAL);
    }
    String verifyMode = settings.get("TLS_VERIFY_MODE");
    if (verifyMode == null) {
      settings.put("TLS_VERIFY_MODE", "CERT_OPTIONAL");
    } else if (verifyMode.trim().equalsIgnoreCase("CERT_NONE")) {
      throw usage("TLS_VERIFY_MODE is CERT_NONE, but serve is a mutual-TLS server: leave it unset (CERT_OPTIONAL,"
          + " so that /health needs no certificate) or set CERT_REQUIRED");
    }
    return settings;
  }

  /** Whether the peer policy names the clients, or lets in every client the CAs issued. */
  static boolean allowsAnyTrustedClient(Map<String, String> settings) {
    return "any".equalsIgnoreCase(settings.getOrDefault("TLS_ALLOWED_PEERS", "").trim());
  }

  private static Path required(@Nullable Path file, String flag) {
    if (file == null) {
      throw usage("--cert, --key and --ca go together: " + flag + " is missing");
    }
    return file;
  }

  private static void refuseBoth(Map<String, String> settings, String key, String flag) {
    if (settings.containsKey(key)) {
      throw usage(flag + " and " + key + " are both set: use one");
    }
  }

  private static @Nullable String firstSet(Map<String, String> settings, List<String> keys) {
    return keys.stream().filter(settings::containsKey).findFirst().orElse(null);
  }

  private static CliException usage(String message) {
    return new CliException(message, ExitCode.USAGE);
  }
}
