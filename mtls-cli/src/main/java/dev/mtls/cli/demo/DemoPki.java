package dev.mtls.cli.demo;

import dev.mtls.cli.CliException;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.PemFiles;
import dev.mtls.testkit.TestCa;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The demo's throw-away PKI, made in memory at every run by the testkit: a CA, the server's
 * certificate (for {@code localhost} and {@code 127.0.0.1}) in PEM files the server loads and
 * reloads, one client certificate per case of the tour, a CA nobody trusts, and the CRL that
 * revokes one client. The files live in a temporary directory that {@link #close()} deletes;
 * nothing here is meant to outlive the run.
 */
final class DemoPki implements AutoCloseable {
  /** The client name the server allows. */
  static final String ALLOWED = "orders";

  final TestCa ca = TestCa.builder().commonName("mtls demo CA").build();
  final TestCa otherCa = TestCa.builder().commonName("Somebody else's CA").build();
  final IssuedCertificate allowed = ca.client(ALLOWED);
  final IssuedCertificate notAllowed = ca.client("intruder");
  final IssuedCertificate ofOtherCa = otherCa.client(ALLOWED);
  final IssuedCertificate expired = ca.leaf(ALLOWED).clientAuth().expired().issue();
  final IssuedCertificate revoked = ca.client(ALLOWED);
  final Path directory;
  final PemFiles server;
  final Path crl;

  private DemoPki(Path directory) {
    this.directory = directory;
    this.server = serverCertificate().writePem(directory.resolve("server"));
    ca.revoke(revoked);
    this.crl = ca.writeCrl(directory.resolve("crl.pem"));
  }

  static DemoPki create() {
    try {
      return new DemoPki(Files.createTempDirectory("mtls-demo-"));
    } catch (IOException e) {
      throw new CliException("cannot make the demo's temporary directory: " + e.getMessage(), DemoCommand.COULD_NOT_RUN);
    }
  }

  /**
   * Issues a new server certificate and moves it over the files the server loads, each file
   * replaced in one atomic rename, as a certificate manager does.
   *
   * @return the new certificate's serial
   */
  BigInteger rotateServerCertificate() {
    IssuedCertificate next = serverCertificate();
    PemFiles written = next.writePem(directory.resolve("server-" + next.serialNumber().toString(16)));
    try {
      Files.move(written.privateKey(), server.privateKey(), StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
      Files.move(written.chain(), server.chain(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot replace the server's certificate files in " + server.chain().getParent(), e);
    }
    return next.serialNumber();
  }

  private IssuedCertificate serverCertificate() {
    return ca.leaf("localhost").serverAuth().dnsNames("localhost").ipAddresses("127.0.0.1").issue();
  }

  @Override
  public void close() {
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind holds nothing that outlives the demo's CA
    }
  }
}
