package dev.mtls.netty;

import dev.mtls.core.ContextChange;
import dev.mtls.core.MtlsContext;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolNegotiator;
import io.netty.handler.ssl.OpenSslCachingX509KeyManagerFactory;
import io.netty.handler.ssl.OpenSslContextOption;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.KeyManagerFactoryWrapper;
import java.security.cert.X509Certificate;
import java.security.interfaces.EdECKey;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OpenSSL {@code SslContext} that follows an {@link MtlsContext}: every engine comes from
 * the OpenSSL context in use, which is built anew when the core renews its sessions (after
 * every identity, trust or revocation change). OpenSSL keeps four things the core cannot
 * renew from outside, and a new native context drops them all at once:
 * <ul>
 *   <li>its session cache and session-ticket keys: resumption skips the trust manager, so a
 *       session or ticket issued before a CRL named its client must not be accepted after;
 *   <li>the CA names a server advertises, read from the trust manager when the context is
 *       built;
 *   <li>its cache of encoded key material, keyed by the key manager's alias (the core's key
 *       manager has one alias per identity snapshot and forgets all but the last two, which
 *       lets Netty's cache evict the rest; the two-entry cache here never holds more);
 *   <li>nothing else: protocols, suites, key-exchange groups ({@link OpenSslGroups}) and client
 *       auth are the policy's, which does not change, and the ALPN protocols are fixed.
 * </ul>
 *
 * <p>Core's refusal of SHA-1 handshake signatures holds here as far as netty-tcnative lets it:
 * a server is never made to sign with SHA-1 (core's key manager offers no key to a client that
 * accepts only SHA-1), BoringSSL takes no SHA-1 signature in TLS 1.3, and in TLS 1.2 the one it
 * would take ({@code rsa_pkcs1_sha1}) is shut out by refusing RSA peers there
 * ({@link Tls12RsaRefusingTrustManager}).
 *
 * <p>Between the core's swap and the rebuild (the change is delivered on the core's
 * {@code mtls-changes-N} thread, within milliseconds) a handshake may still resume on the old
 * context; {@link PeerVerificationHandler} asks the core verifier, which knows the new
 * revocation data, about every session, resumed or not.
 *
 * <p>Engines made before a rebuild keep the context they came from; Netty frees a native
 * context once it and its engines are unreachable.
 */
final class RenewingOpenSslContext extends SslContext {
  private static final Logger log = LoggerFactory.getLogger(RenewingOpenSslContext.class);
  /** The current identity's alias and the one before it: the core answers for no older one. */
  private static final int KEY_MATERIAL_ENTRIES = 2;

  private final MtlsContext context;
  private final boolean client;
  private final ApplicationProtocols alpn;
  private volatile SslContext current;

  private RenewingOpenSslContext(MtlsContext context, boolean client, ApplicationProtocols alpn, SslContext first) {
    this.context = context;
    this.client = client;
    this.alpn = alpn;
    this.current = first;
  }

  static RenewingOpenSslContext of(MtlsContext context, boolean client, ApplicationProtocols alpn) {
    refuseUnusableIdentity(context);
    RenewingOpenSslContext renewing;
    try {
      renewing = new RenewingOpenSslContext(context, client, alpn, build(context, client, alpn));
    } catch (SSLException e) {
      throw new IllegalArgumentException("cannot build an OpenSSL context from " + context + ": " + e.getMessage(), e);
    }
    // Both for the core context's life: close() on it ends them.
    context.requireOfIdentity(RenewingOpenSslContext::unusableKey);
    context.onChange(renewing::changed);
    return renewing;
  }

  /**
   * Handshakes with an Ed25519 (or Ed448) identity fail on the OpenSSL provider, which takes
   * the key through Netty's key-material encoding. Refused here, where the user can still
   * choose, rather than at every handshake; one arriving by a reload is refused by the reload
   * ({@link #unusableKey}, a requirement on the core context), and the identity in use stays.
   */
  static void refuseUnusableIdentity(MtlsContext context) {
    List<X509Certificate> chain = context.identityChain();
    Optional<String> problem = chain.isEmpty() ? Optional.empty() : unusableKey(chain);
    if (problem.isPresent()) {
      throw new IllegalArgumentException("the OpenSSL provider cannot use " + context + "'s identity "
          + chain.get(0).getSubjectX500Principal().getName() + ": " + problem.get());
    }
  }

  /** Why the OpenSSL provider cannot serve a chain's key, if it cannot. */
  private static Optional<String> unusableKey(List<X509Certificate> chain) {
    if (chain.get(0).getPublicKey() instanceof EdECKey key) {
      return Optional.of("its key is " + key.getParams().getName() + ", which the OpenSSL provider cannot use"
          + " (its handshakes fail); use an EC (P-256, P-384) or RSA identity, or SslProvider.JDK");
    }
    return Optional.empty();
  }

  private void changed(ContextChange change) {
    if (change != ContextChange.SESSIONS_RENEWED) {
      return; // every material change is followed by SESSIONS_RENEWED: rebuild once
    }
    try {
      current = build(context, client, alpn);
    } catch (SSLException | RuntimeException e) {
      // Keep the context in use: it still reads the current managers; only its sessions,
      // CA names and cached key material are older, and the handler re-judges every session.
      log.error("cannot renew the OpenSSL context of {}: {}; sessions made before the change may still resume,"
          + " and the handler re-judges them", context, e.toString(), e);
    }
  }

  private static SslContext build(MtlsContext context, boolean client, ApplicationProtocols alpn)
      throws SSLException {
    SslContextBuilder builder;
    if (client) {
      // No endpoint identification in OpenSSL itself: the core's ServerIdentity rule checks
      // the server in the trust manager (a SPIFFE rule needs no host name in the certificate).
      builder = SslContextBuilder.forClient().endpointIdentificationAlgorithm(null)
          .keyManager(keyMaterial(context));
    } else {
      builder = SslContextBuilder.forServer(keyMaterial(context))
          .clientAuth(MtlsSslContexts.nettyClientAuth(context.clientAuth()));
    }
    return builder.sslProvider(SslProvider.OPENSSL)
        .trustManager(trustManager(context))
        .protocols(context.tlsPolicy().protocols())
        .ciphers(context.tlsPolicy().cipherSuites())
        .option(OpenSslContextOption.GROUPS, OpenSslGroups.of(context.tlsPolicy()))
        .applicationProtocolConfig(alpn.toNetty())
        .build();
  }

  /** Core's trust manager; with TLS 1.2 in the policy, refusing what BoringSSL would let by. */
  private static X509ExtendedTrustManager trustManager(MtlsContext context) {
    return context.tlsPolicy().protocols().contains("TLSv1.2")
        ? new Tls12RsaRefusingTrustManager(context.trustManager())
        : context.trustManager();
  }

  private static OpenSslCachingX509KeyManagerFactory keyMaterial(MtlsContext context) {
    return new OpenSslCachingX509KeyManagerFactory(new KeyManagerFactoryWrapper(context.keyManager()),
        KEY_MATERIAL_ENTRIES);
  }

  @Override
  public boolean isClient() {
    return client;
  }

  @Override
  public List<String> cipherSuites() {
    return current.cipherSuites();
  }

  @Override
  @SuppressWarnings("deprecation")
  public ApplicationProtocolNegotiator applicationProtocolNegotiator() {
    return current.applicationProtocolNegotiator();
  }

  @Override
  public SSLEngine newEngine(ByteBufAllocator alloc) {
    return current.newEngine(alloc);
  }

  @Override
  public SSLEngine newEngine(ByteBufAllocator alloc, String peerHost, int peerPort) {
    return current.newEngine(alloc, peerHost, peerPort);
  }

  /**
   * The session context of the OpenSSL context in use; settings made on it last until the
   * next change.
   */
  @Override
  public SSLSessionContext sessionContext() {
    return current.sessionContext();
  }

  @Override
  public String toString() {
    return "OpenSSL context of " + context;
  }
}
