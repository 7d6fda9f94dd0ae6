package dev.mtls.netty;

import dev.mtls.core.MtlsContext;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The common mutual-TLS pipeline in one call: an {@link SslHandler} from the
 * {@code SslContext} with the core context's {@linkplain MtlsContext#handshakeTimeout()
 * handshake timeout}, a {@link PeerVerificationHandler}, then the application's handlers.
 *
 * <pre>{@code
 * SslContext ssl = MtlsSslContexts.forServer(mtls, SslProvider.JDK);
 * new ServerBootstrap()
 *     .group(group)
 *     .channel(NioServerSocketChannel.class)
 *     .childHandler(MtlsChannelInitializer.forServer(mtls, ssl,
 *         pipeline -> pipeline.addLast(new MyHandler())));
 * }</pre>
 *
 * <p>The application's handlers see a channel's data only after its peer was verified, and can
 * read it with {@link PeerVerificationHandler#peerIdentity(Channel)} or wait for the
 * {@link PeerVerificationEvent}. Sharable: one initializer serves every channel.
 */
public final class MtlsChannelInitializer extends ChannelInitializer<Channel> {
  /** The name of the {@link SslHandler} in the pipeline. */
  public static final String SSL_HANDLER = "mtls-ssl";
  /** The name of the {@link PeerVerificationHandler} in the pipeline. */
  public static final String VERIFICATION_HANDLER = "mtls-verification";

  private final MtlsContext context;
  private final SslContext sslContext;
  private final @Nullable String host;
  private final int port;
  private final Consumer<ChannelPipeline> application;

  private MtlsChannelInitializer(MtlsContext context, SslContext sslContext, @Nullable String host, int port,
      Consumer<ChannelPipeline> application) {
    this.context = context;
    this.sslContext = sslContext;
    this.host = host;
    this.port = port;
    this.application = application;
  }

  /**
   * An initializer for the channels a server accepts.
   *
   * @param context the server context
   * @param sslContext its Netty context, from {@link MtlsSslContexts#forServer}
   * @param application adds the application's handlers after the verification handler
   * @return the initializer
   * @throws IllegalArgumentException when the contexts are not both a server's
   */
  public static MtlsChannelInitializer forServer(MtlsContext context, SslContext sslContext,
      Consumer<ChannelPipeline> application) {
    check(context, sslContext, application, MtlsContext.Role.SERVER);
    return new MtlsChannelInitializer(context, sslContext, null, -1, application);
  }

  /**
   * An initializer for a client's channel to one server: the server is checked by the
   * context's server-identity rule for {@code host}, which is also sent as the server name
   * (SNI) when it is a DNS name.
   *
   * @param context the client context
   * @param sslContext its Netty context, from {@link MtlsSslContexts#forClient}
   * @param host the server's host name or IP literal
   * @param port the server's port
   * @param application adds the application's handlers after the verification handler
   * @return the initializer
   * @throws IllegalArgumentException when the contexts are not both a client's, or the port is
   *     out of range
   */
  public static MtlsChannelInitializer forClient(MtlsContext context, SslContext sslContext, String host, int port,
      Consumer<ChannelPipeline> application) {
    check(context, sslContext, application, MtlsContext.Role.CLIENT);
    Objects.requireNonNull(host, "host");
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("port out of range (1-65535): " + port);
    }
    return new MtlsChannelInitializer(context, sslContext, host, port, application);
  }

  private static void check(MtlsContext context, SslContext sslContext, Consumer<ChannelPipeline> application,
      MtlsContext.Role role) {
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(sslContext, "sslContext");
    Objects.requireNonNull(application, "application");
    if (context.role() != role) {
      throw new IllegalArgumentException("a " + role.name().toLowerCase(java.util.Locale.ROOT)
          + " initializer needs a " + role.name().toLowerCase(java.util.Locale.ROOT) + " context, got " + context);
    }
    if (sslContext.isClient() != (role == MtlsContext.Role.CLIENT)) {
      throw new IllegalArgumentException("the SslContext is a " + (sslContext.isClient() ? "client" : "server")
          + "'s, the context a " + role.name().toLowerCase(java.util.Locale.ROOT) + "'s");
    }
  }

  @Override
  protected void initChannel(Channel channel) {
    SslHandler ssl = host == null ? sslContext.newHandler(channel.alloc())
        : sslContext.newHandler(channel.alloc(), host, port);
    ssl.setHandshakeTimeout(context.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
    ChannelPipeline pipeline = channel.pipeline();
    pipeline.addLast(SSL_HANDLER, ssl);
    pipeline.addLast(VERIFICATION_HANDLER, new PeerVerificationHandler(context));
    application.accept(pipeline);
  }
}
