package dev.mtls.netty;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslProvider;
import java.util.List;
import java.util.function.Supplier;

/** A TLS provider on a Netty transport: what each scenario runs on. */
record Stack(SslProvider provider, Transport transport) {

  /** Every provider on every transport; unavailable ones abort their test (and fail it on CI). */
  static List<Stack> all() {
    return List.of(new Stack(SslProvider.JDK, Transport.NIO), new Stack(SslProvider.OPENSSL, Transport.NIO),
        new Stack(SslProvider.JDK, Transport.EPOLL), new Stack(SslProvider.OPENSSL, Transport.EPOLL));
  }

  /** Both providers on NIO: for scenarios that concern the TLS layer, not the transport. */
  static List<Stack> providers() {
    return List.of(new Stack(SslProvider.JDK, Transport.NIO), new Stack(SslProvider.OPENSSL, Transport.NIO));
  }

  /** Aborts the test where this stack cannot run here; on CI (CI=true) fails it instead. */
  Stack assumeAvailable() {
    boolean ci = "true".equals(System.getenv("CI"));
    if (!MtlsSslContexts.isAvailable(provider)) {
      String why = provider + " is not available: " + MtlsSslContexts.unavailabilityCause(provider).orElseThrow();
      if (ci) {
        throw new AssertionError(why);
      }
      assumeTrue(false, why);
    }
    if (transport == Transport.EPOLL && !Epoll.isAvailable()) {
      String why = "epoll is not available here: " + Epoll.unavailabilityCause();
      if (ci) {
        throw new AssertionError(why);
      }
      assumeTrue(false, why);
    }
    return this;
  }

  @Override
  public String toString() {
    return provider + "/" + transport;
  }

  /** A Netty transport. */
  enum Transport {
    NIO(NioIoHandler::newFactory, NioServerSocketChannel.class, NioSocketChannel.class),
    EPOLL(EpollIoHandler::newFactory, EpollServerSocketChannel.class, EpollSocketChannel.class);

    private final Supplier<IoHandlerFactory> handlers;
    final Class<? extends ServerChannel> serverChannel;
    final Class<? extends Channel> channel;

    Transport(Supplier<IoHandlerFactory> handlers, Class<? extends ServerChannel> serverChannel,
        Class<? extends Channel> channel) {
      this.handlers = handlers;
      this.serverChannel = serverChannel;
      this.channel = channel;
    }

    EventLoopGroup newGroup() {
      return new MultiThreadIoEventLoopGroup(1, handlers.get());
    }
  }
}
