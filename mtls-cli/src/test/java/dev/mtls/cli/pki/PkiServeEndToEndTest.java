package dev.mtls.cli.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.cli.Cli;
import dev.mtls.cli.serve.ServeCommand;
import dev.mtls.cli.serve.Serving;
import dev.mtls.cli.server.Engine;
import dev.mtls.core.IdentitySource;
import dev.mtls.core.Material;
import dev.mtls.core.MtlsContext;
import dev.mtls.core.MtlsListener;
import dev.mtls.core.RejectionReason;
import dev.mtls.core.ReloadPolicy;
import dev.mtls.core.TrustSource;
import java.io.IOException;
import java.math.BigInteger;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code mtls serve} from a directory {@code mtls pki init} made, while {@code pki revoke} and
 * {@code pki renew} change its files: what a developer does with the two commands together.
 */
class PkiServeEndToEndTest {

  @TempDir
  Path work;

  private Path pki;
  private Serving serving;
  private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();

  @AfterEach
  void stop() {
    if (serving != null) {
      serving.close();
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void clientRevokedWithPkiRevoke_isRefused_afterTheCrlReload(Engine engine) throws Exception {
    init("--days", "365");
    start(engine);
    assertThat(whoami("billing")).satisfies(response -> {
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).contains("\"commonName\":\"billing\"");
    });

    Cli revoke = Cli.run("pki", "revoke", pki.toString(), "billing", "--reason", "key_compromise");
    assertThat(revoke.exitCode()).as(revoke.toString()).isZero();

    awaitCrl(BigInteger.TWO);
    // Revocation is judged in the handshake (core's trust manager): the revoked client gets no
    // HTTP answer at all, and the server reports why.
    assertThatThrownBy(() -> whoami("billing")).isInstanceOf(IOException.class);
    awaitRejection(RejectionReason.REVOKED);
    assertThat(whoami("orders").statusCode()).isEqualTo(200);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void serverCertificateRenewedWithPkiRenew_isServed_withoutARestart(Engine engine) throws Exception {
    init("--days", "10");
    start(engine);
    BigInteger before = servedSerial();
    assertThat(before).isEqualTo(PkiCommandTest.certificate(pki.resolve("localhost.pem")).getSerialNumber());

    Cli renew = Cli.run("pki", "renew", pki.toString(), "--within", "30d");
    assertThat(renew.exitCode()).as(renew.toString()).isZero();

    X509Certificate renewed = PkiCommandTest.certificate(pki.resolve("localhost.pem"));
    assertThat(renewed.getSerialNumber()).isNotEqualTo(before);
    awaitIdentity(renewed.getSerialNumber());
    assertThat(servedSerial()).isEqualTo(renewed.getSerialNumber());
    assertThat(whoami("orders").statusCode()).isEqualTo(200);
  }

  @Test
  void serverKeyAndCertificateRenewedWithNewKey_areServedAsAPair_withoutARestart() throws Exception {
    init("--days", "10");
    start(Engine.JETTY);
    BigInteger before = servedSerial();

    Cli renew = Cli.run("pki", "renew", pki.toString(), "--new-key");
    assertThat(renew.exitCode()).as(renew.toString()).isZero();

    X509Certificate renewed = PkiCommandTest.certificate(pki.resolve("localhost.pem"));
    awaitIdentity(renewed.getSerialNumber());
    assertThat(servedSerial()).isEqualTo(renewed.getSerialNumber()).isNotEqualTo(before);
    assertThat(whoami("orders").statusCode()).isEqualTo(200);
  }

  private void init(String... more) {
    pki = work.resolve("pki");
    List<String> args = new ArrayList<>(List.of("pki", "init", pki.toString(), "--server", "localhost",
        "--client", "orders", "--client", "billing"));
    args.addAll(List.of(more));
    Cli init = Cli.run(args.toArray(String[]::new));
    assertThat(init.exitCode()).as(init.toString()).isZero();
  }

  private void start(Engine engine) {
    serving = ServeCommand.start(Map.of(), "--cert", pki.resolve("localhost-fullchain.pem").toString(),
        "--key", pki.resolve("localhost-key.pem").toString(), "--ca", pki.resolve("ca.pem").toString(),
        "--crl", pki.resolve("crl.pem").toString(), "--allow-cn", "orders", "--allow-cn", "billing",
        "--port", "0", "--engine", engine.name().toLowerCase(Locale.ROOT), "--reload-interval", "1s");
    serving.context().addListener(new MtlsListener() {
      @Override
      public void reloaded(Reloaded event) {
        events.add(event);
      }

      @Override
      public void peerRejected(PeerRejected event) {
        events.add(event);
      }

      @Override
      public void crlRefreshed(CrlRefreshed event) {
        events.add(event);
      }
    });
  }

  private void awaitIdentity(BigInteger serial) throws InterruptedException {
    while (true) {
      Object event = events.poll(30, TimeUnit.SECONDS);
      assertThat(event).as("an identity reload bringing in serial " + serial.toString(16)).isNotNull();
      if (event instanceof MtlsListener.Reloaded reloaded && reloaded.material() == Material.IDENTITY
          && !reloaded.after().isEmpty() && reloaded.after().get(0).serialNumber().equals(serial)) {
        return;
      }
    }
  }

  private void awaitCrl(BigInteger number) throws InterruptedException {
    while (true) {
      Object event = events.poll(30, TimeUnit.SECONDS);
      assertThat(event).as("a CRL reload bringing in CRL number " + number).isNotNull();
      if (event instanceof MtlsListener.CrlRefreshed refreshed && number.equals(refreshed.crlNumber())) {
        return;
      }
    }
  }

  private void awaitRejection(RejectionReason reason) throws InterruptedException {
    while (true) {
      Object event = events.poll(30, TimeUnit.SECONDS);
      assertThat(event).as("the server refusing a client as " + reason).isNotNull();
      if (event instanceof MtlsListener.PeerRejected rejected && rejected.rejected().reason() == reason) {
        return;
      }
    }
  }

  private HttpResponse<String> whoami(String client) throws Exception {
    // A new client context per call: no session of an earlier call is resumed.
    try (MtlsContext context = MtlsContext.forClient()
        .identity(IdentitySource.pemFiles(pki.resolve(client + "-fullchain.pem"), pki.resolve(client + "-key.pem")))
        .trust(TrustSource.pemFile(pki.resolve("ca.pem")))
        .reload(ReloadPolicy.disabled())
        .logging(false)
        .build()) {
      return send(context, "/whoami");
    }
  }

  private BigInteger servedSerial() throws Exception {
    try (MtlsContext anonymous = MtlsContext.forClient()
        .trust(TrustSource.pemFile(pki.resolve("ca.pem")))
        .reload(ReloadPolicy.disabled())
        .logging(false)
        .build()) {
      HttpResponse<String> response = send(anonymous, "/health");
      assertThat(response.statusCode()).isEqualTo(200);
      return ((X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0]).getSerialNumber();
    }
  }

  private HttpResponse<String> send(MtlsContext client, String path) throws Exception {
    HttpClient http = HttpClient.newBuilder()
        .sslContext(client.sslContext())
        .sslParameters(client.sslParameters())
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10))
        .build();
    return http.send(HttpRequest.newBuilder(serving.server().uri().resolve(path)).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
