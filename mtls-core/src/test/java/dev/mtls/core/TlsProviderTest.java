package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.probe.ProviderProbe;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;
import org.junit.jupiter.api.Test;

/**
 * What {@link TlsProvider} says about itself: the Bouncy Castle releases it found, on the class
 * path and on the module path, and why it is unavailable when it is.
 */
class TlsProviderTest {
  @Test
  void bouncyCastle_isAvailable_andNamesTheReleasesOfTheJarsItRunsOn() {
    String bctls = releaseInJarName(BouncyCastleJsseProvider.class, "bctls-jdk18on");
    String bcprov = new BouncyCastleProvider().getVersionStr();
    assertThat(releaseInJarName(BouncyCastleProvider.class, "bcprov-jdk18on")).isEqualTo(bcprov);

    assertThat(TlsProvider.BOUNCY_CASTLE.isAvailable()).isTrue();
    assertThat(TlsProvider.BOUNCY_CASTLE.unavailabilityCause()).isNull();
    assertThat(TlsProvider.BOUNCY_CASTLE.description())
        .isEqualTo("Bouncy Castle JSSE bctls " + bctls + " with bcprov " + bcprov);
  }

  @Test
  void jdk_isAlwaysAvailable_andNamesTheJava() {
    assertThat(TlsProvider.JDK.isAvailable()).isTrue();
    assertThat(TlsProvider.JDK.description()).isEqualTo("JDK SunJSSE (Java " + Runtime.version() + ")");
  }

  @Test
  void aBctlsNewerThanItsBcprov_isAMixThatCannotRun() {
    assertThat(BouncyCastleVersions.mismatch("1.85", "1.84"))
        .contains("bctls 1.85 needs bcprov 1.85 or later, but bcprov 1.84 was found");
    assertThat(BouncyCastleVersions.mismatch("1.80.2", "1.80")).contains("bcprov 1.80 was found");
    assertThat(BouncyCastleVersions.mismatch("1.84", "1.87")).isNull();
    assertThat(BouncyCastleVersions.mismatch("1.84", "1.84")).isNull();
    assertThat(BouncyCastleVersions.mismatch("1.84", "1.84.0")).isNull();
    assertThat(BouncyCastleVersions.mismatch("1.9", "1.10")).as("numbers, not text").isNull();
    // A release that cannot be read is not held against the mix.
    assertThat(BouncyCastleVersions.mismatch(null, "1.87")).isNull();
    assertThat(BouncyCastleVersions.mismatch("1.84", "1.87-SNAPSHOT")).isNull();
  }

  @Test
  void onTheModulePath_theReleasesAreReadFromTheModules() throws Exception {
    String modulePath = join(location(TlsProvider.class), location(BouncyCastleProvider.class),
        location(BouncyCastleJsseProvider.class), bcutil(), bcpkix(), location(org.slf4j.Logger.class),
        location(org.jspecify.annotations.Nullable.class));
    List<String> out = probe("--module-path", modulePath,
        "--add-modules", "dev.mtls.core,org.bouncycastle.tls", "-cp", location(ProviderProbe.class));

    assertThat(out).contains("description=" + TlsProvider.BOUNCY_CASTLE.description(), "available=true",
        "bcjsse-logger-level=SEVERE");
  }

  @Test
  void withoutBctls_isUnavailable_andBuildSaysWhichReleasesItFound() throws Exception {
    String classPath = join(location(ProviderProbe.class), location(TlsProvider.class),
        location(BouncyCastleProvider.class), bcutil(), bcpkix(), location(org.slf4j.Logger.class),
        location(org.jspecify.annotations.Nullable.class));
    List<String> out = probe("-cp", classPath);

    String bcprov = new BouncyCastleProvider().getVersionStr();
    assertThat(out).contains(
        "description=Bouncy Castle JSSE (bctls not found; bcprov " + bcprov + ")",
        "available=false",
        "cause=Bouncy Castle JSSE not found: add org.bouncycastle:bctls-jdk18on to the class path or"
            + " module path (bctls not found; bcprov " + bcprov + ")",
        "build=MtlsException: TlsProvider.BOUNCY_CASTLE cannot be used: Bouncy Castle JSSE not found:"
            + " add org.bouncycastle:bctls-jdk18on to the class path or module path (bctls not found;"
            + " bcprov " + bcprov + ")");
  }

  private static List<String> probe(String... options) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xshare:auto");
    command.addAll(List.of(options));
    command.add(ProviderProbe.class.getName());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the probe JVM did not finish within 60 s: " + command);
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as("probe output:%n%s", output).isZero();
    return output.lines().toList();
  }

  private static String releaseInJarName(Class<?> type, String artifact) {
    String jar = Path.of(location(type)).getFileName().toString();
    Matcher matcher = Pattern.compile(Pattern.quote(artifact) + "-(.+)\\.jar").matcher(jar);
    assertThat(matcher.matches()).as("%s comes from a %s jar", jar, artifact).isTrue();
    return matcher.group(1);
  }

  private static String bcutil() throws ClassNotFoundException {
    return location(Class.forName("org.bouncycastle.asn1.cmc.BodyPartID"));
  }

  private static String bcpkix() throws ClassNotFoundException {
    return location(Class.forName("org.bouncycastle.cert.X509CertificateHolder"));
  }

  private static String location(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String join(String... paths) {
    return String.join(File.pathSeparator, paths);
  }
}
