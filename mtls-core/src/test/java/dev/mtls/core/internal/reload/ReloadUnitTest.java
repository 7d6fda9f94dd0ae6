package dev.mtls.core.internal.reload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.core.Material;
import dev.mtls.core.MaterialLimits;
import dev.mtls.core.MtlsListener;
import dev.mtls.core.ReloadResult;
import dev.mtls.core.internal.Lane;
import dev.mtls.core.internal.material.IdentityChecks;
import dev.mtls.core.internal.material.IdentityMaterial;
import dev.mtls.core.internal.material.MaterialLoader;
import dev.mtls.core.internal.material.PemIdentityLoader;
import dev.mtls.core.internal.material.PemReader;
import dev.mtls.core.internal.tls.IdentityHolder;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.KubernetesSecretDirectory;
import dev.mtls.testkit.TestCa;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a reload does when the files change while they are being read: the Kubernetes
 * {@code ..data} swap landing between the read of the certificate and the read of the key.
 */
class ReloadUnitTest {
  @TempDir Path dir;

  private final TestCa ca = TestCa.create();
  private final Lane lane = Lane.open("test", Duration.ofSeconds(1));
  private final Queue<MtlsListener.ReloadFailed> failures = new ConcurrentLinkedQueue<>();
  private final Queue<MtlsListener.Reloaded> reloads = new ConcurrentLinkedQueue<>();
  private final MtlsListener listener = new MtlsListener() {
    @Override
    public void reloaded(Reloaded event) {
      reloads.add(event);
    }

    @Override
    public void reloadFailed(ReloadFailed event) {
      failures.add(event);
    }
  };

  @AfterEach
  void close() {
    lane.close();
  }

  @Test
  void swapBetweenTheCertificateAndTheKeyRead_isNoFailure_andTheNewPairLoads() {
    KubernetesSecretDirectory secret = KubernetesSecretDirectory.create(dir.resolve("secret"));
    secret.update(ca.server("localhost"));
    Path chain = secret.file("tls.crt");
    Path key = secret.file("tls.key");
    PemIdentityLoader files = new PemIdentityLoader(chain, key, null, MaterialLimits.defaults());
    IdentityHolder holder = new IdentityHolder(files.load());
    IssuedCertificate swappedIn = ca.server("localhost");
    SwapBetweenReads loader = new SwapBetweenReads(files, chain, key, () -> secret.update(swappedIn));
    Reloader reloader = Reloader.builder(Clock.systemUTC(), listener, lane)
        .identity(loader, holder, null, Duration.ZERO, false, FileDigest.of(files.files()))
        .build();
    IssuedCertificate rotated = ca.server("localhost");
    secret.update(rotated);

    ReloadResult.Outcome outcome = reloader.reloadNow().of(Material.IDENTITY);

    assertThat(loader.straddledReads).as("the first read saw half of each rotation").isEqualTo(1);
    assertThat(outcome.status()).as(outcome.detail()).isEqualTo(ReloadResult.Status.RELOADED);
    assertThat(holder.current().leaf().getSerialNumber()).isEqualTo(swappedIn.serialNumber());
    assertThat(failures).isEmpty();
    assertThat(reloads).singleElement()
        .satisfies(event -> assertThat(event.after().get(0).serialNumber()).isEqualTo(swappedIn.serialNumber()));
  }

  @Test
  void aMismatchedPairThatStaysOnDisk_isReportedOnce() {
    KubernetesSecretDirectory secret = KubernetesSecretDirectory.create(dir.resolve("secret"));
    secret.update(ca.server("localhost"));
    Path chain = secret.file("tls.crt");
    Path key = secret.file("tls.key");
    PemIdentityLoader files = new PemIdentityLoader(chain, key, null, MaterialLimits.defaults());
    IdentityHolder holder = new IdentityHolder(files.load());
    Reloader reloader = Reloader.builder(Clock.systemUTC(), listener, lane)
        .identity(files, holder, null, Duration.ZERO, false, FileDigest.of(files.files()))
        .build();
    IssuedCertificate one = ca.server("localhost");
    IssuedCertificate other = ca.server("localhost");
    secret.update(java.util.Map.of(
        "tls.crt", one.chainPem().getBytes(java.nio.charset.StandardCharsets.US_ASCII),
        "tls.key", other.privateKeyPem().getBytes(java.nio.charset.StandardCharsets.US_ASCII)));

    assertThat(reloader.reloadNow().of(Material.IDENTITY).status()).isEqualTo(ReloadResult.Status.FAILED);
    assertThat(reloader.reloadNow().of(Material.IDENTITY).status()).isEqualTo(ReloadResult.Status.FAILED);

    assertThat(failures).singleElement().satisfies(event -> {
      assertThat(event.file()).isEqualTo(key);
      assertThat(event.problem()).contains("does not match");
    });
  }

  /**
   * Reads as {@link PemIdentityLoader} does, certificate then key, with a rotation landing
   * between the two reads the first time.
   */
  private static final class SwapBetweenReads implements MaterialLoader<IdentityMaterial> {
    private final PemIdentityLoader files;
    private final Path chain;
    private final Path key;
    private final Runnable swap;
    int straddledReads;

    SwapBetweenReads(PemIdentityLoader files, Path chain, Path key, Runnable swap) {
      this.files = files;
      this.chain = chain;
      this.key = key;
      this.swap = swap;
    }

    @Override
    public IdentityMaterial load() {
      if (straddledReads > 0) {
        return files.load();
      }
      straddledReads++;
      PemReader.Contents certificates = PemReader.read("certificate chain", chain, MaterialLimits.defaults());
      swap.run();
      PemReader.Contents keys = PemReader.read("private key", key, MaterialLimits.defaults());
      PrivateKey privateKey = PemReader.privateKey("private key", key, keys.privateKeys().get(0), null);
      IdentityChecks.checkKeyMatches(privateKey, certificates.certificates().get(0), "private key", key);
      throw new AssertionError("the key read after the swap cannot match the certificate read before it");
    }

    @Override
    public List<Path> files() {
      return files.files();
    }

    @Override
    public String describe() {
      return files.describe();
    }
  }
}
