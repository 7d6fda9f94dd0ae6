package dev.mtls.benchmarks;

import dev.mtls.core.IdentitySource;
import dev.mtls.core.MtlsContext;
import dev.mtls.core.ServerContextBuilder;
import dev.mtls.core.TrustSource;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import java.util.List;

/** The contexts the benchmarks judge peers with: identity and trust from the testkit, in memory. */
final class BenchContexts {
  private BenchContexts() {}

  /**
   * A server context's builder with its identity and one trust anchor, logging off; the caller
   * adds the peer policy and whatever else it measures.
   *
   * @param anchor the CA whose certificate the server trusts
   * @param identity the server's certificate and key
   * @return the builder
   */
  static ServerContextBuilder server(TestCa anchor, IssuedCertificate identity) {
    return MtlsContext.forServer()
        .identity(IdentitySource.of(identity.privateKey(), identity.chain()))
        .trust(TrustSource.of(List.of(anchor.certificate())))
        .logging(false);
  }

  /**
   * A client context with its identity and one trust anchor.
   *
   * @param anchor the CA whose certificate the client trusts
   * @param identity the client's certificate and key
   * @return the context
   */
  static MtlsContext client(TestCa anchor, IssuedCertificate identity) {
    return MtlsContext.forClient()
        .identity(IdentitySource.of(identity.privateKey(), identity.chain()))
        .trust(TrustSource.of(List.of(anchor.certificate())))
        .logging(false)
        .build();
  }
}
