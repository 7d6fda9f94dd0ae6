package dev.mtls.cli;

import dev.mtls.core.IdentitySource;
import dev.mtls.core.MtlsContext;
import dev.mtls.core.ReloadPolicy;
import dev.mtls.core.TrustSource;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;

/** The client contexts and JDK HTTP clients the CLI's server tests call with. */
public final class TestClients {

  private TestClients() {}

  /** A client context presenting {@code identity} and trusting {@code ca}. */
  public static MtlsContext client(TestCa ca, IssuedCertificate identity) {
    return MtlsContext.forClient()
        .identity(IdentitySource.of(identity.privateKey(), identity.chain()))
        .trust(TrustSource.of(List.of(ca.certificate())))
        .reload(ReloadPolicy.disabled())
        .logging(false)
        .build();
  }

  /** A client context trusting {@code ca} that presents no certificate. */
  public static MtlsContext anonymous(TestCa ca) {
    return MtlsContext.forClient()
        .trust(TrustSource.of(List.of(ca.certificate())))
        .reload(ReloadPolicy.disabled())
        .logging(false)
        .build();
  }

  /** An HTTP/1.1 client with the client context's TLS, keeping its connections alive. */
  public static HttpClient http(MtlsContext client) {
    return HttpClient.newBuilder()
        .sslContext(client.sslContext())
        .sslParameters(client.sslParameters())
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10))
        .build();
  }
}
