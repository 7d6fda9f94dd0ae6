package dev.mtls.client;

import static dev.mtls.client.Tls.ORDERS;
import static dev.mtls.client.Tls.PAYMENTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mtls.client.MtlsConnectException.Problem;
import dev.mtls.core.MtlsContext;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.junit.jupiter.api.Test;

/**
 * The socket factory and trust manager pair, the {@code SSLContext} and the host-name verifier
 * of {@link MtlsSockets}, wired into OkHttp and Apache HttpClient 5 the way their users wire
 * them, and used bare, against the JDK's {@code HttpsServer} set up from a server context.
 */
class MtlsSocketsTest {
  private final TestCa ca = TestCa.create();
  private final IssuedCertificate caller = ca.client("caller");

  @Test
  void okHttp_callsThroughTheSocketFactoryPair_presentingTheClientsCertificate() throws Exception {
    try (MtlsContext server = Tls.server(ca.server("localhost"), ca).build();
        MtlsContext client = Tls.client(caller, ca).build();
        TestHttpsServer https = TestHttpsServer.https(server)) {
      MtlsSockets tls = MtlsSockets.of(client);
      OkHttpClient okhttp = okHttp(tls);

      try (Response response = okhttp.newCall(new Request.Builder().url(https.uri("/").toURL()).build()).execute()) {
        assertThat(response.code()).isEqualTo(200);
        assertThat(response.body().string()).startsWith("serial=" + caller.serialNumber().toString(16) + " ");
        assertThat(response.handshake().tlsVersion().javaName()).isEqualTo("TLSv1.3");
      }
    }
  }

  @Test
  void okHttp_withTheHostnameVerifier_reachesTheSpiffeNamedServer_whoseCertificateHasNoDnsName() throws Exception {
    IssuedCertificate uriOnly = Tls.spiffeServer(ca, PAYMENTS);
    try (MtlsContext server = Tls.server(uriOnly, ca).build();
        MtlsContext client = Tls.paymentsClient(caller, ca).build();
        TestHttpsServer https = TestHttpsServer.https(server)) {
      MtlsSockets tls = MtlsSockets.of(client);
      Request request = new Request.Builder().url(https.uri("/").toURL()).build();

      try (Response response = okHttp(tls).newCall(request).execute()) {
        assertThat(response.code()).isEqualTo(200);
      }
      // OkHttp's own verifier knows DNS names only: it refuses what the context's rule allows.
      OkHttpClient ownVerifier = okHttp(tls).newBuilder().hostnameVerifier(okhttp3.internal.tls.OkHostnameVerifier.INSTANCE)
          .build();
      assertThatThrownBy(() -> ownVerifier.newCall(request).execute()).isInstanceOf(SSLPeerUnverifiedException.class);
    }
  }

  @Test
  void okHttp_refusesTheWrongServer_namingBothIdentities_andExplainSaysWhatToDo() throws Exception {
    IssuedCertificate orders = Tls.spiffeServer(ca, ORDERS, "localhost");
    try (MtlsContext server = Tls.server(orders, ca).build();
        MtlsContext client = Tls.paymentsClient(caller, ca).build();
        TestHttpsServer https = TestHttpsServer.https(server)) {
      MtlsSockets tls = MtlsSockets.of(client);
      Request request = new Request.Builder().url(https.uri("/").toURL()).build();

      IOException failure = catchThrowableOfType(IOException.class, () -> okHttp(tls).newCall(request).execute().close());
      assertThat(failure).isInstanceOf(SSLHandshakeException.class)
          .hasMessageContaining("server presented " + ORDERS + " (DNS: localhost), expected " + PAYMENTS);
      IOException explained = tls.explain("localhost", https.port(), failure);
      assertThat(explained).isInstanceOfSatisfying(MtlsConnectException.class, e -> {
        assertThat(e.problem()).isEqualTo(Problem.WRONG_SERVER_IDENTITY);
        assertThat(e.host()).isEqualTo("localhost");
        assertThat(e.port()).isEqualTo(https.port());
        assertThat(e.getMessage()).startsWith("cannot connect to localhost:" + https.port()
            + ": the server is not the one this client expects: server presented " + ORDERS);
      });
      assertThat(explained.getCause()).isSameAs(failure);
    }
  }

  @Test
  void apacheHttpClient5_callsThroughTheSslContext_withTheHostnameVerifier() throws Exception {
    IssuedCertificate uriOnly = Tls.spiffeServer(ca, PAYMENTS);
    try (MtlsContext server = Tls.server(uriOnly, ca).build();
        MtlsContext client = Tls.paymentsClient(caller, ca).build();
        TestHttpsServer https = TestHttpsServer.https(server)) {
      MtlsSockets tls = MtlsSockets.of(client);
      try (CloseableHttpClient apache = HttpClients.custom()
          .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
              .setTlsSocketStrategy(ClientTlsStrategyBuilder.create()
                  .setSslContext(tls.sslContext())
                  .setHostnameVerifier(tls.hostnameVerifier())
                  .buildClassic())
              .build())
          .build()) {
        String body = apache.execute(new HttpGet(https.uri("/")), response -> {
          assertThat(response.getCode()).isEqualTo(200);
          return EntityUtils.toString(response.getEntity());
        });
        assertThat(body).startsWith("serial=" + caller.serialNumber().toString(16) + " ");
      }
    }
  }

  @Test
  void bareSocket_refusesTheWrongServer_namingBothIdentities() throws Exception {
    IssuedCertificate orders = Tls.spiffeServer(ca, ORDERS, "localhost");
    try (MtlsContext server = Tls.server(orders, ca).build();
        MtlsContext client = Tls.paymentsClient(caller, ca).build();
        TestHttpsServer https = TestHttpsServer.https(server);
        SSLSocket socket = (SSLSocket) MtlsSockets.of(client).socketFactory().createSocket("localhost", https.port())) {
      socket.setSoTimeout((int) client.handshakeTimeout().toMillis());

      assertThatThrownBy(socket::startHandshake).isInstanceOf(SSLHandshakeException.class)
          .hasMessageContaining("server presented " + ORDERS + " (DNS: localhost), expected " + PAYMENTS);
    }
  }

  @Test
  void pair_isTheContextsOwn_andAServerContextIsRefused() throws Exception {
    try (MtlsContext server = Tls.server(ca.server("localhost"), ca).build();
        MtlsContext client = Tls.client(caller, ca).build()) {
      MtlsSockets tls = MtlsSockets.of(client);
      assertThat(tls.socketFactory()).isSameAs(client.socketFactory());
      assertThat(tls.trustManager()).isSameAs(client.trustManager());
      assertThat(tls.sslContext()).isSameAs(client.sslContext());
      assertThatThrownBy(() -> MtlsSockets.of(server)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  private static OkHttpClient okHttp(MtlsSockets tls) {
    Duration timeout = Duration.ofSeconds(10);
    return new OkHttpClient.Builder()
        .sslSocketFactory(tls.socketFactory(), tls.trustManager())
        .hostnameVerifier(tls.hostnameVerifier())
        .connectTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .readTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .retryOnConnectionFailure(false)
        .build();
  }
}
