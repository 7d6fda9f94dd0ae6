package dev.mtls.cli;

import picocli.CommandLine.IVersionProvider;

/** The version {@code mtls --version} prints: the jar's implementation version. */
final class Version implements IVersionProvider {

  @Override
  public String[] getVersion() {
    String version = Main.class.getPackage().getImplementationVersion();
    return new String[] {"mtls " + (version == null ? "(development build)" : version)};
  }
}
