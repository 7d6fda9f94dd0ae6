package dev.mtls.servlet;

import dev.mtls.core.MtlsContext;
import dev.mtls.core.PeerPolicy;
import jakarta.servlet.FilterConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.security.auth.x500.X500Principal;
import org.jspecify.annotations.Nullable;

/**
 * A filter's configuration from {@code web.xml} or a {@code FilterRegistration}: the words of
 * the {@code TLS_*} settings for who is allowed, alone for the default policy and followed by
 * {@code @pattern} for a path's rule.
 */
final class InitParameters {
  static final String EXEMPT_PATHS = "EXEMPT_PATHS";
  static final String CONTEXT_ATTRIBUTE = "CONTEXT_ATTRIBUTE";
  /** The policy words, as in {@code TLS_ALLOWED_COMMON_NAMES} and the others. */
  static final List<String> POLICY_WORDS = List.of("ALLOWED_PEERS", "ALLOWED_COMMON_NAMES", "ALLOWED_DNS_NAMES",
      "ALLOWED_URIS", "ALLOWED_SPIFFE_IDS", "REQUIRED_ISSUER");

  private InitParameters() {}

  static PathRules read(FilterConfig config) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String name : Collections.list(config.getInitParameterNames())) {
      values.put(name, config.getInitParameter(name));
    }
    String attribute = values.getOrDefault(CONTEXT_ATTRIBUTE, MtlsFilter.CONTEXT_ATTRIBUTE);
    if (!(config.getServletContext().getAttribute(attribute) instanceof MtlsContext context)) {
      throw new IllegalStateException("the servlet context attribute " + Json.quote(attribute)
          + " holds no MtlsContext: set it to the server context before the filter starts"
          + " (servletContext.setAttribute(MtlsFilter.CONTEXT_ATTRIBUTE, context))");
    }
    MtlsFilter.Builder builder = MtlsFilter.builder(context);
    // One policy per pattern; the key "" is the default policy.
    Map<String, Map<String, String>> policies = new LinkedHashMap<>();
    for (Map.Entry<String, String> parameter : values.entrySet()) {
      String name = parameter.getKey();
      if (name.equals(CONTEXT_ATTRIBUTE)) {
        continue;
      }
      if (name.equals(EXEMPT_PATHS)) {
        builder.exemptPaths(list(name, parameter.getValue()).toArray(new String[0]));
        continue;
      }
      int at = name.indexOf('@');
      String word = at < 0 ? name : name.substring(0, at);
      if (!POLICY_WORDS.contains(word)) {
        throw new IllegalArgumentException("unknown init parameter " + Json.quote(name) + ": the parameters are "
            + EXEMPT_PATHS + ", " + CONTEXT_ATTRIBUTE + " and " + String.join(", ", POLICY_WORDS)
            + ", each of these last alone or followed by @ and a path pattern (ALLOWED_COMMON_NAMES@/admin/*)");
      }
      policies.computeIfAbsent(at < 0 ? "" : name.substring(at + 1), pattern -> new LinkedHashMap<>())
          .put(word, parameter.getValue());
    }
    for (Map.Entry<String, Map<String, String>> policy : policies.entrySet()) {
      String pattern = policy.getKey();
      PeerPolicy parsed = policy(policy.getValue(), pattern.isEmpty() ? "" : "@" + pattern);
      if (pattern.isEmpty()) {
        builder.policy(parsed);
      } else {
        builder.rule(pattern, parsed);
      }
    }
    return builder.build().rules();
  }

  private static PeerPolicy policy(Map<String, String> words, String suffix) {
    PeerPolicy.Builder policy = PeerPolicy.builder();
    for (Map.Entry<String, String> word : words.entrySet()) {
      String name = word.getKey() + suffix;
      try {
        switch (word.getKey()) {
          case "ALLOWED_PEERS" -> {
            if (!word.getValue().trim().equalsIgnoreCase("any")) {
              throw new IllegalArgumentException(Json.quote(word.getValue())
                  + " is not 'any': name the allowed clients with the ALLOWED_* lists");
            }
            policy.allowAnyTrustedPeer();
          }
          case "ALLOWED_COMMON_NAMES" -> policy.allowCommonNames(list(name, word.getValue()).toArray(new String[0]));
          case "ALLOWED_DNS_NAMES" -> policy.allowDnsNames(list(name, word.getValue()).toArray(new String[0]));
          case "ALLOWED_URIS" -> policy.allowUris(list(name, word.getValue()).toArray(new String[0]));
          case "ALLOWED_SPIFFE_IDS" -> policy.allowSpiffeIds(list(name, word.getValue()).toArray(new String[0]));
          default -> policy.requireIssuer(issuer(word.getValue()));
        }
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("init parameter " + name + ": " + e.getMessage(), e);
      }
    }
    try {
      return policy.build();
    } catch (IllegalStateException e) {
      throw new IllegalArgumentException("init parameters " + String.join(", ", words.keySet()) + suffix + ": "
          + e.getMessage(), e);
    }
  }

  private static X500Principal issuer(String value) {
    try {
      return new X500Principal(value.trim());
    } catch (IllegalArgumentException e) {
      // The JDK's message repeats the value unescaped.
      throw new IllegalArgumentException(Json.quote(value) + " is not a distinguished name (such as CN=Issuing CA,O=Example)");
    }
  }

  /** A comma-separated list, items trimmed; an empty item is a mistake, not nothing. */
  private static List<String> list(String name, @Nullable String value) {
    List<String> items = new ArrayList<>();
    for (String item : (value == null ? "" : value).split(",", -1)) {
      String trimmed = item.trim();
      if (trimmed.isEmpty()) {
        throw new IllegalArgumentException("init parameter " + name + " has an empty item in " + Json.quote(
            value == null ? "" : value) + ": give a comma-separated list");
      }
      items.add(trimmed);
    }
    return items;
  }
}
