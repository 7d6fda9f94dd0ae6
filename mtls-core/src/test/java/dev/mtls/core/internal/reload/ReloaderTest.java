package dev.mtls.core.internal.reload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.core.Material;
import dev.mtls.core.MaterialLimits;
import dev.mtls.core.MtlsListener;
import dev.mtls.core.internal.Lane;
import dev.mtls.core.internal.material.IdentityMaterial;
import dev.mtls.core.internal.material.MaterialLoader;
import dev.mtls.core.internal.material.PemIdentityLoader;
import dev.mtls.core.internal.tls.IdentityHolder;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.KubernetesSecretDirectory;
import dev.mtls.testkit.TestCa;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReloaderTest {
  @TempDir Path dir;

  private final TestCa ca = TestCa.create();
  private final Lane lane = Lane.open("test", Duration.ofSeconds(1));
  private final BlockingQueue<MtlsListener.Reloaded> reloads = new LinkedBlockingQueue<>();
  private final MtlsListener listener = new MtlsListener() {
    @Override
    public void reloaded(Reloaded event) {
      reloads.add(event);
    }
  };

  @AfterEach
  void close() {
    lane.close();
  }

  @Test
  void polling_goesOn_afterAReloadThrowsAnError() throws Exception {
    KubernetesSecretDirectory secret = KubernetesSecretDirectory.create(dir.resolve("secret"));
    secret.update(ca.server("localhost"));
    PemIdentityLoader files = new PemIdentityLoader(secret.file("tls.crt"), secret.file("tls.key"), null, MaterialLimits.defaults());
    AtomicInteger errors = new AtomicInteger();
    MaterialLoader<IdentityMaterial> failingOnce = new MaterialLoader<>() {
      @Override
      public IdentityMaterial load() {
        if (errors.getAndIncrement() == 0) {
          throw new StackOverflowError("a parser recursing on hostile input");
        }
        return files.load();
      }

      @Override
      public List<Path> files() {
        return files.files();
      }

      @Override
      public String describe() {
        return files.describe();
      }
    };
    IdentityHolder holder = new IdentityHolder(files.load());
    Reloader reloader = Reloader.builder(Clock.systemUTC(), listener, lane)
        .identity(failingOnce, holder, null, Duration.ZERO, false, FileDigest.of(files.files()))
        .build();
    reloader.start(Duration.ofMillis(50), false);

    IssuedCertificate next = ca.server("localhost");
    secret.update(next);

    MtlsListener.Reloaded event = reloads.poll(10, TimeUnit.SECONDS);
    assertThat(errors.get()).as("the first poll threw").isGreaterThanOrEqualTo(2);
    assertThat(event).as("a later poll reloaded").isNotNull();
    assertThat(event.material()).isEqualTo(Material.IDENTITY);
    assertThat(holder.current().leaf().getSerialNumber()).isEqualTo(next.serialNumber());
  }
}
