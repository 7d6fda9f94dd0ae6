package dev.mtls.probe;

import dev.mtls.core.MtlsContext;
import dev.mtls.core.MtlsException;
import dev.mtls.core.TlsProvider;
import dev.mtls.core.TrustSource;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.logging.Logger;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Run in a child JVM by {@code TlsProviderTest}, on a module path or a class path it chose:
 * prints what {@link TlsProvider#BOUNCY_CASTLE} says there. Outside {@code dev.mtls.core} so
 * that it can sit on the class path beside the {@code dev.mtls.core} module.
 */
public final class ProviderProbe {
  private ProviderProbe() {}

  public static void main(String[] args) throws Exception {
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
    if (provider.isAvailable()) {
      // Building a context quiets BCJSSE's java.util.logging loggers, which the module must read.
      try (MtlsContext context = MtlsContext.forClient()
          .trust(TrustSource.of(List.of(selfSignedCa())))
          .provider(provider)
          .build()) {
        System.out.println("bcjsse-logger-level=" + Logger.getLogger("org.bouncycastle.jsse").getLevel());
      }
    }
  }

  private static X509Certificate selfSignedCa() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    KeyPair keys = generator.generateKeyPair();
    X500Name name = new X500Name("CN=probe CA");
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.ONE,
        Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(1))), name, keys.getPublic());
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    return new JcaX509CertificateConverter()
        .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
  }
}
