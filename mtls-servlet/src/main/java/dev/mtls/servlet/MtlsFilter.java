package dev.mtls.servlet;

import dev.mtls.core.MtlsContext;
import dev.mtls.core.PeerIdentity;
import dev.mtls.core.PeerPolicy;
import dev.mtls.core.PeerRequest;
import dev.mtls.core.PeerVerifier;
import dev.mtls.core.RejectionReason;
import dev.mtls.core.Verdict;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;

/**
 * A Jakarta Servlet filter that authenticates every request by its client certificate: it
 * reads the certificate the container took in the TLS handshake, asks the core {@link
 * PeerVerifier} (chain, validity, revocation, peer policy), and lets the request through only
 * when the peer is allowed for the request's path.
 *
 * <ul>
 *   <li>No certificate: {@code 401}. A certificate the container hands over that cannot be
 *       read: {@code 400}. Any other refusal (untrusted, expired, revoked, a name not allowed
 *       here): {@code 403}. The body is an RFC 9457 problem ({@code application/problem+json})
 *       with the {@link RejectionReason} as {@code reason} and a fixed sentence as {@code
 *       detail}: no stack trace, nothing of the request or the certificate. The details go to
 *       the context's listeners, with the remote address and the path ({@link
 *       dev.mtls.core.MtlsListener.PeerRejected#request()}).
 *   <li>Allowed: the request carries the peer's {@link PeerIdentity} (attribute {@link
 *       #PEER_ATTRIBUTE}, or {@link #peer(ServletRequest)}), {@code getUserPrincipal()} is the
 *       certificate's subject ({@link javax.security.auth.x500.X500Principal}), {@code
 *       getRemoteUser()} its CN (the service name), and {@code getAuthType()} is {@code
 *       CLIENT_CERT}. Only an allowed peer gets the attribute: its presence means validated.
 *   <li>Exempt paths pass without a certificate and without an identity; a path with a rule of
 *       its own is judged by that rule's policy; every other path by the default policy (the
 *       context's own unless {@link Builder#policy(PeerPolicy)} says otherwise).
 * </ul>
 *
 * <p>Paths are matched on the container's decoded and normalised path within the application
 * (servlet path and path info), exactly and case-sensitively: {@code /health/../admin},
 * {@code /health;x=1/../admin} and {@code /Health} are not {@code /health}. A path the
 * container leaves with {@code //}, {@code .} or {@code ..} segments, {@code ;}, {@code \} or
 * {@code %} is refused with {@code 400} ({@code NON_CANONICAL_PATH}) before any rule is
 * looked at. Patterns are exact ({@code /health}) or prefixes ({@code /docs/*}: {@code /docs}
 * and below); two patterns that match a common path are an error when the filter is built,
 * naming both.
 *
 * <p>A verdict is remembered by the core verifier per TLS session: on a steady connection a
 * request costs a lookup. A connection whose certificate expires or is revoked (a CRL
 * refreshed, a trust bundle rotated) is refused from its next request on.
 *
 * <p>The filter reads the TLS session under {@link #SSL_SESSION_ATTRIBUTE} where the container
 * gives one ({@link JettyMtls}'s connectors do), otherwise the chain ({@code
 * jakarta.servlet.request.X509Certificate}) and the session id ({@code
 * jakarta.servlet.request.ssl_session_id}) as every container gives them (Tomcat): the same
 * verdicts either way. The container's own client-certificate authentication ({@code
 * CLIENT-CERT} login config) is not needed alongside: where both are configured, the
 * container's runs first with its realm, and this filter still judges every request it sees.
 *
 * <pre>{@code
 * MtlsFilter filter = MtlsFilter.builder(context)
 *     .exemptPaths("/health", "/docs/*")
 *     .rule("/admin/*", PeerPolicy.builder().allowCommonNames("admin-client").build())
 *     .build();
 * servletContext.addFilter("mtls", filter).addMappingForUrlPatterns(null, false, "/*");
 * }</pre>
 *
 * <p>Map it to {@code /*} for {@code REQUEST} dispatches (and {@code ASYNC} where used): it
 * judges what clients ask for; forwards and includes the application makes itself are the
 * application's.
 *
 * <p>From {@code web.xml} or a {@code FilterRegistration}, the no-argument constructor reads
 * the init parameters (see {@link #init(FilterConfig)}) and the {@link MtlsContext} from the
 * servlet context attribute {@link #CONTEXT_ATTRIBUTE}.
 */
public final class MtlsFilter implements Filter {
  /** The request attribute that holds the accepted peer's {@link PeerIdentity}. */
  public static final String PEER_ATTRIBUTE = "dev.mtls.servlet.PeerIdentity";

  /**
   * The request attribute where a container adapter puts the connection's {@link SSLSession},
   * for containers that expose none of their own ({@link JettyMtls}'s connectors set it).
   */
  public static final String SSL_SESSION_ATTRIBUTE = "dev.mtls.servlet.SSLSession";

  /**
   * The servlet context attribute a filter made by the no-argument constructor takes its
   * {@link MtlsContext} from (unless the init parameter {@code CONTEXT_ATTRIBUTE} names
   * another).
   */
  public static final String CONTEXT_ATTRIBUTE = "dev.mtls.core.MtlsContext";

  private static final String CERTIFICATES = "jakarta.servlet.request.X509Certificate";
  private static final String SESSION_ID = "jakarta.servlet.request.ssl_session_id";
  /** TLS session ids are at most 32 bytes (RFC 8446 4.1.2, RFC 5246 7.4.1.2). */
  private static final int MAX_SESSION_ID_HEX = 64;
  private static final byte[] NO_SESSION_ID = new byte[0];
  private static final HexFormat HEX = HexFormat.of();

  private volatile @Nullable PathRules rules;

  /**
   * A filter configured by its init parameters, for {@code web.xml} and {@code
   * FilterRegistration}: see {@link #init(FilterConfig)}.
   */
  public MtlsFilter() {}

  private MtlsFilter(PathRules rules) {
    this.rules = rules;
  }

  /**
   * Starts a filter that judges peers with this server context.
   *
   * @param context a server context
   * @return a new builder
   */
  public static Builder builder(MtlsContext context) {
    return new Builder(context);
  }

  /**
   * The identity of the peer this filter accepted for the request.
   *
   * @param request a request
   * @return the peer, or empty when the filter did not accept one (an exempt path, or a
   *     request the filter did not see)
   */
  public static Optional<PeerIdentity> peer(ServletRequest request) {
    Object peer = Objects.requireNonNull(request, "request").getAttribute(PEER_ATTRIBUTE);
    return peer instanceof PeerIdentity identity ? Optional.of(identity) : Optional.empty();
  }

  /**
   * Reads the configuration of a filter made by the no-argument constructor; a filter made by
   * {@link #builder(MtlsContext)} takes none. Parameter names are the words of the {@code
   * TLS_*} settings where they mean the same, values are comma-separated lists:
   *
   * <ul>
   *   <li>{@code EXEMPT_PATHS}: paths that pass without a certificate, such as {@code /health,
   *       /docs/*};
   *   <li>{@code ALLOWED_COMMON_NAMES}, {@code ALLOWED_DNS_NAMES}, {@code ALLOWED_URIS}, {@code
   *       ALLOWED_SPIFFE_IDS}, {@code ALLOWED_PEERS} ({@code any}), {@code REQUIRED_ISSUER}: the
   *       default policy, for paths without a rule of their own (without any of them: the
   *       context's own policy);
   *   <li>the same words followed by {@code @} and a path pattern: a rule for those paths, such
   *       as {@code ALLOWED_COMMON_NAMES@/admin/*} = {@code admin-client};
   *   <li>{@code CONTEXT_ATTRIBUTE}: the servlet context attribute holding the {@link
   *       MtlsContext}, default {@link #CONTEXT_ATTRIBUTE}.
   * </ul>
   *
   * @param config the filter's configuration
   * @throws ServletException naming the parameter at fault: an unknown name, a bad value,
   *     overlapping rules, or no context in the servlet context
   */
  @Override
  public void init(FilterConfig config) throws ServletException {
    List<String> names = java.util.Collections.list(config.getInitParameterNames());
    if (rules != null) {
      if (!names.isEmpty()) {
        throw new ServletException("this MtlsFilter was configured with MtlsFilter.builder(..): it reads no init"
            + " parameters, but was given " + names);
      }
      return;
    }
    try {
      rules = InitParameters.read(config);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new ServletException("MtlsFilter " + Json.quote(config.getFilterName()) + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    PathRules current = rules;
    if (current == null) {
      throw new ServletException("MtlsFilter was not initialised: the container calls init(FilterConfig) first");
    }
    if (!(request instanceof HttpServletRequest http) || !(response instanceof HttpServletResponse httpResponse)) {
      throw new ServletException("MtlsFilter judges HTTP requests only");
    }
    String path = Paths.of(http);
    if (!Paths.canonical(path)) {
      Problem.send(httpResponse, HttpServletResponse.SC_BAD_REQUEST, Problem.NON_CANONICAL_PATH,
          "the request path is not in canonical form");
      return;
    }
    PathRules.Entry entry = current.find(path);
    if (entry != null && entry.exempt()) {
      chain.doFilter(request, response);
      return;
    }
    PeerVerifier verifier = entry == null ? current.otherPaths() : entry.verifier();
    Verdict verdict = verdict(http, Objects.requireNonNull(verifier), path);
    if (verdict == null) {
      Problem.send(httpResponse, RejectionReason.MALFORMED_CERTIFICATE);
      return;
    }
    if (verdict instanceof Verdict.Rejected rejected) {
      Problem.send(httpResponse, rejected.reason());
      return;
    }
    PeerIdentity peer = Objects.requireNonNull(verdict.peer());
    http.setAttribute(PEER_ATTRIBUTE, peer);
    chain.doFilter(new PeerRequestWrapper(http, peer), response);
  }

  /**
   * The verdict on the request's peer, or {@code null} when the container handed over
   * something other than a chain of certificates (a container fault, not a peer's: there is
   * no peer to judge, so there is nothing to report to the listeners).
   */
  private static @Nullable Verdict verdict(HttpServletRequest request, PeerVerifier verifier, String path) {
    PeerRequest asked = new PeerRequest(request.getRemoteAddr() + ":" + request.getRemotePort(), path);
    if (request.getAttribute(SSL_SESSION_ATTRIBUTE) instanceof SSLSession session) {
      return verifier.verify(session, asked);
    }
    Object certificates = request.getAttribute(CERTIFICATES);
    List<X509Certificate> chain;
    if (certificates == null) {
      chain = List.of();
    } else if (certificates instanceof X509Certificate[] array && noNulls(array)) {
      chain = Arrays.asList(array);
    } else {
      return null;
    }
    return verifier.verify(sessionId(request.getAttribute(SESSION_ID)), chain, asked);
  }

  private static boolean noNulls(X509Certificate[] chain) {
    for (X509Certificate certificate : chain) {
      if (certificate == null) {
        return false;
      }
    }
    return true;
  }

  /** The session id as the container gives it, in hexadecimal; none when it is not. */
  private static byte[] sessionId(@Nullable Object attribute) {
    if (!(attribute instanceof String hex) || hex.isEmpty() || hex.length() > MAX_SESSION_ID_HEX
        || hex.length() % 2 != 0) {
      return NO_SESSION_ID;
    }
    try {
      return HEX.parseHex(hex);
    } catch (IllegalArgumentException e) {
      return NO_SESSION_ID;
    }
  }

  /** The rules of a filter made by the builder. */
  PathRules rules() {
    return Objects.requireNonNull(rules, "rules");
  }

  @Override
  public void destroy() {
    // Nothing held: the context belongs to the application, which closes it.
  }

  /**
   * Configures a {@link MtlsFilter}: exempt paths, rules per path, and the default policy.
   * Each pattern is checked when given; {@link #build()} checks the rules together.
   */
  public static final class Builder {
    private final MtlsContext context;
    private final List<PathRules.Entry> entries = new ArrayList<>();
    private @Nullable PeerPolicy policy;

    private Builder(MtlsContext context) {
      this.context = Objects.requireNonNull(context, "context");
      if (context.role() != MtlsContext.Role.SERVER) {
        throw new IllegalArgumentException("MtlsFilter needs a server context (MtlsContext.forServer()), not a "
            + context.role() + " one");
      }
    }

    /**
     * Paths that pass without a certificate: exact ({@code /health}) or prefixes ({@code
     * /docs/*}, which includes {@code /docs}).
     *
     * @param patterns at least one pattern
     * @return this builder
     * @throws IllegalArgumentException when none is given or one is not a canonical pattern
     */
    public Builder exemptPaths(String... patterns) {
      Objects.requireNonNull(patterns, "patterns");
      if (patterns.length == 0) {
        throw new IllegalArgumentException("exemptPaths() was given no path");
      }
      for (String pattern : patterns) {
        PathPattern parsed = PathPattern.parse(pattern);
        entries.add(new PathRules.Entry(parsed, null, "exempt path " + parsed));
      }
      return this;
    }

    /**
     * A policy of its own for the paths a pattern matches, in place of the default policy: only
     * {@code admin-client} under {@code /admin/*}, say. With the context's policy checked in
     * the handshake (the default), a client must pass both.
     *
     * @param pattern exact ({@code /admin}) or a prefix ({@code /admin/*})
     * @param policy who is allowed there
     * @return this builder
     * @throws IllegalArgumentException when the pattern is not canonical
     */
    public Builder rule(String pattern, PeerPolicy policy) {
      Objects.requireNonNull(policy, "policy");
      PathPattern parsed = PathPattern.parse(pattern);
      entries.add(new PathRules.Entry(parsed, context.verifier(policy), "rule " + parsed + " " + policy));
      return this;
    }

    /**
     * The policy for paths neither exempt nor under a rule. Without it: the context's own.
     *
     * @param policy who is allowed on the other paths
     * @return this builder
     * @throws IllegalStateException when it was already set
     */
    public Builder policy(PeerPolicy policy) {
      Objects.requireNonNull(policy, "policy");
      if (this.policy != null) {
        throw new IllegalStateException("policy was already set to " + this.policy);
      }
      this.policy = policy;
      return this;
    }

    /**
     * Builds the filter.
     *
     * @return the filter, ready to register
     * @throws IllegalArgumentException when two patterns match a common path, naming both
     */
    public MtlsFilter build() {
      PeerVerifier otherPaths = policy == null ? context.verifier() : context.verifier(policy);
      return new MtlsFilter(PathRules.of(entries, otherPaths));
    }
  }
}
