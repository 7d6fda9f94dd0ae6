package dev.mtls.benchmarks;

import dev.mtls.core.MtlsContext;
import dev.mtls.core.PeerPolicy;
import dev.mtls.core.Verdict;
import dev.mtls.servlet.MtlsFilter;
import dev.mtls.testkit.IssuedCertificate;
import dev.mtls.testkit.TestCa;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Proxy;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What {@link MtlsFilter} adds to a request on a connection whose TLS session was judged
 * before: the path rules, the verifier's verdict cache, the identity put on the request.
 * The filter sits in front of {@code /api/*}, with {@code /health} exempt and a rule for
 * {@code /admin/*}; the peer is allowed by SPIFFE ID pattern.
 *
 * <ul>
 *   <li>{@code baseline_request}: the same request handed straight to the chain, no filter.
 *   <li>{@code mtls_request}: the container hands over the {@code SSLSession} (Jetty with
 *       {@code JettyMtls}). Target: at most 1 microsecond more than the baseline.
 *   <li>{@code tomcat_request}: the container hands over the chain and the session id in
 *       hexadecimal (Tomcat).
 *   <li>{@code verifierOnly_request}: the core verifier's cached verdict for the session
 *       alone (what {@code PeerVerifierBenchmark.mtls_cachedSession} measures), to tell the
 *       filter's own work from the lookup it makes.
 * </ul>
 *
 * <p>No container runs: the request is the servlet API's own wrapper answering the few calls
 * the filter makes from fields, so only the filter's work is measured. The filter's cost is
 * the difference to {@code baseline_request} in the same run, the baseline of every
 * {@code *_request} method.
 *
 * <pre>
 * ./mvnw -B -q package -DskipTests -pl mtls-benchmarks -am
 * java -jar mtls-benchmarks/target/benchmarks.jar ServletFilterBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 2, time = 1)
@Fork(1)
public class ServletFilterBenchmark {
  private MtlsContext context;
  private MtlsContext client;
  private MtlsFilter filter;
  private HttpServletResponse response;
  private Request withSession;
  private Request withSessionId;
  private SSLSession session;
  private ServletRequest seen;
  private final FilterChain chain = (request, ignored) -> seen = request;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    TestCa root = TestCa.create();
    IssuedCertificate peer = root.leaf("ingester").clientAuth()
        .spiffeId("spiffe://prod.example/ns/data/sa/ingester").issue();
    IssuedCertificate server = root.server("localhost");
    context = BenchContexts.server(root, server).peerPolicy(PeerPolicy.anyTrustedPeer()).build();
    client = BenchContexts.client(root, peer);
    filter = MtlsFilter.builder(context)
        .exemptPaths("/health")
        .rule("/admin/*", PeerPolicy.builder().allowCommonNames("admin-client").build())
        .policy(PeerPolicy.builder().allowSpiffeIds("spiffe://prod.example/ns/*/sa/ingester").build())
        .build();
    response = (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> {
          throw new IllegalStateException("an allowed request writes no response: " + method.getName());
        });

    session = EnginePair.serverSession(context, client);
    withSession = new Request(Map.of(MtlsFilter.SSL_SESSION_ATTRIBUTE, session));
    Certificate[] presented = session.getPeerCertificates();
    X509Certificate[] certificates = new X509Certificate[presented.length];
    for (int i = 0; i < presented.length; i++) {
      certificates[i] = (X509Certificate) presented[i];
    }
    withSessionId = new Request(Map.of(
        "jakarta.servlet.request.X509Certificate", certificates,
        "jakarta.servlet.request.ssl_session_id", HexFormat.of().formatHex(session.getId())));
    for (Request request : List.of(withSession, withSessionId)) {
      filter.doFilter(request, response, chain);
      if (MtlsFilter.peer(request).isEmpty()) {
        throw new IllegalStateException("benchmark peer was refused");
      }
    }
  }

  @Benchmark
  public ServletRequest baseline_request() throws Exception {
    chain.doFilter(withSession, response);
    return seen;
  }

  @Benchmark
  public Verdict verifierOnly_request() {
    return context.verifier().verify(session);
  }

  @Benchmark
  public ServletRequest mtls_request() throws Exception {
    filter.doFilter(withSession, response, chain);
    return seen;
  }

  @Benchmark
  public ServletRequest tomcat_request() throws Exception {
    filter.doFilter(withSessionId, response, chain);
    return seen;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    context.close();
    client.close();
  }

  /**
   * A request to {@code /api/orders} from a loopback client: the servlet API's wrapper, with
   * the calls the filter makes answered from fields (the wrapped request is never called).
   */
  private static final class Request extends HttpServletRequestWrapper {
    private final Map<String, Object> attributes;

    Request(Map<String, Object> attributes) {
      super((HttpServletRequest) Proxy.newProxyInstance(Request.class.getClassLoader(),
          new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> {
            throw new IllegalStateException("not part of the benchmark: " + method.getName());
          }));
      this.attributes = new HashMap<>(attributes);
    }

    @Override
    public String getServletPath() {
      return "";
    }

    @Override
    public String getPathInfo() {
      return "/api/orders";
    }

    @Override
    public Object getAttribute(String name) {
      return attributes.get(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
      attributes.put(name, value);
    }

    @Override
    public String getRemoteAddr() {
      return "127.0.0.1";
    }

    @Override
    public int getRemotePort() {
      return 50_123;
    }
  }
}
