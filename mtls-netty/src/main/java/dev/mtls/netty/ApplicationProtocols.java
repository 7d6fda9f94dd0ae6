package dev.mtls.netty;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The application protocols a Netty {@code SslContext} from {@link MtlsSslContexts} negotiates
 * with ALPN (RFC 7301), most preferred first, the same on the JDK and OpenSSL providers.
 *
 * <pre>{@code
 * SslContext ssl = MtlsSslContexts.forServer(mtls, SslProvider.OPENSSL,
 *     ApplicationProtocols.of(ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1));
 * // after the handshake: sslHandler.applicationProtocol(), or Netty's ApplicationProtocolNegotiationHandler
 * }</pre>
 *
 * <p>A server picks the first of its protocols that the client offers; a client sends its
 * protocols and accepts the server's choice. When the peers share none (or the peer sends or
 * answers none), the handshake still completes without a protocol ({@code
 * SslHandler.applicationProtocol()} is {@code null}), so the application decides, for instance
 * with {@code ApplicationProtocolNegotiationHandler}'s fallback: the OpenSSL provider cannot
 * fail the handshake on a mismatch, so neither provider does.
 *
 * <p>Immutable.
 */
public final class ApplicationProtocols {
  private static final ApplicationProtocols NONE = new ApplicationProtocols(List.of());
  /** RFC 7301, 3.1: a protocol name is 1 to 255 bytes. */
  private static final int MAX_NAME_BYTES = 255;

  private final List<String> protocols;

  private ApplicationProtocols(List<String> protocols) {
    this.protocols = protocols;
  }

  /**
   * No ALPN: the extension is neither sent nor answered. The default.
   *
   * @return the empty protocol list
   */
  public static ApplicationProtocols none() {
    return NONE;
  }

  /**
   * These protocols, most preferred first, such as {@link ApplicationProtocolNames#HTTP_2}
   * ({@code "h2"}) and {@link ApplicationProtocolNames#HTTP_1_1} ({@code "http/1.1"}).
   *
   * @param first the most preferred protocol
   * @param more further protocols, in order of preference
   * @return the protocols
   * @throws IllegalArgumentException for an empty name, one longer than 255 bytes in UTF-8,
   *     or one given twice
   */
  public static ApplicationProtocols of(String first, String... more) {
    Objects.requireNonNull(first, "first");
    Objects.requireNonNull(more, "more");
    List<String> protocols = new ArrayList<>(1 + more.length);
    protocols.add(checked(first, protocols));
    for (String protocol : more) {
      protocols.add(checked(Objects.requireNonNull(protocol, "protocol"), protocols));
    }
    return new ApplicationProtocols(List.copyOf(protocols));
  }

  private static String checked(String protocol, List<String> earlier) {
    int bytes = protocol.getBytes(StandardCharsets.UTF_8).length;
    if (bytes == 0 || bytes > MAX_NAME_BYTES) {
      throw new IllegalArgumentException("an ALPN protocol name is 1 to " + MAX_NAME_BYTES + " bytes, got " + bytes);
    }
    if (earlier.contains(protocol)) {
      throw new IllegalArgumentException("ALPN protocol listed twice: " + protocol);
    }
    return protocol;
  }

  /**
   * The protocols, most preferred first.
   *
   * @return the protocol names; empty for {@link #none()}
   */
  public List<String> protocols() {
    return protocols;
  }

  /** Netty's configuration for these protocols: what both providers can do. */
  ApplicationProtocolConfig toNetty() {
    if (protocols.isEmpty()) {
      return ApplicationProtocolConfig.DISABLED;
    }
    return new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, protocols);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ApplicationProtocols other && protocols.equals(other.protocols);
  }

  @Override
  public int hashCode() {
    return protocols.hashCode();
  }

  @Override
  public String toString() {
    return protocols.isEmpty() ? "no ALPN" : "ALPN" + protocols;
  }
}
