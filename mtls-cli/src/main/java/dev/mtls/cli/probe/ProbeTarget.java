package dev.mtls.cli.probe;

import dev.mtls.cli.CliException;
import dev.mtls.cli.ExitCode;
import dev.mtls.cli.text.PlainText;
import java.net.URI;
import org.jspecify.annotations.Nullable;

/** The URL a probe connects to: {@code https://host[:port][/path]}, checked before anything else. */
final class ProbeTarget {
  private ProbeTarget() {}

  static URI check(@Nullable URI url) {
    if (url == null) {
      throw new CliException("give the server's URL, such as https://localhost:8443/", ExitCode.USAGE);
    }
    String scheme = url.getScheme();
    if (scheme == null || url.getHost() == null) {
      throw new CliException(PlainText.printable(url) + " is not a URL with a host: write https://host:port/",
          ExitCode.USAGE);
    }
    if (!scheme.equalsIgnoreCase("https")) {
      throw new CliException(PlainText.printable(url) + ": probe speaks TLS only; write https://"
          + PlainText.printable(url.getRawAuthority()) + (url.getRawPath() == null ? "/" : PlainText.printable(url.getRawPath())),
          ExitCode.USAGE);
    }
    return url.getRawPath() == null || url.getRawPath().isEmpty() ? url.resolve("/") : url;
  }
}
