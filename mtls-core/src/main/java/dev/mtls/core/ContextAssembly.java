package dev.mtls.core;

import dev.mtls.core.internal.Lane;
import dev.mtls.core.internal.reload.FileDigest;
import dev.mtls.core.internal.material.IdentityChecks;
import dev.mtls.core.internal.tls.IdentityHolder;
import dev.mtls.core.internal.tls.IdentityKeyManager;
import dev.mtls.core.internal.material.IdentityMaterial;
import dev.mtls.core.internal.material.MaterialLoader;
import dev.mtls.core.internal.tls.MtlsTrustManager;
import dev.mtls.core.internal.tls.NoIdentityKeyManager;
import dev.mtls.core.internal.reload.Reloader;
import dev.mtls.core.internal.crl.KnownIssuers;
import dev.mtls.core.internal.crl.RevocationChecker;
import dev.mtls.core.internal.validation.ChainProfile;
import dev.mtls.core.internal.validation.TrustAnchorChecks;
import dev.mtls.core.internal.validation.TrustHolder;
import dev.mtls.core.internal.material.TrustMaterial;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a checked {@link ContextBuilder} into a running context: loads and checks the
 * material, starts revocation, and wires the verifier, the key and trust managers, the JSSE
 * side and the reloader together. The builder says what is wanted; this is how it is made.
 */
final class ContextAssembly {
  private static final Logger log = LoggerFactory.getLogger(MtlsContext.class);

  private ContextAssembly() {}

  static MtlsContext assemble(ContextBuilder<?> b) {
    Clock clock = b.clock != null ? b.clock : Clock.systemUTC();
    CompositeListener listener = CompositeListener.of(b.logging, b.listeners);
    PeerRule rule;
    if (b.role == MtlsContext.Role.SERVER) {
      rule = PeerRule.forClients(b.peerPolicy != null ? b.peerPolicy : PeerPolicy.anyTrustedPeer());
    } else {
      ServerIdentity serverIdentity = b.serverIdentity != null ? b.serverIdentity : ServerIdentity.hostName();
      if (serverIdentity.isInsecure()) {
        log.warn("DANGEROUS: this client context identifies no server by name"
            + " (ServerIdentity.INSECURE_anyTrustedServer()): any server with a certificate from its"
            + " trust anchors can pose as any other");
      }
      rule = PeerRule.forServers(serverIdentity);
    }
    ReloadPolicy reload = b.reloadPolicy != null ? b.reloadPolicy : ReloadPolicy.defaults();

    // Each fingerprint is taken before its material is read: a rotation landing in between is
    // then seen as a change at the first reload, not mistaken for the material in use.
    IdentityHolder identity = null;
    MaterialLoader<IdentityMaterial> identityLoader = null;
    FileDigest identityFiles = null;
    if (b.identitySource != null) {
      identityLoader = b.identitySource.loader();
      identityFiles = FileDigest.of(identityLoader.files());
      IdentityMaterial material = identityLoader.load();
      IdentityChecks.checkValidity(material.leaf(), "certificate", firstFile(identityLoader),
          clock.instant(), b.clockSkew);
      identity = new IdentityHolder(material);
    }
    MaterialLoader<TrustMaterial> trustLoader = b.trustSource != null ? b.trustSource.loader() : null;
    FileDigest trustFiles = trustLoader != null ? FileDigest.of(trustLoader.files()) : null;
    TrustHolder trust = new TrustHolder(trustLoader != null
        ? trustLoader.load()
        : new TrustMaterial(List.of(placeholderAnchor(identity)), "no trust (server without client auth)"),
        chainProfile(b));
    if (trustLoader != null) {
      for (String unusable : TrustAnchorChecks.unusable(trust.anchors(), clock.instant(), b.clockSkew)) {
        log.warn("{} (in {})", unusable, trust.validator().trust().origin());
      }
    }
    Revocation revocation = b.revocation != null ? b.revocation : Revocation.none();
    FileDigest crlFiles = FileDigest.of(revocation.files());
    // The context's share of the JVM's background threads, for its reloads and CRL refreshes;
    // the reloader owns it. A fetch interrupted by close() ends within its timeout.
    Lane lane = Lane.open(b.role + " context", revocation.fetchTimeout().plusSeconds(1));
    RevocationChecker revocationChecker;
    try {
      revocationChecker = revocation.start(clock, listener, lane, knownIssuers(trustLoader != null ? trust : null, identity),
          b.clockSkew);
    } catch (RuntimeException e) {
      lane.close();
      throw e;
    }
    try {
      DefaultPeerVerifier verifier = new DefaultPeerVerifier(trust, revocationChecker, rule,
          b.role == MtlsContext.Role.CLIENT, b.peerPolicyInHandshake, clock, b.clockSkew, listener);
      X509ExtendedKeyManager keyManager = identity == null
          ? new NoIdentityKeyManager()
          : new IdentityKeyManager(identity);
      MtlsTrustManager trustManager = new MtlsTrustManager(verifier::verifyInHandshake, trust::anchors);
      JsseContext jsse = new JsseContext(b.role, b.provider, b.tlsPolicy, b.clientAuth,
          new KeyManager[] {keyManager}, new TrustManager[] {trustManager}, b.handshakeTimeout,
          verifier::reportRefusal);
      // Trust first, then identity: a CA rotation that replaces both at once passes in one go.
      Reloader.Builder reloader = Reloader.builder(clock, listener, lane).expiryWarning(reload.expiryWarning());
      if (trustLoader != null && trustFiles != null) {
        reloader.trust(trustLoader, trust, trustFiles);
      }
      if (identity != null && identityLoader != null && identityFiles != null) {
        reloader.identity(identityLoader, identity, b.trustSource == null ? null : leadsTo(identity, trust, identityLoader),
            b.clockSkew, reload.refusesSubjectChange(), identityFiles);
      }
      reloader.revocation(revocationChecker, revocation.files(), crlFiles);
      MtlsContext context = new MtlsContext(b, jsse, verifier, revocationChecker, identity, trust,
          keyManager, trustManager, reloader, listener, clock, reload.expiryWarning());
      // Whatever the reload policy: a CRL refreshed in the background must reach resumable sessions.
      revocationChecker.onChange(() -> context.changed(List.of(ContextChange.REVOCATION)));
      context.startReloading(reload);
      return context;
    } catch (RuntimeException e) {
      revocationChecker.close();
      lane.close();
      throw e;
    }
  }

  /**
   * What the peers' chains must meet beyond PKIX: the purpose of the peer's role (or the one
   * the peer policy requires) through every CA certificate, and the client's certificate
   * profile.
   */
  private static ChainProfile chainProfile(ContextBuilder<?> b) {
    if (b.role == MtlsContext.Role.CLIENT) {
      return ChainProfile.of(KeyPurpose.SERVER_AUTH.oid(), b.certificateProfile == CertificateProfile.CA_BROWSER_FORUM);
    }
    KeyPurpose required = b.peerPolicy != null ? b.peerPolicy.requiredPurpose() : null;
    return ChainProfile.of((required != null ? required : KeyPurpose.CLIENT_AUTH).oid(), false);
  }

  /**
   * The anchors a reloaded identity must lead to: the context's own, when the identity it
   * started with leads to them (one PKI for both sides); none when it does not (the server's
   * certificate comes from a public or separate CA).
   */
  private static @Nullable TrustHolder leadsTo(IdentityHolder identity, TrustHolder trust,
      MaterialLoader<IdentityMaterial> loader) {
    try {
      IdentityChecks.checkChainLeadsTo(identity.current(), trust.validator().trust(), firstFile(loader));
      return trust;
    } catch (MtlsLoadException e) {
      return null;
    }
  }

  /**
   * The certificates CRLs are verified against when they are loaded: the trust anchors in use
   * (none for a server without client auth), and the CA certificates of the identity chain in
   * use.
   */
  private static KnownIssuers knownIssuers(@Nullable TrustHolder trust, @Nullable IdentityHolder identity) {
    return new KnownIssuers(
        trust == null ? List::of : trust::anchors,
        identity == null ? List::of : () -> {
          List<X509Certificate> chain = identity.current().chain();
          return chain.size() <= 1 ? List.of() : chain.subList(1, chain.size());
        });
  }

  private static @Nullable Path firstFile(MaterialLoader<?> loader) {
    return loader.files().isEmpty() ? null : loader.files().get(0);
  }

  private static X509Certificate placeholderAnchor(@Nullable IdentityHolder identity) {
    // A server without client auth judges no peer; its trust manager still needs an anchor
    // set, and its own certificate is one that can never make a client chain valid there
    // (the JSSE never asks the trust manager of a server that requests no certificate).
    return Objects.requireNonNull(identity, "identity").current().leaf();
  }
}
