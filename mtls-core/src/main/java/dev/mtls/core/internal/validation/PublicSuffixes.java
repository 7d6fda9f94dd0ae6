package dev.mtls.core.internal.validation;

import org.jspecify.annotations.Nullable;

/**
 * The public suffix list (<a href="https://publicsuffix.org/">publicsuffix.org</a>), as Guava's
 * {@code InternetDomainName} holds it: an optional dependency, needed only by the CA/Browser
 * Forum profile, probed at run time. Guava ships the list in every release, so updating Guava
 * updates the list; no copy is kept here.
 */
public final class PublicSuffixes {
  private static final String GUAVA_CLASS = "com.google.common.net.InternetDomainName";
  private static final @Nullable Throwable UNAVAILABILITY_CAUSE = probe();

  private PublicSuffixes() {}

  private static @Nullable Throwable probe() {
    try {
      Class.forName(GUAVA_CLASS, false, PublicSuffixes.class.getClassLoader());
      Module self = PublicSuffixes.class.getModule();
      Module guava = Class.forName(GUAVA_CLASS, false, PublicSuffixes.class.getClassLoader()).getModule();
      if (!self.canRead(guava)) {
        // This module only requires com.google.common statically: read it where it came in.
        self.addReads(guava);
      }
      return null;
    } catch (ClassNotFoundException | LinkageError e) {
      return e;
    }
  }

  /**
   * Why the list cannot be used here.
   *
   * @return {@code null} when Guava is present; otherwise what is missing
   */
  public static @Nullable Throwable unavailabilityCause() {
    return UNAVAILABILITY_CAUSE;
  }

  /**
   * Whether a domain name is a public suffix ({@code com}, {@code co.uk}, {@code github.io}),
   * under which anyone may register names. Never called without Guava: the profile that needs
   * it fails at {@code build()} when {@link #unavailabilityCause()} is not {@code null}.
   *
   * @param domain a domain name without a trailing dot, lower case
   * @return whether it is on the list, its private section included
   */
  static boolean isPublicSuffix(String domain) {
    return GuavaSuffixes.isPublicSuffix(domain);
  }

  /** Links to Guava only when first called. */
  private static final class GuavaSuffixes {
    static boolean isPublicSuffix(String domain) {
      return com.google.common.net.InternetDomainName.isValid(domain)
          && com.google.common.net.InternetDomainName.from(domain).isPublicSuffix();
    }
  }
}
