package dev.mtls.cli.serve;

import dev.mtls.cli.CliException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code mtls serve}: An mTLS HTTPS server for trying things, on Jetty, Tomcat or Netty. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "An mTLS HTTPS server for trying things, on Jetty, Tomcat or Netty.")
public final class ServeCommand implements Callable<Integer> {

  @Override
  public Integer call() {
    throw new CliException("serve is not built yet");
  }
}
