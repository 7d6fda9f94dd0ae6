package dev.mtls.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Provider;
import java.util.Comparator;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** What the baselines share: an SSLContext as users build one by hand, and clean-up. */
final class HandBuilt {
  private HandBuilt() {}

  /**
   * An SSLContext over the provider's default key manager factory and its {@code PKIX} trust
   * manager factory: the JDK's ({@code jsse == null}: {@code SunX509} keys) or another JSSE
   * provider's ({@code PKIX} for both).
   */
  static SSLContext sslContext(Provider jsse, KeyStore identity, char[] password, KeyStore trust)
      throws GeneralSecurityException {
    KeyManagerFactory keys = jsse == null
        ? KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm())
        : KeyManagerFactory.getInstance("PKIX", jsse);
    keys.init(identity, password);
    TrustManagerFactory trusted = jsse == null
        ? TrustManagerFactory.getInstance("PKIX") : TrustManagerFactory.getInstance("PKIX", jsse);
    trusted.init(trust);
    SSLContext sslContext = jsse == null ? SSLContext.getInstance("TLS") : SSLContext.getInstance("TLS", jsse);
    sslContext.init(keys.getKeyManagers(), trusted.getTrustManagers(), null);
    return sslContext;
  }

  /** Deletes a directory and everything in it. */
  static void deleteTree(Path directory) throws IOException {
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }
}
