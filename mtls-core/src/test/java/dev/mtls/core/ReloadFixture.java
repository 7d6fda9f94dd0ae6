package dev.mtls.core;

import dev.mtls.testkit.IssuedCertificate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Files that rotate as cert-manager or Vault Agent rotate them, and a listener that
 * collects the reload events a test waits for.
 */
final class ReloadFixture {
  private ReloadFixture() {}

  /** Writes a file the way rotation tools do: a temporary file renamed over the old one. */
  static void writeAtomically(Path file, String content) {
    try {
      Path temporary = Files.createTempFile(file.getParent(), ".rotate", ".tmp");
      Files.writeString(temporary, content, StandardCharsets.US_ASCII);
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes a file in place, truncating it first, the way a careless script does. */
  static void writeInPlace(Path file, String content) {
    try {
      Files.writeString(file, content, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Rotates an identity's chain and key files, chain first. */
  static void rotate(Path chain, Path key, IssuedCertificate next) {
    writeAtomically(chain, next.chainPem());
    writeAtomically(key, next.privateKeyPem());
  }

  /** Collects events in order. */
  static final class Events implements MtlsListener {
    final BlockingQueue<Reloaded> reloaded = new LinkedBlockingQueue<>();
    final BlockingQueue<ReloadFailed> failed = new LinkedBlockingQueue<>();
    final BlockingQueue<CertificateExpiring> expiring = new LinkedBlockingQueue<>();
    final BlockingQueue<PeerRejected> rejected = new LinkedBlockingQueue<>();

    @Override
    public void reloaded(Reloaded event) {
      reloaded.add(event);
    }

    @Override
    public void reloadFailed(ReloadFailed event) {
      failed.add(event);
    }

    @Override
    public void certificateExpiring(CertificateExpiring event) {
      expiring.add(event);
    }

    @Override
    public void peerRejected(PeerRejected event) {
      rejected.add(event);
    }

    /** The next reload of a material, waiting up to 10 seconds. */
    Reloaded nextReload(String material) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (true) {
        Reloaded event = reloaded.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (event == null) {
          throw new AssertionError("no " + material + " reload within 10 s; failures: " + List.copyOf(failed));
        }
        if (event.material().equals(material)) {
          return event;
        }
      }
    }
  }
}
