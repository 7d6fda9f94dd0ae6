package dev.mtls.core;

import static dev.mtls.core.LoadingFixtures.assertLoadFails;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every way an identity or trust file can be bad, for every kind of file: {@code build()}
 * refuses it with an {@link MtlsLoadException} naming the file and the problem, and a running
 * context that meets it on reload keeps the material in use (real handshakes show the same
 * certificates as before) and reports a {@code ReloadFailed} event naming the file.
 */
class BadMaterialMatrixTest {
  private static final TestCa CA = TestCa.builder().commonName("Matrix CA").build();
  private static final char[] PASSWORD = "matrix secret".toCharArray();
  private static final char[] OTHER_PASSWORD = "another secret".toCharArray();
  private static final String OVER_LIMIT = "more than the limit of 1,048,576 bytes (1 MiB)";

  /** The file that is made bad, with the source reading it. */
  enum Target {
    CHAIN_PEM, KEY_PEM, IDENTITY_PKCS12, CA_BUNDLE_PEM, CA_DIRECTORY_FILE, CA_DIRECTORY, TRUST_PKCS12;

    boolean isIdentity() {
      return this == CHAIN_PEM || this == KEY_PEM || this == IDENTITY_PKCS12;
    }

    boolean isPkcs12() {
      return this == IDENTITY_PKCS12 || this == TRUST_PKCS12;
    }
  }

  /** What is wrong with it. */
  enum Bad {
    EMPTY, GARBAGE, TRUNCATED, SWAPPED, MISMATCHED, ENCRYPTED_WITHOUT_PASSWORD, WRONG_PASSWORD,
    OVERSIZED, DIRECTORY_FOR_FILE, FILE_FOR_DIRECTORY, SYMLINK_LOOP, MISSING, TOO_MANY_FILES,
    CA_AS_IDENTITY, CHAIN_TOO_LONG, NOT_A_CA
  }

  /** For each target, the bad inputs that apply to it and the words its message must hold. */
  private static final Map<Target, Map<Bad, String>> EXPECTED = Map.of(
      Target.CHAIN_PEM, Map.of(
          Bad.EMPTY, "file is empty",
          Bad.GARBAGE, "not PEM: no -----BEGIN line found in the file",
          Bad.TRUNCATED, "truncated PEM block",
          Bad.SWAPPED, "no certificate in file (found 1 PRIVATE KEY)",
          Bad.OVERSIZED, OVER_LIMIT,
          Bad.DIRECTORY_FOR_FILE, "is a directory, not a file",
          Bad.SYMLINK_LOOP, "symbolic link loop",
          Bad.MISSING, "file does not exist",
          Bad.CA_AS_IDENTITY, "is a CA certificate (basicConstraints cA=true), not an end-entity",
          Bad.CHAIN_TOO_LONG, "the certificate chain has 21 certificates, more than the 10 that"
              + " peers accept"),
      Target.KEY_PEM, Map.ofEntries(
          Map.entry(Bad.EMPTY, "file is empty"),
          Map.entry(Bad.GARBAGE, "not PEM: no -----BEGIN line found in the file"),
          Map.entry(Bad.TRUNCATED, "truncated PEM block"),
          Map.entry(Bad.SWAPPED, "no private key in file (found 1 CERTIFICATE)"),
          Map.entry(Bad.MISMATCHED, "private key does not match the certificate's public key"),
          Map.entry(Bad.ENCRYPTED_WITHOUT_PASSWORD, "encrypted PKCS#8 key but no password was given"),
          Map.entry(Bad.WRONG_PASSWORD, "wrong password for the encrypted PKCS#8 key"),
          Map.entry(Bad.OVERSIZED, OVER_LIMIT),
          Map.entry(Bad.DIRECTORY_FOR_FILE, "is a directory, not a file"),
          Map.entry(Bad.SYMLINK_LOOP, "symbolic link loop"),
          Map.entry(Bad.MISSING, "file does not exist")),
      Target.IDENTITY_PKCS12, Map.ofEntries(
          Map.entry(Bad.EMPTY, "file is empty"),
          Map.entry(Bad.GARBAGE, "not a readable PKCS#12 file"),
          Map.entry(Bad.TRUNCATED, "not a readable PKCS#12 file"),
          Map.entry(Bad.SWAPPED, "no private-key entry in the PKCS#12 file"),
          Map.entry(Bad.MISMATCHED, "private key does not match the certificate's public key"),
          Map.entry(Bad.ENCRYPTED_WITHOUT_PASSWORD, "protected by a password, but none was given"),
          Map.entry(Bad.WRONG_PASSWORD, "wrong password for the PKCS#12 file"),
          Map.entry(Bad.OVERSIZED, OVER_LIMIT),
          Map.entry(Bad.DIRECTORY_FOR_FILE, "is a directory, not a file"),
          Map.entry(Bad.SYMLINK_LOOP, "symbolic link loop"),
          Map.entry(Bad.MISSING, "file does not exist"),
          Map.entry(Bad.CA_AS_IDENTITY, "is a CA certificate (basicConstraints cA=true)"),
          Map.entry(Bad.CHAIN_TOO_LONG, "has 21 certificates, more than the 10 that peers accept")),
      Target.CA_BUNDLE_PEM, Map.of(
          Bad.EMPTY, "file is empty",
          Bad.GARBAGE, "not PEM: no -----BEGIN line found in the file",
          Bad.TRUNCATED, "truncated PEM block",
          Bad.SWAPPED, "no certificate in file (found 1 PRIVATE KEY)",
          Bad.NOT_A_CA, "is not a CA certificate (basicConstraints cA=false)",
          Bad.OVERSIZED, OVER_LIMIT,
          Bad.DIRECTORY_FOR_FILE, "is a directory, not a file",
          Bad.SYMLINK_LOOP, "symbolic link loop",
          Bad.MISSING, "file does not exist"),
      Target.CA_DIRECTORY_FILE, Map.of(
          Bad.EMPTY, "file is empty",
          Bad.GARBAGE, "not PEM: no -----BEGIN line found in the file",
          Bad.TRUNCATED, "truncated PEM block",
          Bad.SWAPPED, "no certificate in file (found 1 PRIVATE KEY)",
          Bad.NOT_A_CA, "is not a CA certificate (basicConstraints cA=false)",
          Bad.OVERSIZED, OVER_LIMIT,
          Bad.SYMLINK_LOOP, "symbolic link loop"),
      Target.CA_DIRECTORY, Map.of(
          Bad.EMPTY, "no certificate files (*.pem, *.crt, *.cer) in directory",
          Bad.FILE_FOR_DIRECTORY, "is a file, not a directory",
          Bad.SYMLINK_LOOP, "symbolic link loop",
          Bad.MISSING, "directory does not exist",
          Bad.TOO_MANY_FILES, "more than 1000 certificate files (*.pem, *.crt, *.cer) in"
              + " directory, the limit (MaterialLimits.maxDirectoryFiles)"),
      Target.TRUST_PKCS12, Map.ofEntries(
          Map.entry(Bad.EMPTY, "file is empty"),
          Map.entry(Bad.GARBAGE, "not a readable PKCS#12 file"),
          Map.entry(Bad.TRUNCATED, "not a readable PKCS#12 file"),
          Map.entry(Bad.SWAPPED, "no trusted-certificate entry in the PKCS#12 file"),
          Map.entry(Bad.NOT_A_CA, "is not a CA certificate (basicConstraints cA=false)"),
          Map.entry(Bad.ENCRYPTED_WITHOUT_PASSWORD, "protected by a password, but none was given"),
          Map.entry(Bad.WRONG_PASSWORD, "wrong password for the PKCS#12 file"),
          Map.entry(Bad.OVERSIZED, OVER_LIMIT),
          Map.entry(Bad.DIRECTORY_FOR_FILE, "is a directory, not a file"),
          Map.entry(Bad.SYMLINK_LOOP, "symbolic link loop"),
          Map.entry(Bad.MISSING, "file does not exist")));

  @TempDir Path dir;

  private final RecordingListener events = new RecordingListener();
  private final IssuedCertificate serverCertificate = CA.server("localhost");
  private final IssuedCertificate clientCertificate = CA.client("orders");
  private MtlsContext server;
  private LoopbackServer loopback;

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (Target target : Target.values()) {
      EXPECTED.get(target).entrySet().stream()
          .sorted(Map.Entry.comparingByKey())
          .forEach(e -> cases.add(Arguments.of(target, e.getKey(), e.getValue())));
    }
    return cases.stream();
  }

  @AfterEach
  void stop() throws IOException {
    if (loopback != null) {
      loopback.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void build_refusesTheBadFile_namingItAndTheProblem(Target target, Bad bad, String problem) {
    Case files = new Case(target, bad);
    Path named = files.makeBad();

    assertLoadFails(files::buildServer, named, problem);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void reload_keepsTheMaterialInUse_andReportsTheBadFile(Target target, Bad bad, String problem)
      throws Exception {
    // The password is the source's, fixed at build: no file change makes a store need none.
    assumeTrue(!(target.isPkcs12() && bad == Bad.ENCRYPTED_WITHOUT_PASSWORD));
    Case files = new Case(target, bad);
    server = files.buildServer();
    loopback = new LoopbackServer(server);
    try (MtlsContext client = client()) {
      assertThat(handshake(client)).isEqualTo(new Seen(serverCertificate.serialNumber(),
          clientCertificate.serialNumber()));

      Path named = files.makeBad();
      ReloadResult result = server.reloadNow();

      assertThat(result.failed()).as(result.toString()).isTrue();
      assertThat(result.reloaded()).as(result.toString()).isFalse();
      MtlsListener.ReloadFailed event = events.reloadFailed.poll();
      assertThat(event).as("a reload-failed event").isNotNull();
      assertThat(event.file()).isEqualTo(named);
      assertThat(event.problem()).contains(named + ": ").contains(problem);
      assertThat(handshake(client)).as("the material in use before the reload")
          .isEqualTo(new Seen(serverCertificate.serialNumber(), clientCertificate.serialNumber()));
    }
  }

  /** The serials of the certificates each side presented in a full handshake. */
  private record Seen(BigInteger server, BigInteger client) {}

  private Seen handshake(MtlsContext client) throws Exception {
    SSLSession session = LoopbackClient.connect(client, "localhost", loopback.port());
    LoopbackServer.Outcome outcome = loopback.nextOutcome();
    assertThat(outcome.succeeded()).as("handshake: %s", outcome.failure()).isTrue();
    // No resumption: a resumed session would show the certificates of the first handshake.
    session.invalidate();
    outcome.session().invalidate();
    return new Seen(serial(session.getPeerCertificates()[0]),
        serial(outcome.session().getPeerCertificates()[0]));
  }

  private static BigInteger serial(Certificate certificate) {
    return ((X509Certificate) certificate).getSerialNumber();
  }

  private MtlsContext client() {
    return MtlsContext.forClient()
        .identity(IdentitySource.of(clientCertificate.privateKey(), clientCertificate.chain()))
        .trust(TrustSource.of(List.of(CA.certificate())))
        .reload(ReloadPolicy.disabled())
        .logging(false)
        .build();
  }

  /** The files of one case: written good, then made bad. */
  private final class Case {
    private final Target target;
    private final Bad bad;
    private final Path chain = dir.resolve("identity/chain.pem");
    private final Path key = dir.resolve("identity/key.pem");
    private final Path identityStore = dir.resolve("identity.p12");
    private final Path bundle = dir.resolve("ca-bundle.pem");
    private final Path caDirectory = dir.resolve("cas");
    private final Path caDirectoryFile = caDirectory.resolve("ca.pem");
    private final Path trustStore = dir.resolve("trust.p12");

    Case(Target target, Bad bad) {
      this.target = target;
      this.bad = bad;
      write(chain, serverCertificate.chainPem());
      write(key, serverCertificate.privateKeyPem());
      write(identityStore, identityStore(serverCertificate.privateKey(), serverCertificate.chain(),
          PASSWORD));
      write(bundle, CA.certificatePem());
      write(caDirectoryFile, CA.certificatePem());
      write(trustStore, trustStore(CA.certificate(), PASSWORD));
    }

    MtlsContext buildServer() {
      return MtlsContext.forServer()
          .identity(identitySource())
          .trust(trustSource())
          .peerPolicy(PeerPolicy.anyTrustedPeer())
          .reload(ReloadPolicy.disabled())
          .listener(events)
          .build();
    }

    private IdentitySource identitySource() {
      return switch (target) {
        case CHAIN_PEM, KEY_PEM -> bad == Bad.WRONG_PASSWORD
            ? IdentitySource.pemFiles(chain, key, PASSWORD)
            : IdentitySource.pemFiles(chain, key);
        case IDENTITY_PKCS12 -> IdentitySource.pkcs12(identityStore, password());
        default -> IdentitySource.of(serverCertificate.privateKey(), serverCertificate.chain());
      };
    }

    private TrustSource trustSource() {
      return switch (target) {
        case CA_BUNDLE_PEM -> TrustSource.pemFile(bundle);
        case CA_DIRECTORY_FILE, CA_DIRECTORY -> TrustSource.pemDirectory(caDirectory);
        case TRUST_PKCS12 -> TrustSource.pkcs12(trustStore, password());
        default -> TrustSource.pemFile(bundle);
      };
    }

    private char[] password() {
      return bad == Bad.ENCRYPTED_WITHOUT_PASSWORD ? new char[0] : PASSWORD;
    }

    /** Makes the target bad and returns the file the message must name. */
    Path makeBad() {
      Path file = switch (target) {
        case CHAIN_PEM -> chain;
        case KEY_PEM -> key;
        case IDENTITY_PKCS12 -> identityStore;
        case CA_BUNDLE_PEM -> bundle;
        case CA_DIRECTORY_FILE -> caDirectoryFile;
        case CA_DIRECTORY -> caDirectory;
        case TRUST_PKCS12 -> trustStore;
      };
      IssuedCertificate other = CA.server("localhost");
      switch (bad) {
        case EMPTY -> {
          if (target == Target.CA_DIRECTORY) {
            delete(caDirectoryFile);
          } else {
            replace(file, new byte[0]);
          }
        }
        case GARBAGE -> replace(file, ascii("garbage, neither PEM nor PKCS#12\n"));
        case TRUNCATED -> {
          byte[] good = read(file);
          replace(file, Arrays.copyOf(good, good.length / 2));
        }
        case SWAPPED -> {
          switch (target) {
            case CHAIN_PEM -> {
              replace(chain, ascii(serverCertificate.privateKeyPem()));
              replace(key, ascii(serverCertificate.chainPem()));
            }
            case KEY_PEM -> replace(key, ascii(serverCertificate.chainPem()));
            case IDENTITY_PKCS12 -> replace(file, trustStore(CA.certificate(), PASSWORD));
            case TRUST_PKCS12 -> replace(file, identityStore(
                serverCertificate.privateKey(), serverCertificate.chain(), PASSWORD));
            default -> replace(file, ascii(serverCertificate.privateKeyPem()));
          }
        }
        case MISMATCHED -> {
          if (target == Target.KEY_PEM) {
            replace(key, ascii(other.privateKeyPem()));
          } else {
            replace(file, identityStore(other.privateKey(), serverCertificate.chain(), PASSWORD));
          }
        }
        case ENCRYPTED_WITHOUT_PASSWORD -> {
          if (target == Target.KEY_PEM) {
            replace(key, ascii(serverCertificate.encryptedPrivateKeyPem(PASSWORD)));
          }
          // A PKCS#12 file is always protected: the source was given no password.
        }
        case WRONG_PASSWORD -> {
          switch (target) {
            case KEY_PEM -> replace(key, ascii(serverCertificate.encryptedPrivateKeyPem(OTHER_PASSWORD)));
            case IDENTITY_PKCS12 -> replace(file, identityStore(
                serverCertificate.privateKey(), serverCertificate.chain(), OTHER_PASSWORD));
            default -> replace(file, trustStore(CA.certificate(), OTHER_PASSWORD));
          }
        }
        case OVERSIZED -> {
          // A good file followed by 2 MiB of something else: comment lines, or zeros.
          byte[] good = read(file);
          byte[] padding = new byte[2 * 1024 * 1024];
          Arrays.fill(padding, target.isPkcs12() ? (byte) 0 : (byte) '#');
          for (int i = 79; i < padding.length && !target.isPkcs12(); i += 80) {
            padding[i] = '\n';
          }
          byte[] big = Arrays.copyOf(good, good.length + padding.length);
          System.arraycopy(padding, 0, big, good.length, padding.length);
          replace(file, big);
        }
        case DIRECTORY_FOR_FILE -> {
          delete(file);
          createDirectory(file);
        }
        case FILE_FOR_DIRECTORY -> {
          deleteTree(file);
          write(file, CA.certificatePem());
        }
        case SYMLINK_LOOP -> {
          deleteTree(file);
          Path loop = file.resolveSibling(file.getFileName() + ".loop");
          link(file, loop);
          link(loop, file);
        }
        case MISSING -> deleteTree(file);
        case TOO_MANY_FILES -> {
          for (int i = 0; i < 1_000; i++) {
            write(caDirectory.resolve("ca-" + i + ".crt"), CA.certificatePem());
          }
        }
        case CA_AS_IDENTITY -> {
          if (target == Target.CHAIN_PEM) {
            replace(chain, ascii(CA.certificatePem()));
            replace(key, ascii(privateKeyPem(CA.keyPair().getPrivate())));
          } else {
            replace(file, identityStore(CA.keyPair().getPrivate(), List.of(CA.certificate()),
                PASSWORD));
          }
        }
        case CHAIN_TOO_LONG -> {
          TestCa issuer = CA;
          for (int i = 1; i <= 19; i++) {
            issuer = issuer.newIntermediate("Intermediate " + i);
          }
          IssuedCertificate deep = issuer.server("localhost");
          List<X509Certificate> chain21 = deep.fullChain();
          assertThat(chain21).hasSize(21);
          if (target == Target.CHAIN_PEM) {
            replace(chain, ascii(deep.fullChainPem()));
            replace(key, ascii(deep.privateKeyPem()));
          } else {
            replace(file, identityStore(deep.privateKey(), chain21, PASSWORD));
          }
        }
        case NOT_A_CA -> {
          if (target == Target.TRUST_PKCS12) {
            replace(file, trustStore(other.certificate(), PASSWORD));
          } else {
            replace(file, ascii(other.certificatePem()));
          }
        }
      }
      return file;
    }
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  private static String privateKeyPem(PrivateKey key) {
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
  }

  private static byte[] identityStore(PrivateKey key, List<X509Certificate> chain, char[] password) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("identity", key, password, chain.toArray(new Certificate[0]));
      return bytes(store, password);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] trustStore(X509Certificate certificate, char[] password) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setCertificateEntry("ca", certificate);
      return bytes(store, password);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] bytes(KeyStore store, char[] password)
      throws GeneralSecurityException, IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    store.store(out, password);
    return out.toByteArray();
  }

  private static void write(Path file, String text) {
    write(file, ascii(text));
  }

  private static void write(Path file, byte[] bytes) {
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Replaces a file the way rotation tools do: a new file renamed over the old one. */
  private static void replace(Path file, byte[] bytes) {
    Path temporary = file.resolveSibling("." + file.getFileName() + ".tmp");
    write(temporary, bytes);
    try {
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void delete(Path file) {
    try {
      Files.delete(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path path) {
    try (Stream<Path> paths = Files.walk(path)) {
      paths.sorted(Comparator.reverseOrder()).forEach(BadMaterialMatrixTest::delete);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void createDirectory(Path path) {
    try {
      Files.createDirectory(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void link(Path link, Path target) {
    try {
      Files.createSymbolicLink(link, target.getFileName());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
