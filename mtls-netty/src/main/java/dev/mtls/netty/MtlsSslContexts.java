package dev.mtls.netty;

import dev.mtls.core.MtlsContext;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import java.util.Objects;
import java.util.Optional;

/**
 * Netty {@link SslContext}s made from an {@link MtlsContext}: the context's TLS policy
 * (protocols, cipher suites, key-exchange groups), client-auth mode and reloading key and trust
 * managers, and optionally ALPN ({@link ApplicationProtocols}), so that a
 * certificate, trust bundle or CRL rotated on disk reaches the next handshake, and no session
 * made before a trust or revocation change resumes after it.
 *
 * <pre>{@code
 * MtlsContext mtls = MtlsContext.forServer()
 *     .identity(IdentitySource.pemFiles(certificate, key))
 *     .trust(TrustSource.pemFile(caBundle))
 *     .build();
 * SslContext ssl = MtlsSslContexts.forServer(mtls, SslProvider.OPENSSL);
 * }</pre>
 *
 * <p>Two providers:
 * <ul>
 *   <li>{@link SslProvider#JDK}, always available: a {@link JdkSslContext} over
 *       {@link MtlsContext#sslContext()}, whose engines keep the policy whatever is set on them
 *       and whose sessions move on at every change.
 *   <li>{@link SslProvider#OPENSSL}, when {@code netty-tcnative} (for instance
 *       {@code netty-tcnative-boringssl-static}) is on the class path ({@link #isAvailable}): an
 *       OpenSSL context built from {@link MtlsContext#keyManager()} and
 *       {@link MtlsContext#trustManager()}, built anew at every change of identity, trust or
 *       revocation, so that its session cache and ticket keys, the CA names it advertises and
 *       its cache of key material are never older than the core's material. Ed25519
 *       identities are refused (the OpenSSL provider cannot sign with them through a Java
 *       key manager).
 * </ul>
 *
 * <p>{@link SslProvider#OPENSSL_REFCNT} is refused: the contexts made here outlive the
 * handlers that hold them, and are released when no engine needs them any more.
 */
public final class MtlsSslContexts {
  private MtlsSslContexts() {}

  /**
   * A server {@code SslContext} for a server context: it asks for client certificates as
   * the context's {@link MtlsContext#clientAuth()} says.
   *
   * @param context a server context
   * @param provider {@link SslProvider#JDK} or {@link SslProvider#OPENSSL}
   * @return the SSL context; with OpenSSL it follows the core context until that is closed
   * @throws IllegalArgumentException on a client context, an unsupported provider, or an
   *     identity the provider cannot use
   * @throws IllegalStateException when the provider is not available ({@link #unavailabilityCause})
   */
  public static SslContext forServer(MtlsContext context, SslProvider provider) {
    return forServer(context, provider, ApplicationProtocols.none());
  }

  /**
   * A server {@code SslContext} for a server context, as {@link #forServer(MtlsContext,
   * SslProvider)}, that also negotiates an application protocol with ALPN.
   *
   * @param context a server context
   * @param provider {@link SslProvider#JDK} or {@link SslProvider#OPENSSL}
   * @param alpn the protocols to choose from, most preferred first, or {@link ApplicationProtocols#none()}
   * @return the SSL context; with OpenSSL it follows the core context until that is closed
   * @throws IllegalArgumentException on a client context, an unsupported provider, or an
   *     identity the provider cannot use
   * @throws IllegalStateException when the provider is not available ({@link #unavailabilityCause})
   */
  public static SslContext forServer(MtlsContext context, SslProvider provider, ApplicationProtocols alpn) {
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(alpn, "alpn");
    if (context.role() != MtlsContext.Role.SERVER) {
      throw new IllegalArgumentException("forServer needs a server context, got " + context);
    }
    return build(context, provider, false, alpn);
  }

  /**
   * A client {@code SslContext} for a client context. Make handlers with
   * {@link SslContext#newHandler(io.netty.buffer.ByteBufAllocator, String, int)}: the server
   * is checked by the context's server-identity rule for that host.
   *
   * @param context a client context
   * @param provider {@link SslProvider#JDK} or {@link SslProvider#OPENSSL}
   * @return the SSL context; with OpenSSL it follows the core context until that is closed
   * @throws IllegalArgumentException on a server context, an unsupported provider, or an
   *     identity the provider cannot use
   * @throws IllegalStateException when the provider is not available ({@link #unavailabilityCause})
   */
  public static SslContext forClient(MtlsContext context, SslProvider provider) {
    return forClient(context, provider, ApplicationProtocols.none());
  }

  /**
   * A client {@code SslContext} for a client context, as {@link #forClient(MtlsContext,
   * SslProvider)}, that also offers application protocols with ALPN.
   *
   * @param context a client context
   * @param provider {@link SslProvider#JDK} or {@link SslProvider#OPENSSL}
   * @param alpn the protocols to offer, most preferred first, or {@link ApplicationProtocols#none()}
   * @return the SSL context; with OpenSSL it follows the core context until that is closed
   * @throws IllegalArgumentException on a server context, an unsupported provider, or an
   *     identity the provider cannot use
   * @throws IllegalStateException when the provider is not available ({@link #unavailabilityCause})
   */
  public static SslContext forClient(MtlsContext context, SslProvider provider, ApplicationProtocols alpn) {
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(alpn, "alpn");
    if (context.role() != MtlsContext.Role.CLIENT) {
      throw new IllegalArgumentException("forClient needs a client context, got " + context);
    }
    return build(context, provider, true, alpn);
  }

  /**
   * Whether a provider can be used here: the JDK's always, OpenSSL when {@code netty-tcnative}
   * for this platform is on the class path and loads. Probing never throws, with or without
   * {@code netty-tcnative}.
   *
   * @param provider the provider
   * @return {@code true} when {@link #forServer} and {@link #forClient} accept it
   */
  public static boolean isAvailable(SslProvider provider) {
    return unavailabilityCause(provider).isEmpty();
  }

  /**
   * Why a provider cannot be used here, if it cannot.
   *
   * @param provider the provider
   * @return empty when it is available; otherwise what stopped it (for OpenSSL, what loading
   *     {@code netty-tcnative} raised)
   */
  public static Optional<Throwable> unavailabilityCause(SslProvider provider) {
    Objects.requireNonNull(provider, "provider");
    return switch (provider) {
      case JDK -> Optional.empty();
      // OpenSsl probes for netty-tcnative by name and keeps what failed: no class of it is
      // linked here, so its absence is an answer rather than a NoClassDefFoundError.
      case OPENSSL -> OpenSsl.isAvailable() ? Optional.empty() : Optional.of(OpenSsl.unavailabilityCause());
      case OPENSSL_REFCNT -> Optional.of(new UnsupportedOperationException(
          "OPENSSL_REFCNT is not supported: use OPENSSL, whose contexts are released when unused"));
    };
  }

  private static SslContext build(MtlsContext context, SslProvider provider, boolean client,
      ApplicationProtocols alpn) {
    if (provider == SslProvider.OPENSSL_REFCNT) {
      throw new IllegalArgumentException("OPENSSL_REFCNT is not supported: use SslProvider.OPENSSL, whose contexts"
          + " are released when no engine uses them any more");
    }
    Optional<Throwable> unavailable = unavailabilityCause(provider);
    if (unavailable.isPresent()) {
      throw new IllegalStateException("the " + provider + " provider is not available: " + unavailable.get()
          + " (add io.netty:netty-tcnative-boringssl-static for this platform, or use SslProvider.JDK)",
          unavailable.get());
    }
    return provider == SslProvider.JDK ? jdk(context, client, alpn) : RenewingOpenSslContext.of(context, client, alpn);
  }

  private static SslContext jdk(MtlsContext context, boolean client, ApplicationProtocols alpn) {
    // The core's SSLContext has a provider of its own, so JdkSslContext asks it for protocols
    // and suites rather than assuming the JDK's defaults; the lists passed are the policy's,
    // and its engines would narrow anything else to them anyway.
    return new JdkSslContext(context.sslContext(), client, context.tlsPolicy().cipherSuites(),
        IdentityCipherSuiteFilter.INSTANCE, alpn.toNetty(),
        client ? ClientAuth.NONE : nettyClientAuth(context.clientAuth()),
        context.tlsPolicy().protocols().toArray(new String[0]), false);
  }

  static ClientAuth nettyClientAuth(dev.mtls.core.ClientAuth clientAuth) {
    return switch (clientAuth) {
      case NONE -> ClientAuth.NONE;
      case OPTIONAL -> ClientAuth.OPTIONAL;
      case REQUIRED -> ClientAuth.REQUIRE;
    };
  }
}
