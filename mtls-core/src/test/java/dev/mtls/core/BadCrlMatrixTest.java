package dev.mtls.core;

import static dev.mtls.core.LoadingFixtures.assertLoadFails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import dev.mtls.testkit.TestClock;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.CRLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.jspecify.annotations.Nullable;

/**
 * Every way a CRL can be bad, from a file or a URL: {@code build()} refuses it with an {@link
 * MtlsLoadException} naming the file or URL and the problem, within a bounded time; a running
 * context that meets it on reload or refresh reports a {@code CrlRefreshFailed} event naming
 * the source and the problem, and keeps the CRL in use: real handshakes show a revoked client
 * still refused and an unrevoked one still allowed.
 */
class BadCrlMatrixTest {
  /** Frozen: the CRL in use stays fresh whenever the refresher fetches the bad one. */
  private static final TestClock CLOCK = new TestClock();
  private static final TestCa CA = TestCa.builder().commonName("Matrix CRL CA").clock(CLOCK).build();
  private static final IssuedCertificate SERVER = CA.server("localhost");
  private static final IssuedCertificate REVOKED = CA.client("revoked");
  private static final IssuedCertificate GOOD = CA.client("good");
  private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(1);
  /** A small limit, so that an oversized answer trips it in milliseconds even on a busy machine. */
  private static final long LIMIT = 4L * 1024 * 1024;
  private static final String OVER_LIMIT = "more than the limit of " + LIMIT + " bytes for a CRL source"
      + " (Revocation.Builder.maxCrlSize)";

  static {
    CA.revoke(REVOKED);
  }

  /** What is wrong, where, and the words the message must hold. */
  enum Bad {
    BAD_SIGNATURE(false, "the CRL's signature does not verify with the key of the trust anchor CN=Matrix CRL CA"),
    FOREIGN(false, "the CRL's signature does not verify with the key of the trust anchor CN=Matrix CRL CA:"
        + " a corrupted CRL, or one of another CA of the same name"),
    STALE(false, "the CRL for CN=Matrix CRL CA is stale: nextUpdate was "),
    GARBAGE(false, "no CRL found (expected PEM 'X509 CRL' blocks or DER)"),
    TRUNCATED(false, "truncated DER"),
    EMPTY(false, "file is empty"),
    OVERSIZED_FILE(false, OVER_LIMIT + "; nothing was read"),
    OVERSIZED_HTTP(true, "cannot read: the body is " + OVER_LIMIT + "; stopped reading there"),
    OVERSIZED_HTTP_ANNOUNCED(true, "cannot read: the server announces a body of 419430400 bytes, " + OVER_LIMIT),
    HANGING_URL(true, "no complete answer within PT1S (no response headers)"),
    TRICKLING_URL(true, "no complete answer within PT1S ("),
    STALE_URL(true, "the CRL for CN=Matrix CRL CA is stale: nextUpdate was ");

    final boolean url;
    final String problem;

    Bad(boolean url, String problem) {
      this.url = url;
      this.problem = problem;
    }
  }

  @TempDir Path dir;

  private final RecordingListener events = new RecordingListener();
  private LoopbackHttpServer http;
  private MtlsContext server;
  private LoopbackServer loopback;

  @AfterEach
  void stop() throws IOException {
    if (loopback != null) {
      loopback.close();
    }
    if (server != null) {
      server.close();
    }
    if (http != null) {
      http.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Bad.class)
  void build_refusesTheBadCrl_namingItsSourceAndTheProblem(Bad bad) throws IOException {
    Path file = dir.resolve("ca.crl");
    URI url = null;
    if (bad.url) {
      http = new LoopbackHttpServer();
      url = http.url("/ca.crl");
      makeBad(bad, file);
    } else {
      makeBad(bad, file);
    }
    Revocation revocation = revocation(bad, file, url);

    long started = System.nanoTime();
    if (bad.url) {
      assertLoadFails(() -> buildServer(revocation), null, "cannot load CRL: " + url + ": ", bad.problem);
    } else {
      assertLoadFails(() -> buildServer(revocation), file, bad.problem);
    }
    assertThat(Duration.ofNanos(System.nanoTime() - started)).as("time to fail")
        .isLessThan(FETCH_TIMEOUT.plusSeconds(4));
    if (bad == Bad.OVERSIZED_HTTP) {
      assertThat(http.bytesSent.get()).as("bytes the server could send before the client stopped")
          .isLessThan(LIMIT + 16L * 1024 * 1024);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Bad.class)
  void running_keepsTheCrlInUse_andReportsTheBadOne(Bad bad) throws Exception {
    Path file = ca(dir.resolve("ca.crl"));
    URI url = null;
    if (bad.url) {
      // The refresher fetches the URL again at the CRL's nextUpdate, in a second; the frozen
      // clock keeps the CRL in use fresh then.
      http = new LoopbackHttpServer();
      http.body.set(der(CA.crlBuilder().nextUpdate(CLOCK.instant().plusSeconds(1)).build()));
      url = http.url("/ca.crl");
    }
    server = buildServer(revocation(bad, file, url));
    loopback = new LoopbackServer(server);
    assertThat(accepted(REVOKED)).as("the revoked client, before").isFalse();
    assertThat(accepted(GOOD)).as("the good client, before").isTrue();
    events.failed.clear();

    makeBad(bad, file);
    String source;
    if (bad.url) {
      source = url.toString();
    } else {
      source = file.toString();
      ReloadResult.Outcome outcome = server.reloadNow().of(Material.CRL);
      assertThat(outcome.status()).isEqualTo(ReloadResult.Status.FAILED);
      assertThat(outcome.detail()).contains(file.toString()).contains(bad.problem);
    }
    MtlsListener.CrlRefreshFailed event = events.failed.poll(FETCH_TIMEOUT.toMillis() + 5_000, TimeUnit.MILLISECONDS);
    assertThat(event).as("a CRL refresh failure").isNotNull();
    assertThat(event.source()).isEqualTo(source);
    assertThat(event.problem()).contains(bad.problem).endsWith("; keeping the CRL loaded before");

    assertThat(accepted(REVOKED)).as("the revoked client, after").isFalse();
    assertThat(accepted(GOOD)).as("the good client, after").isTrue();
  }

  @Test
  void anotherCasCrl_doesNotDisplaceTheCrlInUse_andIsReported() throws Exception {
    Path file = ca(dir.resolve("ca.crl"));
    server = buildServer(revocation(Bad.GARBAGE, file, null));
    loopback = new LoopbackServer(server);
    events.failed.clear();

    TestCa other = TestCa.builder().commonName("Unrelated CA").clock(CLOCK).build();
    replace(file, other.crl().getEncoded());
    assertThat(server.reloadNow().of(Material.CRL).status()).isEqualTo(ReloadResult.Status.FAILED);

    assertThat(events.failed).anySatisfy(event -> {
      assertThat(event.source()).isEqualTo(file.toString());
      assertThat(event.problem()).isEqualTo("the new content has no CRL for CN=Matrix CRL CA, which the"
          + " CRL in use covers; keeping the CRL in use until it goes stale");
    });
    assertThat(accepted(REVOKED)).as("the revoked client").isFalse();
    assertThat(accepted(GOOD)).as("the good client").isTrue();
  }

  private static Revocation revocation(Bad bad, Path file, @Nullable URI url) {
    Revocation.Builder builder = Revocation.crls().fetchTimeout(FETCH_TIMEOUT).maxCrlSize(LIMIT);
    return (bad.url ? builder.url(Objects.requireNonNull(url)) : builder.file(file)).build();
  }

  private MtlsContext buildServer(Revocation revocation) {
    return MtlsContext.forServer()
        .identity(IdentitySource.of(SERVER.privateKey(), SERVER.chain()))
        .trust(TrustSource.of(List.of(CA.certificate())))
        .peerPolicy(PeerPolicy.anyTrustedPeer())
        .revocation(revocation)
        .reload(ReloadPolicy.disabled())
        .clock(CLOCK)
        .listener(events)
        .build();
  }

  /** Whether the server accepts the client in a full handshake. */
  private boolean accepted(IssuedCertificate client) throws Exception {
    return loopback.handshake(client, CA.certificate()).succeeded();
  }

  /** Makes the CRL at its source bad: the file, or the URL server's answer. */
  private void makeBad(Bad bad, Path file) throws IOException {
    switch (bad) {
      case BAD_SIGNATURE -> {
        byte[] der = der(CA.crl());
        der[der.length - 4] ^= 0x01; // inside the signature's second integer
        replace(file, der);
      }
      case FOREIGN -> replace(file, der(TestCa.builder().commonName("Matrix CRL CA").clock(CLOCK).build().crl()));
      case STALE -> replace(file, der(CA.crlBuilder().stale().build()));
      case GARBAGE -> replace(file, "garbage, neither PEM nor DER\n".getBytes(StandardCharsets.US_ASCII));
      case TRUNCATED -> {
        byte[] der = der(CA.crl());
        replace(file, Arrays.copyOf(der, der.length / 2));
      }
      case EMPTY -> replace(file, new byte[0]);
      case OVERSIZED_FILE -> {
        Path big = file.resolveSibling("big.tmp");
        try (RandomAccessFile sparse = new RandomAccessFile(big.toFile(), "rw")) {
          sparse.setLength(65L * 1024 * 1024); // sparse: nothing is written
        }
        Files.move(big, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      }
      case OVERSIZED_HTTP -> http.answer.set(LoopbackHttpServer.Answer.ENDLESS);
      case OVERSIZED_HTTP_ANNOUNCED -> http.answer.set(LoopbackHttpServer.Answer.ANNOUNCE_HUGE);
      case HANGING_URL -> http.answer.set(LoopbackHttpServer.Answer.HANG);
      case TRICKLING_URL -> http.answer.set(LoopbackHttpServer.Answer.TRICKLE);
      case STALE_URL -> http.body.set(der(CA.crlBuilder().stale().build()));
    }
  }

  private static Path ca(Path file) {
    replace(file, der(CA.crl()));
    return file;
  }

  private static byte[] der(java.security.cert.X509CRL crl) {
    try {
      return crl.getEncoded();
    } catch (CRLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Replaces a file the way rotation tools do: a new file renamed over the old one. */
  private static void replace(Path file, byte[] bytes) {
    try {
      Path temporary = file.resolveSibling("." + file.getFileName() + ".tmp");
      Files.write(temporary, bytes);
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
