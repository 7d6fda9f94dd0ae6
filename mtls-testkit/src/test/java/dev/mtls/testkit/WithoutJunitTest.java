package dev.mtls.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.cmc.BodyPartID;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JUnit is optional: everything but the extension works without it on the class path. */
class WithoutJunitTest {

  @Test
  void testCa_loadsAndIssues_withoutJunitOnTheClassPath(@TempDir Path directory)
      throws Exception {
    URL[] classPath = {
      location(TestCa.class), location(BouncyCastleProvider.class),
      location(X509CertificateHolder.class), location(BodyPartID.class)
    };
    try (URLClassLoader loader =
        new URLClassLoader(classPath, ClassLoader.getPlatformClassLoader())) {
      assertThatThrownBy(() -> loader.loadClass("org.junit.jupiter.api.extension.Extension"))
          .isInstanceOf(ClassNotFoundException.class);

      Class<?> testCa = loader.loadClass(TestCa.class.getName());
      assertThat(testCa.getClassLoader()).isSameAs(loader);
      Object ca = testCa.getMethod("create").invoke(null);
      Object server = testCa.getMethod("server", String.class, String[].class)
          .invoke(ca, "localhost", new String[0]);
      Method certificate = server.getClass().getMethod("certificate");
      Object files = server.getClass().getMethod("writePem", Path.class).invoke(server, directory);
      Object secret = loader.loadClass(KubernetesSecretDirectory.class.getName())
          .getMethod("create", Path.class).invoke(null, directory.resolve("secret"));

      assertThat(((X509Certificate) certificate.invoke(server)).getSubjectX500Principal().getName())
          .isEqualTo("CN=localhost");
      assertThat(files.toString()).contains("key.pem");
      assertThat(secret).isNotNull();
    }
  }

  private static URL location(Class<?> type) {
    return type.getProtectionDomain().getCodeSource().getLocation();
  }
}
