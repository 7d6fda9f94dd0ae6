package dev.mtls.client;

import dev.mtls.core.MtlsContext;
import java.net.http.HttpClient;
import java.util.Objects;

/**
 * JDK {@link HttpClient}s that speak mutual TLS from a client {@link MtlsContext}: they present
 * the context's certificate (the one on disk at each new connection: a rotated certificate is
 * presented by the next new connection, and pooled connections carry on), check the server by
 * the context's {@code ServerIdentity} rule (the host name by default; a SPIFFE ID, DNS name,
 * CN or issuer as the rule says, although the JDK client asks for HTTPS host-name checking on
 * every connection), and keep the context's TLS policy.
 *
 * <pre>{@code
 * MtlsContext tls = MtlsContext.forClient()
 *     .identity(IdentitySource.pemFiles(Path.of("/etc/tls/tls.crt"), Path.of("/etc/tls/tls.key")))
 *     .trust(TrustSource.pemFile(Path.of("/etc/tls/ca.crt")))
 *     .build();
 * HttpClient http = MtlsHttpClients.create(tls);
 * }</pre>
 *
 * <p>The clients made here connect within the context's {@linkplain MtlsContext#handshakeTimeout()
 * handshake timeout} (the JDK client's connect timeout, which covers the TCP connect and the TLS
 * handshake), and those of {@link #create} and {@link #explainFailures} throw an {@link
 * MtlsConnectException} that says what went wrong and what to do when a connection cannot be
 * made; other failures (a request timeout, a connection that breaks later) pass unchanged.
 */
public final class MtlsHttpClients {
  private MtlsHttpClients() {}

  /**
   * A JDK client builder set up for mutual TLS from the context: its {@code SSLContext}, its
   * parameters, and a connect timeout of the context's handshake timeout. Add your own settings
   * (HTTP version, executor, proxy, a longer or shorter connect timeout), but not another
   * {@code sslContext} or {@code sslParameters}: the context's carry its certificate, its trust
   * and its server-identity rule. Build it and hand the client to {@link #explainFailures} to
   * have failed connections explained.
   *
   * <pre>{@code
   * HttpClient http = MtlsHttpClients.explainFailures(tls,
   *     MtlsHttpClients.newBuilder(tls).version(HttpClient.Version.HTTP_1_1).build());
   * }</pre>
   *
   * @param client a client context
   * @return a new builder
   * @throws IllegalArgumentException when the context is a server's
   */
  public static HttpClient.Builder newBuilder(MtlsContext client) {
    requireClient(client);
    return HttpClient.newBuilder()
        .sslContext(client.sslContext())
        .sslParameters(client.sslParameters())
        .connectTimeout(client.handshakeTimeout());
  }

  /**
   * A client as {@link #newBuilder} sets it up, with the JDK's defaults otherwise, whose failed
   * connections are explained ({@link MtlsConnectException}).
   *
   * @param client a client context
   * @return the client
   * @throws IllegalArgumentException when the context is a server's
   */
  public static HttpClient create(MtlsContext client) {
    return new ExplainingHttpClient(client, newBuilder(client).build());
  }

  /**
   * A client that sends through {@code http}, and throws an {@link MtlsConnectException} in
   * place of the JDK's exception when a connection cannot be made (from {@code send}, or as
   * the failure of {@code sendAsync}'s future). Meant for clients built from {@link
   * #newBuilder}; every other method forwards to {@code http}, including {@code close()} and
   * {@code shutdown()} on JDK 21 and later.
   *
   * @param client the client context {@code http} was built from
   * @param http the JDK client
   * @return a client that explains failed connections
   * @throws IllegalArgumentException when the context is a server's, or when {@code http} does not
   *     use the context's {@code SSLContext} (its failures would not be the context's to explain)
   */
  public static HttpClient explainFailures(MtlsContext client, HttpClient http) {
    requireClient(client);
    Objects.requireNonNull(http, "http");
    if (http instanceof ExplainingHttpClient explaining && explaining.context() == client) {
      return http;
    }
    if (http.sslContext() != client.sslContext()) {
      throw new IllegalArgumentException("explainFailures: the HttpClient was not built with the context's"
          + " SSLContext (" + client + "): build it from MtlsHttpClients.newBuilder(context)");
    }
    return new ExplainingHttpClient(client, http);
  }

  static void requireClient(MtlsContext context) {
    Objects.requireNonNull(context, "client");
    if (context.role() != MtlsContext.Role.CLIENT) {
      throw new IllegalArgumentException("a client needs a client context (MtlsContext.forClient()), not " + context);
    }
  }
}
