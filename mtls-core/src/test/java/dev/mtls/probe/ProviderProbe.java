package dev.mtls.probe;

import dev.mtls.core.MtlsContext;
import dev.mtls.core.MtlsException;
import dev.mtls.core.TlsProvider;
import dev.mtls.core.TrustSource;
import java.nio.file.Path;

/**
 * Run in a child JVM by {@code TlsProviderTest}, on a module path or a class path it chose:
 * prints what {@link TlsProvider#BOUNCY_CASTLE} says there. Outside {@code dev.mtls.core} so
 * that it can sit on the class path beside the {@code dev.mtls.core} module.
 */
public final class ProviderProbe {
  private ProviderProbe() {}

  public static void main(String[] args) {
    TlsProvider provider = TlsProvider.BOUNCY_CASTLE;
    System.out.println("description=" + provider.description());
    System.out.println("available=" + provider.isAvailable());
    Throwable cause = provider.unavailabilityCause();
    System.out.println("cause=" + (cause == null ? "" : cause.getMessage()));
    try (MtlsContext context = MtlsContext.forClient()
        .trust(TrustSource.pemFile(Path.of("no-such-bundle.pem")))
        .provider(provider)
        .build()) {
      System.out.println("build=built");
    } catch (MtlsException e) {
      System.out.println("build=" + e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }
}
