package dev.mtls.cli.pki;

import dev.mtls.cli.CliException;
import dev.mtls.cli.ExitCode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mtls pki csr --name NAME}: a fresh key and a certificate signing request for a CA elsewhere. */
@Command(name = "csr", mixinStandardHelpOptions = true,
    description = "Makes a private key (NAME-key.pem, owner-only) and a certificate signing request (NAME.csr)"
        + " for the common name NAME and its --san names.")
final class CsrCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--name", required = true, description = "The common name, also the files' name.")
  String name;

  @Option(names = "--out", defaultValue = ".", paramLabel = "DIR", description = "Where to write. Default: the current directory.")
  Path out;

  @Option(names = "--san", paramLabel = "NAME", description = "A DNS name or IP address to ask for (repeatable).")
  List<String> sans = new ArrayList<>();

  @Option(names = "--key", defaultValue = "ec", description = "ec (P-256) or rsa (2048). Default: ${DEFAULT-VALUE}.")
  KeyChoice key;

  @Override
  public Integer call() throws IOException {
    PrintWriter printer = spec.commandLine().getOut();
    Names.checkName(name);
    Files.createDirectories(out);
    Path keyFile = out.resolve(name + "-key.pem");
    Path csrFile = out.resolve(name + ".csr");
    for (Path file : List.of(keyFile, csrFile)) {
      if (Files.exists(file)) {
        throw new CliException(file + " exists: refusing to overwrite it");
      }
    }
    KeyPair keyPair = generate(key);
    PKCS10CertificationRequest request = request(keyPair);
    AtomicFiles.writeSecret(keyFile, PkiDirectory.pem("PRIVATE KEY", keyPair.getPrivate().getEncoded()));
    AtomicFiles.writePublic(csrFile, PkiDirectory.pem("CERTIFICATE REQUEST", request.getEncoded()));
    printer.printf("Wrote %s (the private key, owner-only: it stays here) and %s (send it to the CA;"
        + " `mtls pki sign DIR %s --server|--client` signs it)%n", keyFile, csrFile, csrFile);
    return ExitCode.OK;
  }

  private PKCS10CertificationRequest request(KeyPair keyPair) throws IOException {
    JcaPKCS10CertificationRequestBuilder builder =
        new JcaPKCS10CertificationRequestBuilder(new X500Principal("CN=" + name), keyPair.getPublic());
    Set<GeneralName> names = new LinkedHashSet<>();
    for (String san : sans) {
      names.add(Names.isIpAddress(san) ? new GeneralName(GeneralName.iPAddress, san)
          : new GeneralName(GeneralName.dNSName, Names.checkDnsName(san, "--san")));
    }
    if (!names.isEmpty()) {
      ExtensionsGenerator extensions = new ExtensionsGenerator();
      extensions.addExtension(Extension.subjectAlternativeName, false,
          new GeneralNames(names.toArray(GeneralName[]::new)));
      builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate());
    }
    try {
      return builder.build(new JcaContentSignerBuilder(
          key == KeyChoice.RSA ? "SHA256withRSA" : "SHA256withECDSA").build(keyPair.getPrivate()));
    } catch (OperatorCreationException e) {
      throw new CliException("cannot sign the request: " + e.getMessage());
    }
  }

  private static KeyPair generate(KeyChoice choice) {
    try {
      if (choice == KeyChoice.RSA) {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
      }
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new CliException("cannot make a " + choice.label() + " key: " + e.getMessage());
    }
  }

}
