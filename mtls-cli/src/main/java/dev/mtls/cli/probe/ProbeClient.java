package dev.mtls.cli.probe;

import dev.mtls.cli.CliException;
import dev.mtls.cli.ExitCode;
import dev.mtls.cli.text.PlainText;
import dev.mtls.core.ClientContextBuilder;
import dev.mtls.core.IdentitySource;
import dev.mtls.core.MtlsContext;
import dev.mtls.core.MtlsException;
import dev.mtls.core.PeerIdentity;
import dev.mtls.core.PeerPolicy;
import dev.mtls.core.ReloadPolicy;
import dev.mtls.core.ServerIdentity;
import dev.mtls.core.TlsPolicy;
import dev.mtls.core.TrustSource;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.jspecify.annotations.Nullable;

/**
 * The client context a probe connects with, from its options: the identity of {@code --cert}
 * and {@code --key} (or none), the anchors of {@code --ca} (or the JDK's), the server checked by
 * host name or by {@code --expect-spiffe}, TLS 1.3 and 1.2 offered, no reloading, no logging
 * (the probe says what happened itself).
 */
final class ProbeClient {
  private final MtlsContext context;
  private final @Nullable String expectedSpiffe;

  private ProbeClient(MtlsContext context, @Nullable String expectedSpiffe) {
    this.context = context;
    this.expectedSpiffe = expectedSpiffe;
  }

  static ProbeClient open(@Nullable Path cert, @Nullable Path key, @Nullable Path ca, @Nullable String spiffe,
      Duration timeout) {
    if ((cert == null) != (key == null)) {
      throw new CliException("give --cert and --key together (this client's certificate and its key), or"
          + " neither to connect without a client certificate", ExitCode.USAGE);
    }
    ClientContextBuilder builder = MtlsContext.forClient()
        .tlsPolicy(TlsPolicy.COMPATIBLE)
        .handshakeTimeout(timeout)
        .reload(ReloadPolicy.disabled())
        .logging(false);
    if (spiffe != null) {
      try {
        builder.serverIdentity(ServerIdentity.peer(PeerPolicy.builder().allowSpiffeIds(spiffe).build()));
      } catch (IllegalArgumentException e) {
        throw new CliException("--expect-spiffe: " + PlainText.printable(e.getMessage()), ExitCode.USAGE);
      }
    }
    try {
      if (cert != null && key != null) {
        builder.identity(IdentitySource.pemFiles(cert, key));
      }
      builder.trust(ca == null ? TrustSource.of(jdkDefaultAnchors()) : TrustSource.pemFile(ca));
      return new ProbeClient(builder.build(), spiffe);
    } catch (MtlsException | IllegalArgumentException | IllegalStateException e) {
      throw new CliException("cannot use this probe's own files: " + PlainText.printable(e.getMessage()),
          ProbeCommand.LOCAL_MATERIAL);
    }
  }

  MtlsContext context() {
    return context;
  }

  /** What this client presented, in words. */
  String sentCertificate() {
    List<X509Certificate> chain = context.identityChain();
    return chain.isEmpty() ? "none (no --cert and --key given)" : PeerIdentity.of(chain).describe();
  }

  /** How the server was checked, as a phrase. */
  String checkDescription(String host) {
    return expectedSpiffe == null
        ? "certificate names the host " + PlainText.printable(host)
        : "SPIFFE ID is " + PlainText.printable(expectedSpiffe);
  }

  private static List<X509Certificate> jdkDefaultAnchors() {
    try {
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init((KeyStore) null);
      for (TrustManager manager : factory.getTrustManagers()) {
        if (manager instanceof X509TrustManager x509) {
          return Arrays.asList(x509.getAcceptedIssuers());
        }
      }
    } catch (GeneralSecurityException e) {
      throw new CliException("cannot read the JDK's default CAs (" + e.getMessage() + "): give --ca FILE",
          ProbeCommand.LOCAL_MATERIAL);
    }
    throw new CliException("the JDK has no default CAs: give --ca FILE", ProbeCommand.LOCAL_MATERIAL);
  }
}
