package dev.mtls.testkit;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The files {@link IssuedCertificate#writePem(Path)} wrote.
 *
 * @param certificate the leaf certificate alone ({@code cert.pem})
 * @param chain the leaf then its intermediates, without the root ({@code chain.pem}): what a
 *     server sends
 * @param fullChain the leaf, its intermediates and the root ({@code fullchain.pem})
 * @param privateKey the private key ({@code key.pem}), readable by the owner only
 * @param caCertificate the root certificate ({@code ca.pem}): what a peer trusts
 */
public record PemFiles(
    Path certificate, Path chain, Path fullChain, Path privateKey, Path caCertificate) {

  /**
   * Checks that no path is null.
   *
   * @param certificate the leaf certificate file
   * @param chain the chain file
   * @param fullChain the full chain file
   * @param privateKey the private key file
   * @param caCertificate the root certificate file
   */
  public PemFiles {
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(chain, "chain");
    Objects.requireNonNull(fullChain, "fullChain");
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(caCertificate, "caCertificate");
  }
}
