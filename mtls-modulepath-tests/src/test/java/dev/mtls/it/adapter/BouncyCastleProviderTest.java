package dev.mtls.it.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.core.TlsProvider;
import dev.mtls.testkit.TestCa;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TlsProvider#BOUNCY_CASTLE} for an application on the module path, with bctls where
 * its build tool put it. Core only {@code requires static org.bouncycastle.tls}: on the module
 * path bctls is resolved through the {@code java.security.Provider} service it provides; build
 * tools that place on the module path only what a module requires put it on the class path.
 */
class BouncyCastleProviderTest {
  @TempDir Path dir;

  @Test
  void bouncyCastleContexts_handshake_withBctlsOnTheModulePath() throws Exception {
    assertThat(Class.forName(BouncyCastleHandshake.BCJSSE).getModule().getName()).isEqualTo("org.bouncycastle.tls");
    assertThat(TlsProvider.BOUNCY_CASTLE.description()).startsWith("Bouncy Castle JSSE bctls ");

    assertThat(BouncyCastleHandshake.run()).startsWith("TLSv1.3, bctls in module org.bouncycastle.tls");
  }

  /**
   * A JVM launched as an application is, {@code java -p .. -cp bctls.jar -m ..}: the adapter
   * module is the only root, and bctls is in the unnamed module, which named modules do not
   * read unless they ask to.
   */
  @Test
  void bouncyCastleContexts_handshake_withBctlsOnTheClassPath() throws Exception {
    List<String> modulePath = new ArrayList<>(Arrays.asList(System.getProperty("jdk.module.path").split(File.pathSeparator)));
    String bctls = modulePath.stream().filter(entry -> Path.of(entry).getFileName().toString().startsWith("bctls-"))
        .findFirst().orElseThrow(() -> new AssertionError("no bctls jar on the module path " + modulePath));
    modulePath.remove(bctls);
    String testkit = jarOf(TestCa.class);
    String testClasses = jarOf(BouncyCastleHandshake.class);
    String module = getClass().getModule().getName();
    Path output = dir.resolve("child.out");
    Process child = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--module-path", String.join(File.pathSeparator, modulePath),
            "--class-path", String.join(File.pathSeparator, bctls, testkit),
            "--patch-module", module + "=" + testClasses,
            "--add-reads", module + "=ALL-UNNAMED",
            "-m", module + "/" + BouncyCastleHandshake.class.getName())
        .redirectErrorStream(true)
        .redirectOutput(output.toFile())
        .start();
    boolean finished = child.waitFor(60, TimeUnit.SECONDS);
    if (!finished) {
      child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    String printed = Files.readString(output, StandardCharsets.UTF_8);

    assertThat(finished).as("the child JVM ended within 60 s; it printed:%n%s", printed).isTrue();
    assertThat(child.exitValue()).as("exit status; the child printed:%n%s", printed).isZero();
    assertThat(printed).contains("handshake: TLSv1.3, bctls in unnamed module");
  }

  private static String jarOf(Class<?> type) throws Exception {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }
}
