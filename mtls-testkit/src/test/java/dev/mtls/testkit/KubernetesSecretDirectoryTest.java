package dev.mtls.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubernetesSecretDirectoryTest {
  private final TestCa ca = TestCa.create();

  @TempDir Path root;

  @Test
  void update_identity_writesTlsFiles_asLinksThroughData() throws Exception {
    KubernetesSecretDirectory secret = KubernetesSecretDirectory.create(root.resolve("secret"));
    IssuedCertificate identity = ca.newIntermediate("Issuing").server("localhost");

    secret.update(identity);

    Path directory = secret.directory();
    assertThat(read(secret.file("tls.crt"))).isEqualTo(identity.chainPem());
    assertThat(read(secret.file("tls.key"))).isEqualTo(identity.privateKeyPem());
    assertThat(read(secret.file("ca.crt"))).isEqualTo(ca.certificatePem());
    for (String name : List.of("tls.crt", "tls.key", "ca.crt")) {
      assertThat(Files.isSymbolicLink(secret.file(name))).isTrue();
      assertThat(Files.readSymbolicLink(secret.file(name))).isEqualTo(Path.of("..data", name));
    }
    Path data = secret.dataDirectory();
    assertThat(Files.isSymbolicLink(data)).isTrue();
    Path target = Files.readSymbolicLink(data);
    assertThat(target.isAbsolute()).isFalse();
    assertThat(target.toString()).matches("\\.\\.\\d{4}_\\d{2}_\\d{2}_\\d{2}_\\d{2}_\\d{2}\\.\\d+");
    assertThat(Files.isDirectory(directory.resolve(target), LinkOption.NOFOLLOW_LINKS)).isTrue();
    assertThat(Files.exists(directory.resolve("..data_tmp"), LinkOption.NOFOLLOW_LINKS)).isFalse();
  }

  @Test
  void update_again_changesTheVisibleContent_andRemovesTheOldTimestampedDirectory()
      throws Exception {
    KubernetesSecretDirectory secret = KubernetesSecretDirectory.create(root);
    IssuedCertificate first = ca.server("localhost");
    IssuedCertificate second = ca.server("localhost");
    secret.update(first);
    Path firstTarget = root.resolve(Files.readSymbolicLink(secret.dataDirectory()));

    secret.update(second);

    assertThat(read(secret.file("tls.crt"))).isEqualTo(second.chainPem());
    assertThat(read(secret.file("tls.key"))).isEqualTo(second.privateKeyPem());
    assertThat(firstTarget).doesNotExist();
    assertThat(timestampedDirectories()).hasSize(1);
  }

  @Test
  void tenUpdatesInARow_leaveOneTimestampedDirectory_andTheLastContent() throws Exception {
    KubernetesSecretDirectory secret = KubernetesSecretDirectory.create(root);
    String last = null;
    for (int i = 0; i < 10; i++) {
      last = "generation " + i;
      secret.update(Map.of("value.txt", last.getBytes(StandardCharsets.UTF_8)));
      assertThat(read(secret.file("value.txt"))).isEqualTo(last);
    }

    assertThat(timestampedDirectories()).hasSize(1);
    try (Stream<Path> entries = Files.list(root)) {
      assertThat(entries.map(p -> p.getFileName().toString()).collect(Collectors.toList()))
          .containsExactlyInAnyOrder("..data", "value.txt",
              Files.readSymbolicLink(secret.dataDirectory()).toString());
    }
    assertThat(last).isEqualTo("generation 9");
  }

  @Test
  void update_withoutAName_removesItsVisibleLink() throws Exception {
    KubernetesSecretDirectory secret = KubernetesSecretDirectory.create(root);
    secret.update(Map.of("a", bytes("1"), "b", bytes("2")));

    secret.update(Map.of("a", bytes("3")));

    assertThat(read(secret.file("a"))).isEqualTo("3");
    assertThat(Files.exists(secret.file("b"), LinkOption.NOFOLLOW_LINKS)).isFalse();
  }

  @Test
  void badFileNames_areRejected() {
    KubernetesSecretDirectory secret = KubernetesSecretDirectory.create(root);

    for (String name : List.of("", "..data", "a/b", "..hidden")) {
      assertThatIllegalArgumentException()
          .isThrownBy(() -> secret.update(Map.of(name, bytes("x"))))
          .withMessageContaining("\"" + name + "\"");
    }
  }

  private List<Path> timestampedDirectories() throws Exception {
    try (Stream<Path> entries = Files.list(root)) {
      return entries
          .filter(p -> p.getFileName().toString().matches("\\.\\.\\d{4}_.*"))
          .collect(Collectors.toList());
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String read(Path file) throws Exception {
    return Files.readString(file, StandardCharsets.UTF_8);
  }
}
