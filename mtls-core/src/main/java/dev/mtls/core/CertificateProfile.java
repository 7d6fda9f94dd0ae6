package dev.mtls.core;

/**
 * The rules a client holds its servers' certificates to beyond RFC 5280 path validation, set
 * with {@link ClientContextBuilder#certificateProfile(CertificateProfile)}.
 */
public enum CertificateProfile {
  /**
   * RFC 5280 and nothing more, for private PKIs (the default): path validation, the
   * checkable MUSTs of sections 4.1 and 4.2, name constraints, and the extended key usage of
   * CA certificates as a limit on what they issue.
   */
  RFC_5280,
  /**
   * RFC 5280 and the CA/Browser Forum's rules for publicly trusted server certificates, for
   * clients that call public servers: the server's certificate has subject alternative names
   * and a non-critical extended key usage without {@code anyExtendedKeyUsage}; its subject
   * common name, if any, is one of those names in canonical form; no DNS name has an
   * underscore, and no wildcard covers a public suffix ({@code *.co.uk}); the root has no
   * extended key usage. See the <a
   * href="https://cabforum.org/working-groups/server/baseline-requirements/">Baseline
   * Requirements</a>, 7.1.2.
   *
   * <p>Needs Guava ({@code com.google.guava:guava}) for the public suffix list, an optional
   * dependency: {@code build()} fails without it. On the module path, a module that uses this
   * profile also {@code requires com.google.common}.
   */
  CA_BROWSER_FORUM
}
