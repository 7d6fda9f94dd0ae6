package dev.mtls.core;

import dev.mtls.core.internal.validation.HostnameMatcher;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who the server must be, for a client context: the one rule its trust manager applies to
 * every server, after the chain has been validated to the trust anchors and found unexpired
 * and unrevoked (and its extended key usage allows serverAuth, RFC 5280). Set it with
 * {@link ClientContextBuilder#serverIdentity(ServerIdentity)}; the default is
 * {@link #hostName()}.
 *
 * <pre>{@code
 * MtlsContext client = MtlsContext.forClient()
 *     .trust(TrustSource.pemFile(Path.of("ca.crt")))
 *     .serverIdentity(ServerIdentity.peer(PeerPolicy.builder()
 *         .allowSpiffeIds("spiffe://prod.example/ns/payments/sa/api")
 *         .build()))
 *     .build();
 * }</pre>
 *
 * <h2>The rules</h2>
 * <ul>
 *   <li>{@link #hostName()}: the certificate names the host the client connected to (RFC 6125:
 *       a DNS name against DNS subject alternative names, an IP literal against IP address
 *       SANs, never the CN); {@link #hostName(String)}: it names a given host instead.
 *   <li>{@link #peer(PeerPolicy)}: the policy names the server (SPIFFE ID, DNS name, URI, CN,
 *       issuer); the host name is not required, so a server reached by IP address or through a
 *       load balancer's name passes when it is the named peer.
 *   <li>{@link #hostNameAnd(PeerPolicy)}: both.
 *   <li>{@link #perHost(Function)}: one of the above, chosen by the host connected to.
 *   <li>{@link #INSECURE_anyTrustedServer()}: no name at all; DANGEROUS.
 * </ul>
 *
 * <h2>Endpoint identification</h2>
 * The rule decides; an engine's or socket's endpoint identification algorithm
 * ({@link javax.net.ssl.SSLParameters#setEndpointIdentificationAlgorithm(String)}) cannot
 * weaken it and only adds to the one rule that names nothing:
 * <ul>
 *   <li>a rule that checks the host name ({@link #hostName()}, {@link #hostNameAnd(PeerPolicy)},
 *       and such results of {@link #perHost(Function)}) checks it whatever the engine says:
 *       {@code null} never removes the check, {@code "HTTPS"} or {@code "LDAPS"} asks for the
 *       same check again;
 *   <li>{@link #peer(PeerPolicy)} and {@link #hostName(String)} ignore it: they name the server. The JDK
 *       {@code HttpClient} sets {@code "HTTPS"} on every engine, and a SPIFFE-only rule must
 *       work through it against a certificate with no DNS name for the host;
 *   <li>{@link #INSECURE_anyTrustedServer()} checks the host name exactly when the engine or
 *       socket asks for endpoint identification, as the JDK's own trust manager does (so
 *       through the JDK {@code HttpClient} it behaves like {@link #hostName()}).
 * </ul>
 * When a rule needs the host connected to and the connection has none (an engine made without one), the
 * server is refused.
 *
 * <p>After the handshake {@link PeerVerifier#verifyServer(java.util.List, String)} applies
 * the same rule for a given host. Instances are immutable and thread-safe.
 */
public final class ServerIdentity {
  private static final Logger log = LoggerFactory.getLogger(MtlsContext.class);
  private static final ServerIdentity HOST_NAME = new ServerIdentity(Kind.HOST_NAME, null, null, null);
  private static final ServerIdentity ANY_TRUSTED = new ServerIdentity(Kind.ANY_TRUSTED, null, null, null);

  private enum Kind { HOST_NAME, NAMED_HOST, PEER, HOST_NAME_AND_PEER, PER_HOST, ANY_TRUSTED }

  private final Kind kind;
  private final @Nullable String namedHost;
  private final @Nullable PeerPolicy policy;
  private final @Nullable Function<String, ServerIdentity> perHost;
  private final AtomicBoolean warnedInsecure = new AtomicBoolean();

  private ServerIdentity(Kind kind, @Nullable String namedHost, @Nullable PeerPolicy policy,
      @Nullable Function<String, ServerIdentity> perHost) {
    this.kind = kind;
    this.namedHost = namedHost;
    this.policy = policy;
    this.perHost = perHost;
  }

  /**
   * The default: the server's certificate must name the host the client connected to (the
   * host given to {@link MtlsContext#newEngine(String, int)} or to the socket factory), per
   * RFC 6125: DNS and IP address subject alternative names only, a wildcard only as the whole
   * left-most label.
   *
   * @return the rule
   */
  public static ServerIdentity hostName() {
    return HOST_NAME;
  }

  /**
   * The server's certificate must name this host, whichever host or address the client
   * connected to (RFC 6125, as {@link #hostName()}): for a server reached by IP address or
   * through another name, whose certificate names its own. The rule names the server, so an
   * engine's endpoint identification does not add a check of the host connected to.
   *
   * @param name the DNS name (or IP literal) the certificate must name; no wildcard
   * @return the rule
   * @throws IllegalArgumentException when the name is blank, holds a wildcard or is not a DNS
   *     name or IP literal
   */
  public static ServerIdentity hostName(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isBlank() || name.indexOf('*') >= 0) {
      throw new IllegalArgumentException("ServerIdentity.hostName: " + SafeText.quote(name)
          + " is not a host name: give the DNS name (no wildcard) or IP literal the certificate must name");
    }
    if (!HostnameMatcher.isIpLiteral(name)) {
      NamePattern.dnsName(name); // checks the labels; throws naming the problem
    }
    return new ServerIdentity(Kind.NAMED_HOST, name, null, null);
  }

  /**
   * The policy decides who the server is, and the host name is not required: for servers
   * named by SPIFFE ID, or by a DNS name other than the one connected to. Issuer and extended
   * key usage requirements of the policy apply too.
   *
   * @param policy the policy, naming at least one allowed server
   * @return the rule
   * @throws IllegalArgumentException when the policy names no server (any trusted peer): it
   *     would accept every server the anchors trust as any other; name the server, add the
   *     host name with {@link #hostNameAnd(PeerPolicy)}, or say
   *     {@link #INSECURE_anyTrustedServer()}
   */
  public static ServerIdentity peer(PeerPolicy policy) {
    Objects.requireNonNull(policy, "policy");
    if (!policy.namesPeers()) {
      throw new IllegalArgumentException("ServerIdentity.peer(" + policy + ") names no server, so"
          + " every server the trust anchors accept could pose as any other: name the server"
          + " (allowSpiffeIds, allowDnsNames, ...), use hostNameAnd(policy) to keep the host name"
          + " check, or say ServerIdentity.INSECURE_anyTrustedServer()");
    }
    return new ServerIdentity(Kind.PEER, null, policy, null);
  }

  /**
   * The certificate must name the host connected to, as with {@link #hostName()}, and the
   * policy must allow the server.
   *
   * @param policy the policy; {@link PeerPolicy.Builder#allowAnyTrustedPeer()} with an issuer
   *     requirement restricts the issuer only
   * @return the rule
   */
  public static ServerIdentity hostNameAnd(PeerPolicy policy) {
    return new ServerIdentity(Kind.HOST_NAME_AND_PEER, null, Objects.requireNonNull(policy, "policy"), null);
  }

  /**
   * A rule per host: the function gets the host the client connected to, in lower case and
   * without a trailing dot (an IP literal as given), and returns the rule for it. It is
   * called on every full handshake, so it must be fast, thread-safe and without side effects
   * (a map lookup, say). A function that returns {@code null} or another per-host rule, or
   * throws, refuses the server; so does a connection with no host.
   *
   * <pre>{@code
   * ServerIdentity.perHost(host -> host.endsWith(".mesh.internal")
   *     ? ServerIdentity.peer(meshPolicy)
   *     : ServerIdentity.hostName())
   * }</pre>
   *
   * @param rule the host's rule
   * @return the rule
   */
  public static ServerIdentity perHost(Function<String, ServerIdentity> rule) {
    return new ServerIdentity(Kind.PER_HOST, null, null, Objects.requireNonNull(rule, "rule"));
  }

  /**
   * DANGEROUS: any server whose chain the trust anchors accept, for any host: the context
   * checks no name, so every server holding a certificate from these anchors can impersonate
   * every other. Only the extended key usage (serverAuth) is checked, and the host name when
   * an engine or socket asks for endpoint identification (see the class description). Logged
   * at WARN when a context is built with it. For servers named otherwise than by the host, use
   * {@link #peer(PeerPolicy)}.
   *
   * @return the rule
   */
  public static ServerIdentity INSECURE_anyTrustedServer() {
    return ANY_TRUSTED;
  }

  /** Whether this is the insecure rule, for the warning at build time. */
  boolean isInsecure() {
    return kind == Kind.ANY_TRUSTED;
  }

  /**
   * Checks a server whose chain has been validated.
   *
   * @param server the server
   * @param host what is known of the host connected to
   * @return {@code null} when allowed, or the rejection
   */
  Verdict.@Nullable Rejected check(PeerIdentity server, ServerHost host) {
    return check(server, host, "");
  }

  private Verdict.@Nullable Rejected check(PeerIdentity server, ServerHost host, String ruleFor) {
    switch (kind) {
      case HOST_NAME:
        return firstOf(keyUsage(server), hostProblem(server, host, ruleFor));
      case NAMED_HOST:
        return firstOf(keyUsage(server), hostProblem(server, ServerHost.given(Objects.requireNonNull(namedHost)), ruleFor));
      case PEER:
        return policyProblem(server, ruleFor);
      case HOST_NAME_AND_PEER: {
        Verdict.Rejected rejected = policyProblem(server, ruleFor);
        return rejected != null ? rejected : hostProblem(server, host, ruleFor);
      }
      case PER_HOST:
        return perHostProblem(server, host);
      case ANY_TRUSTED:
      default:
        return firstOf(keyUsage(server), host.endpointIdentification() ? hostProblem(server, host, ruleFor) : null);
    }
  }

  private Verdict.@Nullable Rejected perHostProblem(PeerIdentity server, ServerHost host) {
    if (!host.checked()) {
      return keyUsage(server); // no host to choose a rule by: what holds for every rule
    }
    String name = host.name();
    if (name == null) {
      return noHost(server);
    }
    String key = normalise(name);
    ServerIdentity rule;
    try {
      rule = Objects.requireNonNull(perHost).apply(key);
    } catch (RuntimeException e) {
      return new Verdict.Rejected(RejectionReason.IDENTITY_NOT_ALLOWED, "server " + presented(server)
          + ": the per-host server-identity rule failed for host " + SafeText.printable(name) + ": " + e, server);
    }
    if (rule == null || rule.kind == Kind.PER_HOST) {
      return new Verdict.Rejected(RejectionReason.IDENTITY_NOT_ALLOWED, "server " + presented(server)
          + ": the per-host server-identity rule returned " + (rule == null ? "null" : "another per-host rule")
          + " for host " + SafeText.printable(name), server);
    }
    if (rule.kind == Kind.ANY_TRUSTED && warnedInsecure.compareAndSet(false, true)) {
      log.warn("DANGEROUS: the per-host server-identity rule returned INSECURE_anyTrustedServer() for"
          + " host {}: servers there are not identified by name", SafeText.printable(name));
    }
    return rule.check(server, host, " (the rule for host " + SafeText.printable(name) + ")");
  }

  private Verdict.@Nullable Rejected policyProblem(PeerIdentity server, String ruleFor) {
    PeerPolicy rules = Objects.requireNonNull(policy);
    Verdict.Rejected rejected = rules.check(server, KeyPurpose.SERVER_AUTH);
    if (rejected == null || rejected.reason() != RejectionReason.IDENTITY_NOT_ALLOWED) {
      return rejected;
    }
    return new Verdict.Rejected(RejectionReason.IDENTITY_NOT_ALLOWED,
        "server presented " + presented(server) + ", expected " + rules.expectedNames() + ruleFor, server);
  }

  private static Verdict.@Nullable Rejected hostProblem(PeerIdentity server, ServerHost host, String ruleFor) {
    if (!host.checked()) {
      return null;
    }
    String name = host.name();
    if (name == null) {
      return noHost(server);
    }
    if (HostnameMatcher.mismatch(name, server.certificate()) == null) {
      return null;
    }
    return new Verdict.Rejected(RejectionReason.IDENTITY_NOT_ALLOWED, "server presented " + presented(server)
        + ", expected a certificate naming host " + SafeText.printable(name) + ruleFor, server);
  }

  private static Verdict.Rejected noHost(PeerIdentity server) {
    return new Verdict.Rejected(RejectionReason.IDENTITY_NOT_ALLOWED, "server " + presented(server)
        + ": the server-identity rule needs the host connected to, but the connection has none (make"
        + " engines with newEngine(host, port) and sockets with socketFactory().createSocket(host, port))",
        server);
  }

  private static Verdict.@Nullable Rejected keyUsage(PeerIdentity server) {
    return PeerPolicy.anyTrustedPeer().check(server, KeyPurpose.SERVER_AUTH);
  }

  private static Verdict.@Nullable Rejected firstOf(Verdict.@Nullable Rejected first, Verdict.@Nullable Rejected second) {
    return first != null ? first : second;
  }

  private static String normalise(String host) {
    String lower = host.toLowerCase(Locale.ROOT);
    return lower.endsWith(".") && lower.length() > 1 ? lower.substring(0, lower.length() - 1) : lower;
  }

  /**
   * The names a server presents, for refusals: its SPIFFE ID or CN, then its DNS and IP
   * names, such as {@code spiffe://prod/orders (DNS: a.example)}.
   */
  static String presented(PeerIdentity server) {
    StringBuilder text = new StringBuilder(64);
    if (server.spiffeId().isPresent()) {
      text.append(server.spiffeId().get());
    } else if (server.commonNames().size() == 1) {
      text.append("CN=").append(SafeText.printable(server.commonNames().get(0)));
    } else {
      String subject = server.subject().getName();
      text.append(subject.isEmpty() ? "(empty subject)" : SafeText.printable(subject));
    }
    appendNames(text, "DNS", server.dnsNames());
    appendNames(text, "IP", server.ipAddresses());
    if (server.dnsNames().isEmpty() && server.ipAddresses().isEmpty()) {
      text.append(" (no DNS or IP names)");
    }
    return text.toString();
  }

  private static void appendNames(StringBuilder text, String kind, List<String> names) {
    if (names.isEmpty()) {
      return;
    }
    boolean first = text.charAt(text.length() - 1) != ')';
    if (first) {
      text.append(" (");
    } else {
      text.setLength(text.length() - 1);
      text.append("; ");
    }
    text.append(kind).append(": ");
    int shown = Math.min(names.size(), 5);
    for (int i = 0; i < shown; i++) {
      text.append(i == 0 ? "" : ", ").append(SafeText.printable(names.get(i)));
    }
    if (names.size() > shown) {
      text.append(" and ").append(names.size() - shown).append(" more");
    }
    text.append(')');
  }

  /**
   * The rule, for logs.
   *
   * @return such as {@code ServerIdentity[host name]} or
   *     {@code ServerIdentity[peer PeerPolicy[SPIFFE [spiffe://prod/payments], ...]]}
   */
  @Override
  public String toString() {
    switch (kind) {
      case HOST_NAME:
        return "ServerIdentity[host name]";
      case NAMED_HOST:
        return "ServerIdentity[host name " + SafeText.printable(Objects.requireNonNull(namedHost)) + "]";
      case PEER:
        return "ServerIdentity[peer " + policy + "]";
      case HOST_NAME_AND_PEER:
        return "ServerIdentity[host name and " + policy + "]";
      case PER_HOST:
        return "ServerIdentity[per host]";
      case ANY_TRUSTED:
      default:
        return "ServerIdentity[INSECURE: any trusted server]";
    }
  }
}
