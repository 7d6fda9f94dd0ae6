package dev.mtls.cli.serve;

import dev.mtls.cli.server.Engine;
import dev.mtls.cli.server.RunningServer;
import dev.mtls.cli.server.ServerSpec;
import dev.mtls.cli.server.Servers;
import dev.mtls.core.MtlsContext;
import dev.mtls.core.MtlsSettings;
import dev.mtls.core.PeerPolicy;
import dev.mtls.micrometer.MtlsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mtls serve}: an mTLS HTTPS server for trying things, on Jetty, Tomcat or Netty, from
 * files named by flags or by the {@code TLS_*} settings. It runs until SIGTERM or SIGINT, then
 * stops the server and the context, prints {@code stopped} and exits 0.
 *
 * <p>{@link #start(Map, String...)} starts the same server without waiting or handling
 * signals, for tests and for other commands.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {
        "An mTLS HTTPS server for trying things, on Jetty, Tomcat or Netty (listening on 127.0.0.1).",
        "",
        "  GET /health             {\"status\":\"ok\"}, answered without a client certificate",
        "  GET /whoami             your certificate's identity (commonName, dnsNames, uris, spiffeId, issuer,"
            + " serial, notAfter, ...)",
        "  GET /certificate-info   every certificate of the chain you presented, field by field",
        "  GET /metrics            Prometheus metrics of the server context; needs an allowed client"
            + " certificate like /whoami, since metrics tell about the server's certificates and its refusals",
        "",
        "Without a certificate: 401; with one not allowed: 403 (application/problem+json, with the reason).",
        "Without --cert/--key/--ca the TLS_* settings of the environment are used (TLS_CERT_FILE, TLS_KEY_FILE,"
            + " TLS_CA_CERT_FILE, TLS_ALLOWED_COMMON_NAMES, TLS_CRL_FILE, TLS_RELOAD_INTERVAL, ...).",
        "Certificate, key, CA and CRL files are reloaded when they change (renewals, Kubernetes secret volumes);"
            + " reloads and refused clients are logged to the error stream.",
        "Prints 'listening on https://localhost:PORT/ (ENGINE)'; stops on SIGTERM or Ctrl-C, printing 'stopped'.",
        ""},
    sortOptions = false)
public final class ServeCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

  @Option(names = "--cert", paramLabel = "FILE", description = "The server's certificate chain (PEM), leaf first.")
  @Nullable Path cert;

  @Option(names = "--key", paramLabel = "FILE", description = "The server's private key (PEM, PKCS#8 or traditional).")
  @Nullable Path key;

  @Option(names = "--ca", paramLabel = "FILE", description = "The CA certificates (PEM) client certificates must"
      + " chain to.")
  @Nullable Path ca;

  @Option(names = "--port", paramLabel = "N", defaultValue = "8443",
      description = "The port (default: ${DEFAULT-VALUE}); 0 picks a free one.")
  int port;

  @Option(names = "--allow-cn", paramLabel = "NAME", description = "A client common name (or pattern such as"
      + " '*.orders') let in; repeat for more. Without it, every client certificate the CA issued is let in.")
  List<String> allowCommonNames = new ArrayList<>();

  @Option(names = "--crl", paramLabel = "FILE", description = "A CRL (PEM or DER) of the CA: a revoked client"
      + " certificate fails its TLS handshake; the file is reloaded when it changes.")
  @Nullable Path crl;

  @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "jetty",
      description = "jetty, tomcat or netty (default: ${DEFAULT-VALUE}).")
  Engine engine = Engine.JETTY;

  @Option(names = "--reload-interval", paramLabel = "DURATION", description = "How often the files are checked"
      + " for changes besides file events, such as 1s or 30s, 'off' for never (default: "
      + ServeSettings.DEFAULT_RELOAD_INTERVAL + ").")
  @Nullable String reloadInterval;

  @CommandLine.Spec
  CommandLine.Model.@Nullable CommandSpec spec;

  /**
   * Starts {@code serve} without waiting for a signal: the server runs until the returned
   * {@link Serving} is closed.
   *
   * @param environment where the {@code TLS_*} settings come from when the arguments name no
   *     files (the process's environment for the command line)
   * @param args the arguments after {@code serve}, such as {@code --cert}, {@code --port 0}
   * @return the started server
   * @throws dev.mtls.cli.CliException for wrong arguments or a server that cannot start
   * @throws dev.mtls.core.MtlsException for settings or files that cannot be used, naming them
   */
  public static Serving start(Map<String, String> environment, String... args) {
    Objects.requireNonNull(environment, "environment");
    ServeCommand command = new ServeCommand();
    CommandLine line = new CommandLine(command);
    line.setCaseInsensitiveEnumValuesAllowed(true);
    try {
      line.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      throw new dev.mtls.cli.CliException(e.getMessage(), dev.mtls.cli.ExitCode.USAGE);
    }
    return command.start(environment);
  }

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = Objects.requireNonNull(spec).commandLine().getOut();
    Serving serving = start(System.getenv());
    CountDownLatch signalled = new CountDownLatch(1);
    // The signals end the wait here, so that the server stops on this thread and the process
    // exits 0; where they cannot be handled, the JVM's shutdown hook stops it.
    if (!Signals.onTermination(signalled::countDown)) {
      Runtime.getRuntime().addShutdownHook(new Thread(serving::close, "mtls-serve-shutdown"));
    }
    out.println(serving.listeningLine());
    out.flush();
    signalled.await();
    serving.close();
    out.println("stopped");
    out.flush();
    return 0;
  }

  private Serving start(Map<String, String> environment) {
    Map<String, String> settings = ServeSettings.of(this, environment);
    MtlsSettings read = MtlsSettings.fromMap(settings);
    PeerPolicy policy = read.peerPolicy().orElseThrow();
    if (ServeSettings.allowsAnyTrustedClient(settings)) {
      LOG.info("every client certificate the CA issued is let in (--allow-cn NAME narrows it)");
    }
    // The policy is the filter's (a 403 with a reason), not the handshake's (a closed connection).
    MtlsContext context = read.serverBuilder().peerPolicyInHandshake(false).build();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    MtlsMetrics metrics = MtlsMetrics.of("serve", context);
    try {
      metrics.bindTo(registry);
      ServerSpec serverSpec = new ServerSpec(context, policy, ServeEndpoints.EXEMPT,
          ServeEndpoints.of(registry, Clock.systemUTC()), port);
      RunningServer server = Servers.start(engine, serverSpec);
      return new Serving(server, context, metrics, registry);
    } catch (RuntimeException | Error e) {
      metrics.close();
      registry.close();
      context.close();
      throw e;
    }
  }
}
